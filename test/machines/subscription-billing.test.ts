import { describe, expect, it } from 'vitest';
import { GRACE_PERIOD_MS } from '../../machines/subscription.machine.js';
import type { SubscriptionEvent } from '../../machines/subscription.machine.js';
import { addMs } from '../../machines/time.js';
import { refusalOf } from '../../machines/refusal.js';
import { MACHINES } from '../../machines/registry.js';
import { T0, after, seatPlan } from './support/fixtures.js';
import { activated, effectsOf, send } from './support/steps.js';

const due = after(T0, 30);
const overdue = (invoiceId: string, at = due): SubscriptionEvent => ({ type: 'INVOICE_OVERDUE', invoiceId, at });
const paid = (invoiceId: string, at = after(T0, 35)): SubscriptionEvent => ({ type: 'INVOICE_PAID', invoiceId, at });
const PAST_DUE = { active: { billing: 'pastDue' } };
const CURRENT = { active: { billing: 'current' } };

/** Active, with a second invoice from a quantity increase. */
function withTwoInvoices() {
  return send(activated(seatPlan)[0], { type: 'CHANGE_QUANTITY', quantity: 3, at: T0 })[0];
}

describe('subscription: current ⇄ pastDue (SPEC §5, §7)', () => {
  it('enters pastDue when an invoice is overdue, tells the publisher and starts the 30-day grace', () => {
    const [pastDue, actions] = send(activated(seatPlan)[0], overdue('inv_1_1'));
    expect(pastDue.value).toEqual(PAST_DUE);
    expect(pastDue.context.overdueInvoiceIds).toEqual(['inv_1_1']);
    expect(effectsOf(actions, 'notifyPublisher')).toEqual([{ kind: 'webhook', type: 'subscription.past_due' }]);
    expect(actions).toContainEqual(
      expect.objectContaining({ type: 'xstate.raise', params: { event: { type: 'GRACE_PERIOD_ENDED', at: addMs(due, GRACE_PERIOD_MS) }, id: 'gracePeriodEnd', delay: GRACE_PERIOD_MS } }),
    );
  });

  it('returns to current when its only overdue invoice is paid, and stops the grace', () => {
    const [current, actions] = send(activated(seatPlan)[0], overdue('inv_1_1'), paid('inv_1_1'));
    expect(current.value).toEqual(CURRENT);
    expect(current.context.overdueInvoiceIds).toEqual([]);
    expect(effectsOf(actions, 'notifyPublisher')).toEqual([{ kind: 'webhook', type: 'subscription.payment_recovered' }]);
    expect(actions).toContainEqual(expect.objectContaining({ type: 'xstate.cancel', params: { sendId: 'gracePeriodEnd' } }));
  });

  it('stays pastDue when one of two overdue invoices is paid', () => {
    const [one, actions] = send(withTwoInvoices(), overdue('inv_1_1'), overdue('inv_1_2'), paid('inv_1_2'));
    expect(one.value).toEqual(PAST_DUE);
    expect(one.context.overdueInvoiceIds).toEqual(['inv_1_1']);
    expect(actions.filter((action) => action.type === 'xstate.cancel' || action.type === 'notifyPublisher')).toEqual([]);
    const [both] = send(one, paid('inv_1_1'));
    expect(both.value).toEqual(CURRENT);
  });

  it('keeps one grace period for several overdue invoices', () => {
    const [, actions] = send(send(withTwoInvoices(), overdue('inv_1_1'))[0], overdue('inv_1_2'));
    expect(actions.filter((action) => action.type === 'xstate.raise')).toEqual([]);
  });

  it('counts an invoice reported overdue twice once', () => {
    const [pastDue] = send(activated(seatPlan)[0], overdue('inv_1_1'), overdue('inv_1_1'));
    expect(pastDue.context.overdueInvoiceIds).toEqual(['inv_1_1']);
  });

  it('ignores a paid invoice while current: only overdue invoices hold the subscription', () => {
    const [active] = activated(seatPlan);
    expect(send(active, paid('inv_1_1'))[0]).toBe(active);
  });

  it('deactivates for nonpayment when the grace ends unpaid', () => {
    const [pastDue] = send(activated(seatPlan)[0], overdue('inv_1_1'));
    const graceEnd = addMs(due, GRACE_PERIOD_MS);
    const [deactivated] = send(pastDue, { type: 'GRACE_PERIOD_ENDED', at: graceEnd });
    expect(deactivated.value).toBe('deactivated');
    expect(deactivated.context).toMatchObject({ deactivationReason: 'nonpayment', deactivatedAt: graceEnd });
  });

  it('is not recovered by an invoice paid once the grace is over, before its timer fired: the invoice is paid, the timer deactivates', () => {
    const [pastDue] = send(activated(seatPlan)[0], overdue('inv_1_1'));
    const graceEnd = addMs(due, GRACE_PERIOD_MS);
    const justBefore = addMs(graceEnd, -1);
    expect(send(pastDue, paid('inv_1_1', justBefore))[0].value).toEqual(CURRENT);
    for (const at of [graceEnd, addMs(graceEnd, 86_400_000)]) {
      const [late, actions] = send(pastDue, paid('inv_1_1', at));
      expect(late, at).toBe(pastDue);
      expect(actions).toEqual([]);
      expect(refusalOf(MACHINES.subscription, pastDue, paid('inv_1_1', at))).toBe('event_not_allowed');
    }
    const [deactivated] = send(pastDue, paid('inv_1_1', addMs(graceEnd, 1_000)), { type: 'GRACE_PERIOD_ENDED', at: graceEnd });
    expect(deactivated.context).toMatchObject({ deactivationReason: 'nonpayment', deactivatedAt: graceEnd });
    // One of two overdue invoices paid late is not taken off either: the subscription is lost.
    const [two] = send(withTwoInvoices(), overdue('inv_1_1'), overdue('inv_1_2'));
    expect(send(two, paid('inv_1_2', graceEnd))[0]).toBe(two);
  });

  it('ignores the end of a grace while current (it was cancelled)', () => {
    const [active] = activated(seatPlan);
    expect(send(active, { type: 'GRACE_PERIOD_ENDED', at: after(T0, 60) })[0]).toBe(active);
  });

  it('renews while pastDue, keeping the overdue invoices and the grace', () => {
    const [pastDue] = send(activated(seatPlan)[0], overdue('inv_1_1'));
    const [renewed, actions] = send(pastDue, { type: 'TERM_ENDED', at: pastDue.context.termEnd ?? '' });
    expect(renewed.value).toEqual(PAST_DUE);
    expect(renewed.context).toMatchObject({ termNumber: 2, overdueInvoiceIds: ['inv_1_1'] });
    expect(actions.filter((action) => action.type === 'xstate.cancel')).toEqual([]);
  });
});
