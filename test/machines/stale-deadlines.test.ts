import { initialTransition, transition } from 'xstate';
import { describe, expect, it } from 'vitest';
import { activationMachine } from '../../machines/activation.machine.js';
import { MACHINES, refusalOf } from '../../machines/index.js';
import { subscriptionMachine } from '../../machines/subscription.machine.js';
import { after, T0, subscriptionInput } from './support/fixtures.js';

// A deadline's timer may already be claimed by the scheduler when the deadline moves (a
// token reissued, pastDue left and entered again). Its event must then change nothing.

describe('stale deadlines', () => {
  it('a TOKEN_EXPIRED for a replaced token does not expire the new one', () => {
    const [idle] = initialTransition(activationMachine, { id: 'act_1', subscriptionId: 'sub_1', publisherId: 'pub_1', at: T0 });
    const [first] = transition(activationMachine, idle, { type: 'ISSUE_TOKEN', tokenHash: 'h1', at: T0 });
    const staleAt = first.context.tokenExpiresAt!;
    const [second] = transition(activationMachine, first, { type: 'ISSUE_TOKEN', tokenHash: 'h2', at: after(T0, 0, 12) });
    const stale = { type: 'TOKEN_EXPIRED', at: staleAt } as const;
    expect(second.can(stale)).toBe(false);
    expect(refusalOf(MACHINES.activation, second, stale)).toBe('event_not_allowed');
    const [expired] = transition(activationMachine, second, { type: 'TOKEN_EXPIRED', at: second.context.tokenExpiresAt! });
    expect(expired.value).toBe('idle');
  });

  it('a GRACE_PERIOD_ENDED from an earlier pastDue spell does not deactivate', () => {
    let [s] = initialTransition(subscriptionMachine, subscriptionInput());
    [s] = transition(subscriptionMachine, s, { type: 'HANDOFF_RESOLVED', at: T0 });
    [s] = transition(subscriptionMachine, s, { type: 'ACTIVATE', at: T0 });
    [s] = transition(subscriptionMachine, s, { type: 'INVOICE_OVERDUE', invoiceId: 'inv_1', at: after(T0, 30) });
    const staleAt = s.context.gracePeriodEndsAt!;
    expect(staleAt).toBe(after(T0, 60));
    [s] = transition(subscriptionMachine, s, { type: 'INVOICE_PAID', invoiceId: 'inv_1', at: after(T0, 31) });
    expect(s.context.gracePeriodEndsAt).toBeNull();
    [s] = transition(subscriptionMachine, s, { type: 'INVOICE_OVERDUE', invoiceId: 'inv_2', at: after(T0, 40) });
    expect(s.can({ type: 'GRACE_PERIOD_ENDED', at: staleAt })).toBe(false);
    const [ended] = transition(subscriptionMachine, s, { type: 'GRACE_PERIOD_ENDED', at: after(T0, 70) });
    expect(ended.value).toBe('deactivated');
    expect(ended.context.deactivationReason).toBe('nonpayment');
  });
});
