import { expect } from 'vitest';
import type { SnapshotFrom } from 'xstate';
import { PAYMENT_TERM_MS, invoiceMachine } from '../../../machines/invoice.machine.js';
import type { InvoiceEvent } from '../../../machines/invoice.machine.js';
import { addMs } from '../../../machines/time.js';
import type { TracedStep } from '../../helpers/machine-coverage.js';
import { invoiceInput } from './fixtures.js';
import type { MachineModel } from './model-runner.js';
import { dueTimers } from './world.js';

type Snapshot = SnapshotFrom<typeof invoiceMachine>;

/** Declined card retries are bounded so that the model stays finite. */
const MAX_DECLINES = 2;

const facts = ({ context }: Snapshot) => ({ total: context.total, declinedAttempts: context.declinedAttempts });

/** The events this step sent to the invoice's subscription. */
function toldSubscription(step: TracedStep): unknown[] {
  return step.actions.filter((action) => action.type === 'notifySubscription').map((action) => (action.params as { event: unknown }).event);
}

function holdsAlways({ context }: Snapshot): void {
  expect(context.total).toEqual({ amount: 2550, currency: 'USD' });
  expect(context.lines.every((line) => line.amount.amount >= 0)).toBe(true);
  expect(context.dueAt).toBe(addMs(context.issuedAt, PAYMENT_TERM_MS));
}

/** The invoice machine's model: card and recorded payments, declines (bounded), voiding while open, the due date at its time. */
export const invoiceModel: MachineModel<Snapshot, ReturnType<typeof facts>, InvoiceEvent> = {
  machine: invoiceMachine,
  inputs: { twoLines: invoiceInput() },
  facts,
  events: ({ value, facts, world }) => {
    const at = world.now;
    const events: InvoiceEvent[] = [
      { type: 'PAYMENT_SUCCEEDED', reference: 'ch_1', at },
      { type: 'RECORD_PAYMENT', amount: facts.total, reference: 'wire-1', at },
    ];
    if (facts.declinedAttempts < MAX_DECLINES) events.push({ type: 'PAYMENT_DECLINED', reason: 'card_declined', at });
    if (value === 'open') events.push({ type: 'VOID', at });
    return [...events, ...dueTimers(world).map((timer) => timer.event as InvoiceEvent)];
  },
  timerEvents: ['INVOICE_DUE'],
  invariants: {
    open: (snapshot, world, step) => {
      holdsAlways(snapshot);
      expect([snapshot.context.paidAt, snapshot.context.voidedAt]).toEqual([null, null]);
      expect(world.timers).toEqual([{ id: 'dueDate', event: { type: 'INVOICE_DUE', at: snapshot.context.dueAt } }]);
      expect(toldSubscription(step)).toEqual([]);
    },
    overdue: (snapshot, world, step) => {
      holdsAlways(snapshot);
      expect(world.now >= snapshot.context.dueAt).toBe(true);
      expect(world.timers).toEqual([]);
      const entered = step.transitions.some((transition) => transition.eventType === 'INVOICE_DUE');
      expect(toldSubscription(step)).toEqual(entered ? [{ type: 'INVOICE_OVERDUE', invoiceId: 'inv_1_1' }] : []);
    },
    paid: (snapshot, world, step) => {
      holdsAlways(snapshot);
      expect(snapshot.status).toBe('done');
      expect(snapshot.context.paidAt).toBe(world.now);
      expect(snapshot.context.paymentReference).not.toBeNull();
      expect(snapshot.context.voidedAt).toBeNull();
      // Only an overdue invoice holds its subscription in pastDue, so only its payment is told.
      const fromOverdue = step.transitions.some((transition) => transition.source.key === 'overdue');
      expect(fromOverdue).toBe(world.now >= snapshot.context.dueAt);
      expect(toldSubscription(step)).toEqual(fromOverdue ? [{ type: 'INVOICE_PAID', invoiceId: 'inv_1_1' }] : []);
      expect(world.timers).toEqual([]);
    },
    void: (snapshot, world) => {
      holdsAlways(snapshot);
      expect(snapshot.status).toBe('done');
      expect(snapshot.context.voidedAt).toBe(world.now);
      expect(world.now < snapshot.context.dueAt).toBe(true);
      expect(snapshot.context.paidAt).toBeNull();
      expect(world.timers).toEqual([]);
    },
  },
  paths: 'shortest',
};
