import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AnyMachineSnapshot, EventObject } from 'xstate';
import { invoiceMachine } from '../../machines/invoice.machine.js';
import type { InvoiceContext, InvoiceInput } from '../../machines/invoice.machine.js';
import { drive, expectRefusalContract, persistedJson, rawEvent, resumeFrom } from './support/drive.js';
import { invoiceInput, invoiceLine } from './support/fixtures.js';

const DAY = 24 * 3600_000;

const inputs: fc.Arbitrary<InvoiceInput> = fc
  .array(fc.integer({ min: 0, max: 1_000_000_000 }), { minLength: 1, maxLength: 4 })
  .map((amounts) => invoiceInput({ lines: amounts.map((amount) => invoiceLine(amount)) }));

/** Payments of random amounts (the exact total sometimes), declines, voids and due dates. */
function invoiceEvent(total: number): fc.Arbitrary<EventObject> {
  return fc.oneof(
    fc.record({ type: fc.constant('PAYMENT_SUCCEEDED'), reference: fc.string({ maxLength: 6 }) }),
    fc.record({ type: fc.constant('PAYMENT_DECLINED'), reason: fc.constantFrom('card_declined', 'expired_card') }),
    fc.record({
      type: fc.constant('RECORD_PAYMENT'),
      amount: fc.record({ amount: fc.oneof(fc.constant(total), fc.integer({ min: -5, max: 2_000_000_000 })), currency: fc.constantFrom('USD', 'EUR') }),
      reference: fc.string({ maxLength: 6 }),
    }),
    fc.constantFrom({ type: 'VOID' }, { type: 'INVOICE_DUE' }),
  );
}

const cases = inputs.chain((input) => {
  const total = input.lines.reduce((sum, line) => sum + line.amount.amount, 0);
  return fc.tuple(fc.constant(input), fc.array(rawEvent(invoiceEvent(total), 20 * DAY), { maxLength: 12 }));
});

const dueTime = (snapshot: AnyMachineSnapshot, type: string) => (type === 'INVOICE_DUE' ? (snapshot.context as InvoiceContext).dueAt : null);
const fast = { numRuns: 200 };

describe('invoice under random event sequences', () => {
  it('never has a negative total or amount, and its total is the sum of its lines', () => {
    fc.assert(
      fc.property(cases, ([input, raws]) => {
        for (const { after } of drive(invoiceMachine, input, raws, dueTime).steps) {
          const { total, lines } = after.context as InvoiceContext;
          expect(total.amount).toBeGreaterThanOrEqual(0);
          expect(lines.every((line) => line.amount.amount >= 0)).toBe(true);
          expect(total.amount).toBe(lines.reduce((sum, line) => sum + line.amount.amount, 0));
        }
      }),
      fast,
    );
  });

  it('accepts nothing once paid or void, and is paid only in full', () => {
    fc.assert(
      fc.property(cases, ([input, raws]) => {
        for (const step of drive(invoiceMachine, input, raws, dueTime).steps) {
          expectRefusalContract(step);
          const { paidAt, voidedAt } = step.after.context as InvoiceContext;
          expect(paidAt !== null).toBe(step.after.value === 'paid');
          expect(voidedAt !== null).toBe(step.after.value === 'void');
          if (step.event.type === 'RECORD_PAYMENT' && step.accepted) {
            expect((step.event as unknown as { amount: unknown }).amount).toEqual((step.before.context as InvoiceContext).total);
          }
          if (step.after.value === 'void' && step.accepted) expect(step.before.value).toBe('open');
        }
      }),
      fast,
    );
  });

  it('gives the same persisted snapshots for the same input and events, also when resumed from storage', () => {
    fc.assert(
      fc.property(cases, fc.nat(), ([input, raws], cut) => {
        const first = drive(invoiceMachine, input, raws, dueTime);
        const json = persistedJson(invoiceMachine, first);
        expect(persistedJson(invoiceMachine, drive(invoiceMachine, input, raws, dueTime))).toEqual(json);
        const at = cut % json.length;
        expect(resumeFrom(invoiceMachine, json[at] ?? '', first.steps.slice(at).map((step) => step.event))).toBe(json.at(-1));
      }),
      fast,
    );
  });
});
