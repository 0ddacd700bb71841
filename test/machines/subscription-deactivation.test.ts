import { describe, expect, it } from 'vitest';
import { allowedEvents, refusalOf } from '../../machines/refusal.js';
import { MACHINES } from '../../machines/registry.js';
import type { SubscriptionEvent } from '../../machines/subscription.machine.js';
import { T0, after, seatPlan } from './support/fixtures.js';
import { activated, effectsOf, pendingSubscription, send } from './support/steps.js';
import type { SubscriptionSnapshot } from './support/steps.js';

const entry = MACHINES.subscription;
const at = after(T0, 40);

/** Active with two users, three invoices (the term's and two increases), the first overdue. */
function busy(): SubscriptionSnapshot {
  return send(
    activated(seatPlan)[0],
    { type: 'ASSIGN_LICENSES', userIds: ['u1', 'u2'], at: T0 },
    { type: 'CHANGE_QUANTITY', quantity: 3, at: T0 },
    { type: 'CHANGE_QUANTITY', quantity: 4, at: T0 },
    { type: 'INVOICE_OVERDUE', invoiceId: 'inv_1_1', at: after(T0, 30) },
  )[0];
}

const everyEvent: SubscriptionEvent[] = [
  { type: 'OPEN_PUBLISHER_PORTAL', tokenHash: 'h', at },
  { type: 'ACTIVATE', at },
  { type: 'ASSIGN_LICENSES', userIds: ['u9'], at },
  { type: 'UNASSIGN_LICENSES', userIds: ['u1'], at },
  { type: 'CHANGE_QUANTITY', quantity: 3, at },
  { type: 'CHANGE_BILLING_PROFILE', billingProfileId: 'bp_2', at },
  { type: 'SET_AUTO_RENEW', autoRenew: true, at },
  { type: 'CANCEL', at },
  { type: 'HANDOFF_RESOLVED', at },
  { type: 'INVOICE_OVERDUE', invoiceId: 'inv_1_2', at },
  { type: 'INVOICE_PAID', invoiceId: 'inv_1_1', at },
  { type: 'TERM_ENDED', at: after(T0, 365) },
  { type: 'GRACE_PERIOD_ENDED', at: after(T0, 60) },
];

describe('subscription: deactivation (SPEC §5)', () => {
  it('cancels a pending subscription with reason canceled, voiding nothing', () => {
    const [canceled, actions] = send(pendingSubscription(), { type: 'CANCEL', at });
    expect(canceled.context).toMatchObject({ deactivationReason: 'canceled', deactivatedAt: at });
    expect(effectsOf(actions, 'voidInvoice')).toEqual([]);
  });

  it('cancels an active subscription with reason canceled', () => {
    const [canceled] = send(busy(), { type: 'CANCEL', reason: 'no longer needed', at });
    expect(canceled.value).toBe('deactivated');
    expect(canceled.context.deactivationReason).toBe('canceled');
  });

  it('releases every license', () => {
    const [canceled] = send(busy(), { type: 'CANCEL', at });
    expect(canceled.context.assignedUserIds).toEqual([]);
  });

  it('voids the open invoices but not the overdue ones, which are still owed', () => {
    const [canceled, actions] = send(busy(), { type: 'CANCEL', at });
    expect(effectsOf(actions, 'voidInvoice')).toEqual([
      { kind: 'send', machine: 'invoice', id: 'inv_1_2', event: { type: 'VOID' }, optional: true },
      { kind: 'send', machine: 'invoice', id: 'inv_1_3', event: { type: 'VOID' }, optional: true },
    ]);
    expect(canceled.context.overdueInvoiceIds).toEqual(['inv_1_1']);
  });

  it('stops its timers, closes the handoff and tells the publisher', () => {
    const [, actions] = send(busy(), { type: 'CANCEL', at });
    const cancelled = actions.filter((action) => action.type === 'xstate.cancel').map((action) => action.params);
    expect(cancelled).toEqual([{ sendId: 'gracePeriodEnd' }, { sendId: 'termEnd' }]);
    expect(effectsOf(actions, 'closeHandoff')).toEqual([{ kind: 'send', machine: 'activation', id: 'act_1', event: { type: 'CLOSE' }, optional: true }]);
    expect(effectsOf(actions, 'notifyPublisher')).toEqual([{ kind: 'webhook', type: 'subscription.deactivated' }]);
  });

  it.each([
    ['canceled', (s: SubscriptionSnapshot) => send(s, { type: 'CANCEL', at })[0]],
    ['expired', (s: SubscriptionSnapshot) => send(s, { type: 'SET_AUTO_RENEW', autoRenew: false, at }, { type: 'TERM_ENDED', at: s.context.termEnd ?? '' })[0]],
    ['nonpayment', (s: SubscriptionSnapshot) => send(s, { type: 'GRACE_PERIOD_ENDED', at: after(T0, 60) })[0]],
  ] as const)('is final after deactivation for %s: every event refused with event_not_allowed, no event allowed', (reason, deactivate) => {
    const deactivated = deactivate(busy());
    expect(deactivated.context.deactivationReason).toBe(reason);
    expect(deactivated.status).toBe('done');
    expect(allowedEvents(entry, deactivated, entry.events)).toEqual([]);
    for (const event of everyEvent) {
      const [next, actions] = send(deactivated, event);
      expect(next, event.type).toBe(deactivated);
      expect(actions).toEqual([]);
      expect(refusalOf(entry, deactivated, event)).toBe('event_not_allowed');
    }
  });
});
