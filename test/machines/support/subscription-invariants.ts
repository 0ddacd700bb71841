import { expect } from 'vitest';
import type { SnapshotFrom } from 'xstate';
import { termBoundary } from '../../../machines/catalog.js';
import { allowedEvents } from '../../../machines/refusal.js';
import { MACHINES } from '../../../machines/registry.js';
import type { subscriptionMachine } from '../../../machines/subscription.machine.js';

export type SubscriptionSnapshot = SnapshotFrom<typeof subscriptionMachine>;

const entry = MACHINES.subscription;

/** What holds in every subscription snapshot, whatever happened before (SPEC §5). */
export function expectSubscriptionInvariants(snapshot: SubscriptionSnapshot): void {
  const { context, value } = snapshot;
  const deactivated = value === 'deactivated';
  const active = typeof value === 'object' && 'active' in value;
  expect(context.deactivationReason !== null, 'deactivationReason is set iff deactivated').toBe(deactivated);
  expect(context.deactivatedAt !== null).toBe(deactivated);
  expect(snapshot.status).toBe(deactivated ? 'done' : 'active');
  // A billing substate exists only inside `active`.
  if (active) expect(['current', 'pastDue']).toContain((value.active as { billing: string }).billing);
  else expect(typeof value).toBe('string');
  expect(new Set(context.assignedUserIds).size).toBe(context.assignedUserIds.length);
  if (context.plan.pricingModel === 'flat') {
    expect(context.quantity).toBeNull();
  } else {
    expect(Number.isInteger(context.quantity)).toBe(true);
    const quantity = context.quantity ?? 0;
    expect(quantity).toBeGreaterThanOrEqual(context.plan.minQuantity);
    expect(quantity).toBeLessThanOrEqual(context.plan.maxQuantity);
    expect(context.assignedUserIds.length).toBeLessThanOrEqual(quantity);
  }
  if (deactivated) {
    expect(context.assignedUserIds, 'licenses are released').toEqual([]);
    expect(allowedEvents(entry, snapshot, entry.clientEvents)).toEqual([]);
  }
  if (value === 'pendingActivation') {
    expect([context.activatedAt, context.termStart, context.termEnd, context.invoiceCount]).toEqual([null, null, null, 0]);
    expect(context.assignedUserIds).toEqual([]);
    expect(allowedEvents(entry, snapshot, entry.clientEvents).includes('ACTIVATE')).toBe(context.handoffResolvedAt !== null);
  }
  if (active) {
    const anchor = context.activatedAt ?? '';
    const n = context.termNumber;
    expect(context.termEnd).toBe(termBoundary(anchor, context.plan.billingTerm, n));
    expect(context.termStart).toBe(n === 1 ? anchor : termBoundary(anchor, context.plan.billingTerm, n - 1));
    expect(context.invoiceCount).toBeGreaterThanOrEqual(n);
    expect(snapshot.matches({ active: { billing: 'pastDue' } })).toBe(context.overdueInvoiceIds.length > 0);
    const allowed = allowedEvents(entry, snapshot, entry.clientEvents);
    expect(allowed.includes('CHANGE_QUANTITY')).toBe(context.plan.pricingModel === 'per-license');
    expect(allowed).not.toContain('ACTIVATE');
  }
}
