import type { InstanceRecord } from '../engine/instance.js';
import { BENCH_PLAN } from './subscriptions.js';

/** Which way each event moves a subscription's seat count. */
export type Direction = 'decrease' | 'increase';

/** One CHANGE_QUANTITY to send: to which subscription, and the new seat count. */
export interface QuantityChange {
  readonly subscriptionId: string;
  readonly quantity: number;
}

/**
 * `count` changes on randomly chosen subscriptions, each one seat away from the count the
 * previous changes left, so that every one is accepted when applied in order. A decrease
 * only changes the snapshot and notifies the publisher; an increase also issues a
 * prorated invoice (a second instance, its timer and a charge in the same unit).
 */
export function quantityChanges(records: readonly InstanceRecord[], count: number, direction: Direction, random: () => number): QuantityChange[] {
  const quantities = records.map((r) => r.persisted.context.quantity as number);
  const step = direction === 'decrease' ? -1 : 1;
  const room = quantities.reduce((sum, q) => sum + (direction === 'decrease' ? q - BENCH_PLAN.minQuantity : BENCH_PLAN.maxQuantity - q), 0);
  if (room < count) throw new Error(`only ${room} ${direction}s are possible on ${records.length} subscriptions; ask for fewer events`);
  const changes: QuantityChange[] = [];
  while (changes.length < count) {
    const index = Math.floor(random() * records.length);
    const next = quantities[index]! + step;
    // A subscription at the limit is skipped: its change would be refused.
    if (next < BENCH_PLAN.minQuantity || next > BENCH_PLAN.maxQuantity) continue;
    quantities[index] = next;
    changes.push({ subscriptionId: records[index]!.id, quantity: next });
  }
  return changes;
}
