import { expect } from 'vitest';
import { invoiceIdOf } from '../../../machines/ids.js';
import { PAYMENT_TERM_MS } from '../../../machines/invoice.machine.js';
import { GRACE_PERIOD_MS, subscriptionMachine } from '../../../machines/subscription.machine.js';
import type { SubscriptionEvent } from '../../../machines/subscription.machine.js';
import { addMs } from '../../../machines/time.js';
import type { TracedStep } from '../../helpers/machine-coverage.js';
import { seatPlan, sitePlan, subscriptionInput } from './fixtures.js';

import type { MachineModel, ModelState } from './model-runner.js';
import { expectSubscriptionInvariants } from './subscription-invariants.js';
import type { SubscriptionSnapshot } from './subscription-invariants.js';
import { dueTimers, timerOf } from './world.js';
import type { World, WorldTimers } from './world.js';

// Bounds that keep the model finite: terms renewed, invoices issued, users known.
const MAX_TERMS = 2;
const MAX_INVOICES = 2;
const USERS = ['user-1', 'user-2'];
const MAX_SEATS = 2;

const facts = ({ context }: SubscriptionSnapshot) => ({
  handoffResolved: context.handoffResolvedAt !== null,
  quantity: context.quantity,
  assigned: context.assignedUserIds,
  autoRenew: context.autoRenew,
  termNumber: context.termNumber,
  termStart: context.termStart,
  invoiceCount: context.invoiceCount,
  overdue: context.overdueInvoiceIds,
  flat: context.plan.pricingModel === 'flat',
});
type Facts = ReturnType<typeof facts>;

/** Issued invoices fall due 30 days later, unless the subscription voids them first. */
const invoiceTimers: WorldTimers = ({ type, params }) => {
  const effect = params as { kind?: string; id: string; input?: { issuedAt: string }; event?: { type: string } };
  if (type === 'issueInvoice' && effect.input) {
    const at = addMs(effect.input.issuedAt, PAYMENT_TERM_MS);
    return { start: [{ id: `due:${effect.id}`, event: { type: 'INVOICE_OVERDUE', invoiceId: effect.id, at } }] };
  }
  if (type === 'voidInvoice') return { stop: [`due:${effect.id}`] };
  return {};
};

function requests({ value, facts: f }: ModelState<Facts>, at: string): SubscriptionEvent[] {
  const events: SubscriptionEvent[] = [{ type: 'CANCEL', at }];
  for (const invoiceId of f.overdue) events.push({ type: 'INVOICE_PAID', invoiceId, at });
  if (value === 'pendingActivation') {
    events.push({ type: 'OPEN_PUBLISHER_PORTAL', tokenHash: 'hash-1', at });
    events.push(f.handoffResolved ? { type: 'ACTIVATE', at } : { type: 'HANDOFF_RESOLVED', at });
    return events;
  }
  // Admins and the publisher change things on the first day of the first term only, so
  // that their changes do not multiply with every later phase of the model.
  if (f.termNumber !== 1 || at !== f.termStart) return events;
  events.push({ type: 'OPEN_PUBLISHER_PORTAL', tokenHash: 'hash-1', at });
  const next = USERS[f.assigned.length];
  if (next !== undefined && (f.quantity === null || f.assigned.length < f.quantity)) events.push({ type: 'ASSIGN_LICENSES', userIds: [next], at });
  const last = f.assigned.at(-1);
  if (last !== undefined) events.push({ type: 'UNASSIGN_LICENSES', userIds: [last], at });
  if (f.quantity !== null && f.quantity < MAX_SEATS && f.invoiceCount < MAX_INVOICES) events.push({ type: 'CHANGE_QUANTITY', quantity: f.quantity + 1, at });
  if (f.quantity !== null && f.quantity - 1 >= Math.max(1, f.assigned.length)) events.push({ type: 'CHANGE_QUANTITY', quantity: f.quantity - 1, at });
  events.push({ type: 'CHANGE_BILLING_PROFILE', billingProfileId: 'bp_2', at });
  if (f.autoRenew) events.push({ type: 'SET_AUTO_RENEW', autoRenew: false, at });
  return events;
}

function timers(state: ModelState<Facts>): SubscriptionEvent[] {
  const due = dueTimers(state.world);
  // The last term's end is never fired, and nothing due after it either.
  if (state.facts.termNumber >= MAX_TERMS && due.some((timer) => timer.id === 'termEnd')) return [];
  return due.map((timer) => timer.event as SubscriptionEvent);
}

function expectTimers(snapshot: SubscriptionSnapshot, world: World): void {
  const { context } = snapshot;
  const termEnd = timerOf(world, 'termEnd');
  const grace = timerOf(world, 'gracePeriodEnd');
  if (snapshot.matches('active')) expect(termEnd?.event).toEqual({ type: 'TERM_ENDED', at: context.termEnd });
  else expect(termEnd).toBeUndefined();
  if (snapshot.matches({ active: { billing: 'pastDue' } })) expect(grace?.event.type).toBe('GRACE_PERIOD_ENDED');
  else expect(grace).toBeUndefined();
}

/** The invoices the step that deactivated the subscription voided. */
function voided(step: TracedStep): string[] {
  return step.actions.filter((action) => action.type === 'voidInvoice').map((action) => (action.params as { id: string }).id);
}

/** The subscription machine's model: requests at the current time, deadlines in due order. */
export const subscriptionModel: MachineModel<SubscriptionSnapshot, Facts, SubscriptionEvent> = {
  machine: subscriptionMachine,
  inputs: { seats: subscriptionInput(seatPlan), site: subscriptionInput(sitePlan) },
  facts,
  events: (state) => [...requests(state, state.world.now), ...timers(state)],
  timerEvents: ['TERM_ENDED', 'GRACE_PERIOD_ENDED', 'INVOICE_OVERDUE'],
  worldTimers: invoiceTimers,
  invariants: {
    pendingActivation: (snapshot, world) => {
      expectSubscriptionInvariants(snapshot);
      expect(world.timers).toEqual([]);
    },
    active: (snapshot, world) => {
      expectSubscriptionInvariants(snapshot);
      expectTimers(snapshot, world);
    },
    'active.billing.pastDue': ({ context }, world) => {
      const graceEnd = timerOf(world, 'gracePeriodEnd')?.event.at ?? '';
      // The grace started when the first of the overdue invoices fell due.
      expect(addMs(graceEnd, -GRACE_PERIOD_MS) <= world.now).toBe(true);
      expect(context.overdueInvoiceIds.length).toBeGreaterThan(0);
    },
    deactivated: (snapshot, world, step) => {
      expectSubscriptionInvariants(snapshot);
      const { context } = snapshot;
      expect(context.deactivatedAt).toBe(world.now);
      // Every timer is gone: the term's and the grace's cancelled, open invoices voided.
      expect(world.timers).toEqual([]);
      const issued = Array.from({ length: context.invoiceCount }, (_, i) => invoiceIdOf(context.id, i + 1));
      expect(voided(step)).toEqual(issued.filter((id) => !context.overdueInvoiceIds.includes(id)));
      if (context.deactivationReason === 'expired') expect([context.deactivatedAt, context.autoRenew]).toEqual([context.termEnd, false]);
    },
  },
  paths: 'shortest',
};

