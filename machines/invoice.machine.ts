import { assertEvent, assign, cancel, raise, setup } from 'xstate';
import { effect } from './effects.js';
import type { Effect } from './effects.js';
import type { Money } from './money.js';
import { sum } from './money.js';
import { guardsFrom, payloadRule } from './rules.js';
import { DAY_MS, addMs, delayUntil } from './time.js';

/** An invoice is due this long after it is issued (SPEC §7). */
export const PAYMENT_TERM_MS = 30 * DAY_MS;

export interface InvoiceLine {
  readonly description: string;
  readonly quantity: number;
  readonly amount: Money;
  readonly periodStart: string;
  readonly periodEnd: string;
}

export interface InvoiceInput {
  readonly id: string;
  readonly subscriptionId: string;
  readonly tenantId: string;
  /** The profile the subscription was on when the invoice was issued. */
  readonly billingProfileId: string;
  readonly lines: readonly InvoiceLine[];
  readonly issuedAt: string;
  readonly at: string;
}

export interface InvoiceContext extends Omit<InvoiceInput, 'at'> {
  readonly total: Money;
  readonly dueAt: string;
  readonly paidAt: string | null;
  readonly paymentReference: string | null;
  readonly declinedAttempts: number;
  readonly voidedAt: string | null;
}

type At = { readonly at: string };

export type InvoiceEvent =
  | ({ type: 'PAYMENT_SUCCEEDED'; reference: string } & At)
  | ({ type: 'PAYMENT_DECLINED'; reason: string } & At)
  | ({ type: 'RECORD_PAYMENT'; amount: Money; reference: string } & At)
  | ({ type: 'VOID' } & At)
  | ({ type: 'INVOICE_DUE' } & At);

type Args = { context: InvoiceContext; event: InvoiceEvent };

export const invoiceGuards = {
  isFullAmount: [
    payloadRule<Args>('amount_mismatch', ({ context, event }) => {
      assertEvent(event, 'RECORD_PAYMENT');
      return event.amount.amount === context.total.amount && event.amount.currency === context.total.currency;
    }),
  ],
  // Only an invoice of a subscription deactivated before the due date is void (SPEC §7);
  // past it the invoice is owed, even if its due-date timer has not fired yet.
  isBeforeDueDate: [payloadRule<Args>('event_not_allowed', ({ context, event }) => Date.parse(event.at) < Date.parse(context.dueAt))],
} as const;

/** Tells the invoice's subscription of a change in this invoice, in the same transaction. */
function tellSubscription(type: 'INVOICE_OVERDUE' | 'INVOICE_PAID') {
  return {
    type: 'notifySubscription',
    params: ({ context }: { context: InvoiceContext }): Effect => ({
      kind: 'send',
      machine: 'subscription',
      id: context.subscriptionId,
      event: { type, invoiceId: context.id },
      optional: true,
    }),
  } as const;
}

/** The invoice lifecycle of SPEC §7. */
export const invoiceMachine = setup({
  types: {
    context: {} as InvoiceContext,
    events: {} as InvoiceEvent,
    input: {} as InvoiceInput,
  },
  guards: guardsFrom<Args, typeof invoiceGuards>(invoiceGuards),
  actions: {
    chargeAtIssue: effect,
    notifySubscription: effect,
    recordPayment: assign(({ event }) => {
      assertEvent(event, ['PAYMENT_SUCCEEDED', 'RECORD_PAYMENT']);
      return { paidAt: event.at, paymentReference: event.reference };
    }),
    recordDecline: assign({ declinedAttempts: ({ context }) => context.declinedAttempts + 1 }),
    recordVoid: assign({ voidedAt: ({ event }) => event.at }),
    scheduleDueDate: raise(({ context }) => ({ type: 'INVOICE_DUE' as const, at: context.dueAt }), {
      id: 'dueDate',
      delay: ({ context, event }) => delayUntil(context.dueAt, event),
    }),
  },
}).createMachine({
  id: 'invoice',
  context: ({ input }) => {
    const { at: _at, ...invoice } = input;
    const currency = input.lines[0]?.amount.currency ?? 'USD';
    return {
      ...invoice,
      total: sum(input.lines.map((line) => line.amount), currency),
      dueAt: addMs(input.issuedAt, PAYMENT_TERM_MS),
      paidAt: null,
      paymentReference: null,
      declinedAttempts: 0,
      voidedAt: null,
    };
  },
  initial: 'open',
  states: {
    open: {
      // Credit-card profiles are charged at issue; the outbox runs the charge after commit
      // and answers with PAYMENT_SUCCEEDED or PAYMENT_DECLINED. Check-wire profiles wait.
      entry: [{ type: 'chargeAtIssue', params: { kind: 'charge' } }, 'scheduleDueDate'],
      exit: cancel('dueDate'),
      on: {
        PAYMENT_SUCCEEDED: { target: 'paid', actions: 'recordPayment' },
        RECORD_PAYMENT: { guard: 'isFullAmount', target: 'paid', actions: 'recordPayment' },
        PAYMENT_DECLINED: { actions: 'recordDecline' },
        INVOICE_DUE: { target: 'overdue', actions: tellSubscription('INVOICE_OVERDUE') },
        VOID: { guard: 'isBeforeDueDate', target: 'void', actions: 'recordVoid' },
      },
    },
    // Only an overdue invoice tells its subscription it was paid: only those hold it in pastDue.
    overdue: {
      on: {
        PAYMENT_SUCCEEDED: { target: 'paid', actions: ['recordPayment', tellSubscription('INVOICE_PAID')] },
        RECORD_PAYMENT: { guard: 'isFullAmount', target: 'paid', actions: ['recordPayment', tellSubscription('INVOICE_PAID')] },
        PAYMENT_DECLINED: { actions: 'recordDecline' },
      },
    },
    paid: { type: 'final' },
    void: { type: 'final' },
  },
});
