import { describe, expect, it } from 'vitest';
import { termBoundary } from '../../machines/catalog.js';
import type { PlanTerms } from '../../machines/catalog.js';
import { T0, after, seatPlan, sitePlan } from './support/fixtures.js';
import { activated, effectsOf, send } from './support/steps.js';
import type { SubscriptionSnapshot } from './support/steps.js';

const monthly: PlanTerms = { ...seatPlan, billingTerm: 'P1M' };

/** Fires the term-end timer as the engine does: the event happens at the term's end. */
function endTerm(snapshot: SubscriptionSnapshot) {
  return send(snapshot, { type: 'TERM_ENDED', at: snapshot.context.termEnd ?? '' });
}

describe('subscription: term end (SPEC §5, §8)', () => {
  it('renews with auto-renew: the next term starts at the old end, with its invoice', () => {
    const [active] = activated(seatPlan);
    const [renewed, actions] = endTerm(active);
    expect(renewed.value).toEqual({ active: { billing: 'current' } });
    expect(renewed.context).toMatchObject({ termNumber: 2, termStart: after(T0, 365), termEnd: after(T0, 730), invoiceCount: 2 });
    const [invoice] = effectsOf(actions, 'issueInvoice');
    expect(invoice?.kind === 'create' && invoice.input).toMatchObject({
      id: 'inv_1_2',
      issuedAt: after(T0, 365),
      lines: [{ description: 'Contoso Sign — Team, term 2', quantity: 2, amount: { amount: 2400, currency: 'USD' }, periodStart: after(T0, 365), periodEnd: after(T0, 730) }],
    });
    expect(effectsOf(actions, 'notifyPublisher')).toEqual([{ kind: 'webhook', type: 'subscription.renewed' }]);
    expect(actions).toContainEqual(expect.objectContaining({ type: 'xstate.raise', params: { event: { type: 'TERM_ENDED', at: after(T0, 730) }, id: 'termEnd', delay: 365 * 24 * 3600_000 } }));
  });

  it('bills the renewal at the quantity and on the profile of that moment', () => {
    const at = after(T0, 5);
    const [changed] = send(activated(seatPlan)[0], { type: 'CHANGE_QUANTITY', quantity: 1, at }, { type: 'CHANGE_BILLING_PROFILE', billingProfileId: 'bp_2', at });
    const [, actions] = endTerm(changed);
    const [invoice] = effectsOf(actions, 'issueInvoice');
    expect(invoice?.kind === 'create' && invoice.input).toMatchObject({ billingProfileId: 'bp_2', lines: [{ quantity: 1, amount: { amount: 1200, currency: 'USD' } }] });
  });

  it('expires without auto-renew: deactivated with reason expired at the term end', () => {
    const [off] = send(activated(seatPlan)[0], { type: 'SET_AUTO_RENEW', autoRenew: false, at: after(T0, 3) });
    expect(off.context.autoRenew).toBe(false);
    const [expired, actions] = endTerm(off);
    expect(expired.value).toBe('deactivated');
    expect(expired.context).toMatchObject({ deactivationReason: 'expired', deactivatedAt: after(T0, 365) });
    expect(effectsOf(actions, 'issueInvoice')).toEqual([]);
  });

  it('renews again after auto-renew is switched back on', () => {
    const at = after(T0, 3);
    const [on] = send(activated(seatPlan)[0], { type: 'SET_AUTO_RENEW', autoRenew: false, at }, { type: 'SET_AUTO_RENEW', autoRenew: true, at });
    expect(endTerm(on)[0].context.termNumber).toBe(2);
  });

  it('starts the next term at the old end: a timer processed late still carries its due time, and only that time ends the term', () => {
    // The engine stamps a fired timer with its due time, whenever it runs; the journal
    // replays it the same way. Only that time ends the term.
    const [active] = activated(monthly);
    const [renewed] = endTerm(active);
    expect(renewed.context.termStart).toBe(active.context.termEnd);
    const lateStamp = after(active.context.termEnd ?? '', 2);
    expect(send(active, { type: 'TERM_ENDED', at: lateStamp })[0]).toBe(active);
  });

  it('ignores a TERM_ENDED that is not at the current term end (a stale timer)', () => {
    const [active] = activated(seatPlan);
    expect(send(active, { type: 'TERM_ENDED', at: after(T0, 100) })[0]).toBe(active);
  });

  it('counts monthly terms from the activation day: 31 Jan → 28 Feb → 31 Mar', () => {
    const start = '2025-01-31T09:30:00.000Z';
    const [active] = activated(monthly, start);
    expect(active.context.termEnd).toBe('2025-02-28T09:30:00.000Z');
    const [second] = endTerm(active);
    expect([second.context.termStart, second.context.termEnd]).toEqual(['2025-02-28T09:30:00.000Z', '2025-03-31T09:30:00.000Z']);
    const [third] = endTerm(second);
    expect([third.context.termStart, third.context.termEnd]).toEqual(['2025-03-31T09:30:00.000Z', '2025-04-30T09:30:00.000Z']);
  });

  it('ends February on the 29th in a leap year', () => {
    const [active] = activated(sitePlan, '2024-01-31T00:00:00.000Z');
    expect(active.context.termEnd).toBe('2024-02-29T00:00:00.000Z');
    expect(endTerm(active)[0].context.termEnd).toBe('2024-03-31T00:00:00.000Z');
  });

  it('counts annual terms from the activation day, 29 Feb included', () => {
    expect(termBoundary('2024-02-29T12:00:00.000Z', 'P1Y', 1)).toBe('2025-02-28T12:00:00.000Z');
    expect(termBoundary('2024-02-29T12:00:00.000Z', 'P1Y', 4)).toBe('2028-02-29T12:00:00.000Z');
    expect(termBoundary('2025-11-30T00:00:00.000Z', 'P1M', 3)).toBe('2026-02-28T00:00:00.000Z');
  });
});
