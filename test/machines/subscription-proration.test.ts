import { describe, expect, it } from 'vitest';
import type { Effect } from '../../machines/effects.js';
import { T0, after, seatPlan } from './support/fixtures.js';
import { activated, effectsOf, send } from './support/steps.js';

const termEnd = after(T0, 365);

function invoiceInput(effects: Effect[]) {
  expect(effects).toHaveLength(1);
  const [effect] = effects;
  if (effect?.kind !== 'create') throw new Error('expected an invoice to be created');
  return effect.input;
}

describe('subscription: charging a quantity change (SPEC §5, §7)', () => {
  it('charges an increase at once, prorated to the rest of the term, on one invoice line', () => {
    const at = after(T0, 100);
    const [snapshot, actions] = send(activated(seatPlan)[0], { type: 'CHANGE_QUANTITY', quantity: 5, at });
    expect(snapshot.context.quantity).toBe(5);
    expect(snapshot.context.invoiceCount).toBe(2);
    expect(invoiceInput(effectsOf(actions, 'issueInvoice'))).toEqual({
      id: 'inv_1_2',
      subscriptionId: 'sub_1',
      tenantId: 'ten_1',
      billingProfileId: 'bp_1',
      // round_half_up(1200 × 3 × 265 / 365) = round(2613.70)
      lines: [{ description: 'Contoso Sign — Team, 3 added licenses', quantity: 3, amount: { amount: 2614, currency: 'USD' }, periodStart: at, periodEnd: termEnd }],
      issuedAt: at,
    });
  });

  it('rounds an exact half of a minor unit up', () => {
    // 65,700,000 ms before the end of a 365-day term: 1200 × 65.7e6 / 31.536e9 = 2.5
    const at = new Date(Date.parse(termEnd) - 65_700_000).toISOString();
    const [, actions] = send(activated(seatPlan)[0], { type: 'CHANGE_QUANTITY', quantity: 3, at });
    const input = invoiceInput(effectsOf(actions, 'issueInvoice'));
    expect(input.lines).toEqual([expect.objectContaining({ description: 'Contoso Sign — Team, 1 added license', quantity: 1, amount: { amount: 3, currency: 'USD' } })]);
  });

  it('sends the invoice to the billing profile the subscription is on at that moment', () => {
    const at = after(T0, 10);
    const [, actions] = send(
      activated(seatPlan)[0],
      { type: 'CHANGE_BILLING_PROFILE', billingProfileId: 'bp_2', at },
      { type: 'CHANGE_QUANTITY', quantity: 3, at },
    );
    expect(invoiceInput(effectsOf(actions, 'issueInvoice')).billingProfileId).toBe('bp_2');
  });

  it('numbers each increase invoice after the ones before', () => {
    const at = after(T0, 10);
    const [, actions] = send(activated(seatPlan)[0], { type: 'CHANGE_QUANTITY', quantity: 3, at }, { type: 'CHANGE_QUANTITY', quantity: 4, at });
    expect(invoiceInput(effectsOf(actions, 'issueInvoice')).id).toBe('inv_1_3');
  });

  it('does not refund a decrease: no invoice', () => {
    const [snapshot, actions] = send(activated(seatPlan)[0], { type: 'CHANGE_QUANTITY', quantity: 1, at: after(T0, 10) });
    expect(snapshot.context.quantity).toBe(1);
    expect(snapshot.context.invoiceCount).toBe(1);
    expect(effectsOf(actions, 'issueInvoice')).toEqual([]);
  });

  it('issues no invoice for an increase whose prorated charge rounds to zero', () => {
    const at = new Date(Date.parse(termEnd) - 1000).toISOString();
    const [snapshot, actions] = send(activated(seatPlan)[0], { type: 'CHANGE_QUANTITY', quantity: 3, at });
    expect(snapshot.context.quantity).toBe(3);
    expect(snapshot.context.invoiceCount).toBe(1);
    expect(effectsOf(actions, 'issueInvoice')).toEqual([]);
  });
});
