import { describe, expect, it } from 'vitest';
import { initialTransition } from 'xstate';
import { PAYMENT_TERM_MS, invoiceMachine } from '../../machines/invoice.machine.js';
import type { InvoiceEvent } from '../../machines/invoice.machine.js';
import { refusalOf } from '../../machines/refusal.js';
import { MACHINES } from '../../machines/registry.js';
import { T0, after, invoiceInput } from './support/fixtures.js';
import { effectsOf, sendAll } from './support/steps.js';

const entry = MACHINES.invoice;
const due = after(T0, 30);
const open = () => initialTransition(invoiceMachine, invoiceInput())[0];
const send = (...events: InvoiceEvent[]) => sendAll(invoiceMachine, open(), ...events);
const succeeded = (at = after(T0, 1)): InvoiceEvent => ({ type: 'PAYMENT_SUCCEEDED', reference: 'ch_1', at });
const record = (amount: number, currency = 'USD', at = after(T0, 1)): InvoiceEvent => ({ type: 'RECORD_PAYMENT', amount: { amount, currency }, reference: 'wire-7', at });

describe('invoice (SPEC §7)', () => {
  it('opens with its total, is due 30 days after issue, and asks for a charge', () => {
    const [snapshot, actions] = initialTransition(invoiceMachine, invoiceInput());
    expect(snapshot.value).toBe('open');
    expect(snapshot.context).toMatchObject({ total: { amount: 2550, currency: 'USD' }, dueAt: due });
    expect(PAYMENT_TERM_MS).toBe(30 * 24 * 3600_000);
    expect(effectsOf(actions, 'chargeAtIssue')).toEqual([{ kind: 'charge' }]);
    expect(actions).toContainEqual(expect.objectContaining({ type: 'xstate.raise', params: { event: { type: 'INVOICE_DUE', at: due }, id: 'dueDate', delay: PAYMENT_TERM_MS } }));
  });

  it('falls overdue at its due date and tells its subscription', () => {
    const [overdue, actions] = send({ type: 'INVOICE_DUE', at: due });
    expect(overdue.value).toBe('overdue');
    expect(effectsOf(actions, 'notifySubscription')).toEqual([{ kind: 'send', machine: 'subscription', id: 'sub_1', event: { type: 'INVOICE_OVERDUE', invoiceId: 'inv_1_1' }, optional: true }]);
  });

  it('tells its subscription when an overdue invoice is paid', () => {
    const [paid, actions] = send({ type: 'INVOICE_DUE', at: due }, succeeded(after(T0, 31)));
    expect(paid.value).toBe('paid');
    expect(paid.context).toMatchObject({ paidAt: after(T0, 31), paymentReference: 'ch_1' });
    expect(effectsOf(actions, 'notifySubscription')).toEqual([{ kind: 'send', machine: 'subscription', id: 'sub_1', event: { type: 'INVOICE_PAID', invoiceId: 'inv_1_1' }, optional: true }]);
  });

  it('does not tell its subscription when an open invoice is paid, and stops the due timer', () => {
    const [paid, actions] = send(succeeded());
    expect(paid.value).toBe('paid');
    expect(effectsOf(actions, 'notifySubscription')).toEqual([]);
    expect(actions).toContainEqual(expect.objectContaining({ type: 'xstate.cancel', params: { sendId: 'dueDate' } }));
  });

  it('is paid by a recorded payment of exactly its total', () => {
    const [paid] = send(record(2550));
    expect(paid.context).toMatchObject({ paidAt: after(T0, 1), paymentReference: 'wire-7' });
    const [paidLate, actions] = send({ type: 'INVOICE_DUE', at: due }, record(2550, 'USD', after(T0, 40)));
    expect(paidLate.value).toBe('paid');
    expect(effectsOf(actions, 'notifySubscription')).toHaveLength(1);
  });

  it.each([
    [2549, 'USD'],
    [2551, 'USD'],
    [2550, 'EUR'],
  ])('refuses a recorded payment of %i %s with amount_mismatch', (amount, currency) => {
    for (const [state] of [send(), send({ type: 'INVOICE_DUE', at: due })]) {
      expect(sendAll(invoiceMachine, state, record(amount, currency))[0]).toBe(state);
      expect(refusalOf(entry, state, record(amount, currency))).toBe('amount_mismatch');
    }
  });

  it('stays open, counting attempts, when a charge is declined', () => {
    const [declined] = send({ type: 'PAYMENT_DECLINED', reason: 'card_declined', at: T0 }, { type: 'PAYMENT_DECLINED', reason: 'card_declined', at: T0 });
    expect(declined.value).toBe('open');
    expect(declined.context.declinedAttempts).toBe(2);
    const [overdueDeclined] = send({ type: 'INVOICE_DUE', at: due }, { type: 'PAYMENT_DECLINED', reason: 'card_declined', at: due });
    expect(overdueDeclined.value).toBe('overdue');
  });

  it('voids only an open invoice', () => {
    const [voided] = send({ type: 'VOID', at: after(T0, 2) });
    expect(voided.value).toBe('void');
    expect(voided.context.voidedAt).toBe(after(T0, 2));
    const [overdue] = send({ type: 'INVOICE_DUE', at: due });
    expect(sendAll(invoiceMachine, overdue, { type: 'VOID', at: due })[0]).toBe(overdue);
    expect(refusalOf(entry, overdue, { type: 'VOID', at: due } as InvoiceEvent)).toBe('event_not_allowed');
  });

  it('does not void an open invoice past its due date, even before the due-date timer fires: it is owed', () => {
    const [open] = send();
    const lastMoment = new Date(Date.parse(due) - 1).toISOString();
    expect(sendAll(invoiceMachine, open, { type: 'VOID', at: lastMoment })[0].value).toBe('void');
    expect(sendAll(invoiceMachine, open, { type: 'VOID', at: due })[0]).toBe(open);
    expect(refusalOf(entry, open, { type: 'VOID', at: after(T0, 31) } as InvoiceEvent)).toBe('event_not_allowed');
  });

  it.each([
    ['paid', [succeeded()]],
    ['void', [{ type: 'VOID', at: T0 }]],
  ] as const)('is final when %s: every event refused with event_not_allowed', (_state, events) => {
    const [final] = send(...(events as readonly InvoiceEvent[]));
    expect(final.status).toBe('done');
    const every: InvoiceEvent[] = [succeeded(), record(2550), { type: 'PAYMENT_DECLINED', reason: 'x', at: due }, { type: 'VOID', at: due }, { type: 'INVOICE_DUE', at: due }];
    for (const event of every) {
      expect(sendAll(invoiceMachine, final, event)[0]).toBe(final);
      expect(refusalOf(entry, final, event)).toBe('event_not_allowed');
    }
  });

  it('totals an invoice without lines as zero', () => {
    const [empty] = initialTransition(invoiceMachine, invoiceInput({ lines: [] }));
    expect(empty.context.total).toEqual({ amount: 0, currency: 'USD' });
  });
});
