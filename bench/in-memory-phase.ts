import { performance } from 'node:perf_hooks';
import type { AnyMachineSnapshot } from 'xstate';
import type { InstanceRecord } from '../engine/instance.js';
import { pureTransition } from '../engine/pure-transition.js';
import { MACHINES } from '../machines/index.js';
import type { QuantityChange } from './workload.js';

/** What the in-memory phase measured. */
export interface InMemoryResult {
  readonly transitions: number;
  /** Transitions that returned the snapshot unchanged (the event was not taken). */
  readonly unchanged: number;
  readonly seconds: number;
}

/**
 * Applies the same changes with the engine's pure transition (XState's `transition()`
 * with a reused scope) to snapshots restored from
 * the records the durable phase started from: no database, no journal, no cascade into
 * other instances, no persistence — the machine's own cost per event.
 */
export function runInMemoryPhase(records: readonly InstanceRecord[], changes: readonly QuantityChange[], at: string): InMemoryResult {
  const machine = MACHINES.subscription.machine;
  // The persisted JSON is not typed as this machine's snapshot; resolveState checks its shape.
  const snapshots = new Map<string, AnyMachineSnapshot>(records.map((r) => [r.id, machine.resolveState(r.persisted as never) as AnyMachineSnapshot]));
  // Built before the clock starts, as the durable phase's events are built by its senders.
  const events = changes.map(({ quantity }) => ({ type: 'CHANGE_QUANTITY', quantity, at }));
  let unchanged = 0;
  const start = performance.now();
  for (let i = 0; i < changes.length; i++) {
    const id = changes[i]!.subscriptionId;
    const snapshot = snapshots.get(id)!;
    const [next] = pureTransition(machine, snapshot, events[i]!);
    if (next === snapshot) unchanged++;
    snapshots.set(id, next);
  }
  const seconds = (performance.now() - start) / 1000;
  return { transitions: changes.length, unchanged, seconds };
}
