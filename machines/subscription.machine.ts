import { assertEvent, assign, cancel, enqueueActions, raise, setup } from 'xstate';
import type { PlanTerms } from './catalog.js';
import { termBoundary } from './catalog.js';
import { effect } from './effects.js';
import type { Effect } from './effects.js';
import { activationIdOf, invoiceIdOf } from './ids.js';
import type { InvoiceInput, InvoiceLine } from './invoice.machine.js';
import { money, prorate } from './money.js';
import type { Channel } from './purchase.machine.js';
import { guardsFrom, payloadRule, stateRule } from './rules.js';
import { DAY_MS, addMs, delayUntil, timeOf } from './time.js';

export type DeactivationReason = 'canceled' | 'expired' | 'nonpayment';

/** Grace after entering `pastDue` before the subscription is deactivated for nonpayment. */
export const GRACE_PERIOD_MS = 30 * DAY_MS;

export interface SubscriptionInput {
  readonly id: string;
  readonly tenantId: string;
  readonly appId: string;
  readonly planId: string;
  readonly publisherId: string;
  readonly purchaseId: string;
  readonly channel: Channel;
  /** The partner that bought it for the tenant, if any: it may read the subscription. */
  readonly partnerId?: string | null;
  readonly plan: PlanTerms;
  /** null for `flat` plans (unlimited). */
  readonly quantity: number | null;
  readonly billingProfileId: string;
  readonly replaces: string | null;
  readonly at: string;
}

export interface SubscriptionContext extends Omit<SubscriptionInput, 'at' | 'partnerId'> {
  readonly partnerId: string | null;
  readonly assignedUserIds: readonly string[];
  readonly autoRenew: boolean;
  readonly termStart: string | null;
  readonly termEnd: string | null;
  /** Terms started so far; term n ends at termBoundary(activatedAt, billingTerm, n). */
  readonly termNumber: number;
  readonly activatedAt: string | null;
  readonly deactivatedAt: string | null;
  readonly deactivationReason: DeactivationReason | null;
  readonly handoffResolvedAt: string | null;
  readonly invoiceCount: number;
  readonly overdueInvoiceIds: readonly string[];
  /** When the grace period of the current pastDue spell ends; null when not past due. */
  readonly gracePeriodEndsAt: string | null;
  readonly createdAt: string;
}

type At = { readonly at: string };

/** Events a client may send (API.md), each stamped by the engine with `at`. */
export type SubscriptionClientEvent =
  | ({ type: 'OPEN_PUBLISHER_PORTAL'; tokenHash: string } & At)
  | ({ type: 'ACTIVATE' } & At)
  | ({ type: 'ASSIGN_LICENSES'; userIds: readonly string[] } & At)
  | ({ type: 'UNASSIGN_LICENSES'; userIds: readonly string[] } & At)
  | ({ type: 'CHANGE_QUANTITY'; quantity: number } & At)
  | ({ type: 'CHANGE_BILLING_PROFILE'; billingProfileId: string } & At)
  | ({ type: 'SET_AUTO_RENEW'; autoRenew: boolean } & At)
  | ({ type: 'CANCEL'; reason?: string } & At);

/** Events from other instances and from durable timers; never from clients. */
export type SubscriptionInternalEvent =
  | ({ type: 'HANDOFF_RESOLVED' } & At)
  | ({ type: 'INVOICE_OVERDUE'; invoiceId: string } & At)
  | ({ type: 'INVOICE_PAID'; invoiceId: string } & At)
  | ({ type: 'TERM_ENDED' } & At)
  | ({ type: 'GRACE_PERIOD_ENDED' } & At);

export type SubscriptionEvent = SubscriptionClientEvent | SubscriptionInternalEvent;

export const SUBSCRIPTION_CLIENT_EVENTS = [
  'OPEN_PUBLISHER_PORTAL',
  'ACTIVATE',
  'ASSIGN_LICENSES',
  'UNASSIGN_LICENSES',
  'CHANGE_QUANTITY',
  'CHANGE_BILLING_PROFILE',
  'SET_AUTO_RENEW',
  'CANCEL',
] as const satisfies readonly SubscriptionClientEvent['type'][];

type Args = { context: SubscriptionContext; event: SubscriptionEvent };

function newUserIds(context: SubscriptionContext, userIds: readonly string[]): string[] {
  const assigned = new Set(context.assignedUserIds);
  return [...new Set(userIds)].filter((id) => !assigned.has(id));
}

// An invoice paid once the grace period is over, its timer not fired yet, is too late to
// recover the subscription (SPEC.md: the grace end happens at its due time): the invoice
// is paid, the subscription is left for the timer to deactivate.
const withinGracePeriod = payloadRule<Args>(
  'event_not_allowed',
  ({ context, event }) => context.gracePeriodEndsAt === null || Date.parse(event.at) < Date.parse(context.gracePeriodEndsAt),
);

/** The rules behind each guard, in the order they are checked. */
export const subscriptionGuards = {
  canActivate: [stateRule<Args>('event_not_allowed', ({ context }) => context.handoffResolvedAt !== null)],
  canAssignLicenses: [
    payloadRule<Args>('license_limit_exceeded', ({ context, event }) => {
      assertEvent(event, 'ASSIGN_LICENSES');
      if (context.quantity === null) return true;
      return context.assignedUserIds.length + newUserIds(context, event.userIds).length <= context.quantity;
    }),
  ],
  canChangeQuantity: [
    stateRule<Args>('not_seat_based', ({ context }) => context.plan.pricingModel === 'per-license'),
    // A seat count is a whole number (API.md); a fraction would also break the proration.
    payloadRule<Args>('validation_failed', ({ event }) => {
      assertEvent(event, 'CHANGE_QUANTITY');
      return Number.isSafeInteger(event.quantity);
    }),
    payloadRule<Args>('quantity_out_of_range', ({ context, event }) => {
      assertEvent(event, 'CHANGE_QUANTITY');
      return event.quantity >= context.plan.minQuantity && event.quantity <= context.plan.maxQuantity;
    }),
    payloadRule<Args>('quantity_below_assigned', ({ context, event }) => {
      assertEvent(event, 'CHANGE_QUANTITY');
      return event.quantity >= context.assignedUserIds.length;
    }),
  ],
  canRenew: [
    payloadRule<Args>('event_not_allowed', ({ context, event }) => event.at === context.termEnd),
    stateRule<Args>('event_not_allowed', ({ context }) => context.autoRenew),
  ],
  isTermOver: [payloadRule<Args>('event_not_allowed', ({ context, event }) => event.at === context.termEnd)],
  // A grace end from an earlier pastDue spell (its timer claimed before it was cancelled) is stale.
  isGracePeriodOver: [payloadRule<Args>('event_not_allowed', ({ context, event }) => event.at === context.gracePeriodEndsAt)],
  isLastOverdueInvoice: [
    withinGracePeriod,
    payloadRule<Args>('event_not_allowed', ({ context, event }) => {
      assertEvent(event, 'INVOICE_PAID');
      return context.overdueInvoiceIds.length === 1 && context.overdueInvoiceIds[0] === event.invoiceId;
    }),
  ],
  isWithinGracePeriod: [withinGracePeriod],
} as const;

function termInvoice(context: SubscriptionContext, at: string): Effect {
  const seats = context.quantity ?? 1;
  const line: InvoiceLine = {
    description: `${context.plan.appName} — ${context.plan.planName}, term ${context.termNumber}`,
    quantity: seats,
    amount: money(context.plan.price.amount * seats, context.plan.price.currency),
    periodStart: context.termStart ?? at,
    periodEnd: context.termEnd ?? at,
  };
  return invoiceEffect(context, context.invoiceCount, [line], at);
}

function invoiceEffect(context: SubscriptionContext, n: number, lines: InvoiceLine[], at: string): Effect {
  const input: Omit<InvoiceInput, 'at'> = {
    id: invoiceIdOf(context.id, n),
    subscriptionId: context.id,
    tenantId: context.tenantId,
    billingProfileId: context.billingProfileId,
    lines,
    issuedAt: at,
  };
  return { kind: 'create', machine: 'invoice', id: input.id, input };
}

const requestHandoffToken = {
  type: 'requestHandoffToken',
  params: ({ context, event }: Args): Effect => {
    assertEvent(event, 'OPEN_PUBLISHER_PORTAL');
    return { kind: 'send', machine: 'activation', id: activationIdOf(context.id), event: { type: 'ISSUE_TOKEN', tokenHash: event.tokenHash } };
  },
} as const;

function deactivation(reason: DeactivationReason, at: string): Partial<SubscriptionContext> {
  return { deactivationReason: reason, deactivatedAt: at, assignedUserIds: [] };
}

/** The subscription lifecycle of SPEC §5. */
export const subscriptionMachine = setup({
  types: {
    context: {} as SubscriptionContext,
    events: {} as SubscriptionEvent,
    input: {} as SubscriptionInput,
  },
  guards: guardsFrom<Args, typeof subscriptionGuards>(subscriptionGuards),
  actions: {
    createHandoff: effect,
    closeHandoff: effect,
    issueInvoice: effect,
    voidInvoice: effect,
    notifyPublisher: effect,
    requestHandoffToken: effect,
    // Deadlines are raised events with a delay: the engine keeps each as a durable timer
    // under its id and fires the event, stamped with its due time, when that time comes.
    scheduleTermEnd: raise(({ context }) => ({ type: 'TERM_ENDED' as const, at: context.termEnd ?? '' }), {
      id: 'termEnd',
      delay: ({ context, event }) => delayUntil(context.termEnd ?? timeOf(event), event),
    }),
    startGracePeriod: assign({ gracePeriodEndsAt: ({ event }) => addMs(timeOf(event), GRACE_PERIOD_MS) }),
    endGracePeriod: assign({ gracePeriodEndsAt: null }),
    scheduleGracePeriodEnd: raise(({ context }) => ({ type: 'GRACE_PERIOD_ENDED' as const, at: context.gracePeriodEndsAt ?? '' }), {
      id: 'gracePeriodEnd',
      delay: GRACE_PERIOD_MS,
    }),
    recordHandoffResolved: assign({ handoffResolvedAt: ({ event }) => event.at }),
    startFirstTerm: assign(({ event, context }) => ({
      activatedAt: event.at,
      termNumber: 1,
      termStart: event.at,
      termEnd: termBoundary(event.at, context.plan.billingTerm, 1),
    })),
    startNextTerm: assign(({ context }) => ({
      termNumber: context.termNumber + 1,
      termStart: context.termEnd,
      termEnd: termBoundary(context.activatedAt ?? context.createdAt, context.plan.billingTerm, context.termNumber + 1),
    })),
    numberNextInvoice: assign({ invoiceCount: ({ context }) => context.invoiceCount + 1 }),
    assignLicenses: assign({
      assignedUserIds: ({ context, event }) => {
        assertEvent(event, 'ASSIGN_LICENSES');
        return [...context.assignedUserIds, ...newUserIds(context, event.userIds)];
      },
    }),
    unassignLicenses: assign({
      assignedUserIds: ({ context, event }) => {
        assertEvent(event, 'UNASSIGN_LICENSES');
        const removed = new Set(event.userIds);
        return context.assignedUserIds.filter((id) => !removed.has(id));
      },
    }),
    // An increase is charged at once for the rest of the term; a decrease is not refunded.
    changeQuantity: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'CHANGE_QUANTITY');
      const previous = context.quantity ?? 0;
      if (event.quantity === previous) return;
      const added = event.quantity - previous;
      if (added > 0 && context.termStart !== null && context.termEnd !== null) {
        const amount = prorate(context.plan.price, added, Date.parse(context.termStart), Date.parse(context.termEnd), Date.parse(event.at));
        if (amount.amount > 0) {
          const n = context.invoiceCount + 1;
          enqueue.assign({ invoiceCount: n });
          const line: InvoiceLine = {
            description: `${context.plan.appName} — ${context.plan.planName}, ${added} added license${added === 1 ? '' : 's'}`,
            quantity: added,
            amount,
            periodStart: event.at,
            periodEnd: context.termEnd,
          };
          enqueue({ type: 'issueInvoice', params: invoiceEffect(context, n, [line], event.at) });
        }
      }
      enqueue.assign({ quantity: event.quantity });
      enqueue({ type: 'notifyPublisher', params: { kind: 'webhook', type: 'subscription.quantity_changed' } });
    }),
    changeBillingProfile: assign({
      billingProfileId: ({ event }) => {
        assertEvent(event, 'CHANGE_BILLING_PROFILE');
        return event.billingProfileId;
      },
    }),
    setAutoRenew: assign({
      autoRenew: ({ event }) => {
        assertEvent(event, 'SET_AUTO_RENEW');
        return event.autoRenew;
      },
    }),
    addOverdueInvoice: assign({
      overdueInvoiceIds: ({ context, event }) => {
        assertEvent(event, 'INVOICE_OVERDUE');
        return context.overdueInvoiceIds.includes(event.invoiceId) ? context.overdueInvoiceIds : [...context.overdueInvoiceIds, event.invoiceId];
      },
    }),
    removeOverdueInvoice: assign({
      overdueInvoiceIds: ({ context, event }) => {
        assertEvent(event, 'INVOICE_PAID');
        return context.overdueInvoiceIds.filter((id) => id !== event.invoiceId);
      },
    }),
    recordCanceled: assign(({ event }) => deactivation('canceled', event.at)),
    recordExpired: assign(({ event }) => deactivation('expired', event.at)),
    recordNonpayment: assign(({ event }) => deactivation('nonpayment', event.at)),
    // Open invoices of a deactivated subscription are void; overdue ones are still owed.
    voidOpenInvoices: enqueueActions(({ context, enqueue }) => {
      for (let n = 1; n <= context.invoiceCount; n++) {
        const id = invoiceIdOf(context.id, n);
        if (context.overdueInvoiceIds.includes(id)) continue;
        enqueue({ type: 'voidInvoice', params: { kind: 'send', machine: 'invoice', id, event: { type: 'VOID' }, optional: true } });
      }
    }),
  },
}).createMachine({
  id: 'subscription',
  context: ({ input }) => {
    const { at, ...identity } = input;
    return {
      ...identity,
      partnerId: identity.partnerId ?? null,
      assignedUserIds: [],
      autoRenew: true,
      termStart: null,
      termEnd: null,
      termNumber: 0,
      activatedAt: null,
      deactivatedAt: null,
      deactivationReason: null,
      handoffResolvedAt: null,
      invoiceCount: 0,
      overdueInvoiceIds: [],
      gracePeriodEndsAt: null,
      createdAt: at,
    };
  },
  entry: {
    type: 'createHandoff',
    params: ({ context }) => ({
      kind: 'create',
      machine: 'activation',
      id: activationIdOf(context.id),
      input: { id: activationIdOf(context.id), subscriptionId: context.id, publisherId: context.publisherId },
    }),
  },
  initial: 'pendingActivation',
  states: {
    pendingActivation: {
      on: {
        OPEN_PUBLISHER_PORTAL: { actions: requestHandoffToken },
        HANDOFF_RESOLVED: { actions: 'recordHandoffResolved' },
        ACTIVATE: {
          guard: 'canActivate',
          target: 'active',
          actions: [
            'startFirstTerm',
            'scheduleTermEnd',
            'numberNextInvoice',
            { type: 'issueInvoice', params: ({ context, event }) => termInvoice(context, event.at) },
            { type: 'notifyPublisher', params: { kind: 'webhook', type: 'subscription.activated' } },
          ],
        },
        CANCEL: { target: 'deactivated', actions: 'recordCanceled' },
      },
    },
    active: {
      initial: 'billing',
      on: {
        OPEN_PUBLISHER_PORTAL: { actions: requestHandoffToken },
        ASSIGN_LICENSES: { guard: 'canAssignLicenses', actions: 'assignLicenses' },
        UNASSIGN_LICENSES: { actions: 'unassignLicenses' },
        CHANGE_QUANTITY: { guard: 'canChangeQuantity', actions: 'changeQuantity' },
        CHANGE_BILLING_PROFILE: { actions: 'changeBillingProfile' },
        SET_AUTO_RENEW: { actions: 'setAutoRenew' },
        CANCEL: { target: 'deactivated', actions: 'recordCanceled' },
        TERM_ENDED: [
          {
            guard: 'canRenew',
            actions: [
              'startNextTerm',
              'scheduleTermEnd',
              'numberNextInvoice',
              { type: 'issueInvoice', params: ({ context, event }) => termInvoice(context, event.at) },
              { type: 'notifyPublisher', params: { kind: 'webhook', type: 'subscription.renewed' } },
            ],
          },
          { guard: 'isTermOver', target: 'deactivated', actions: 'recordExpired' },
        ],
      },
      states: {
        billing: {
          initial: 'current',
          states: {
            current: {
              on: {
                INVOICE_OVERDUE: {
                  target: 'pastDue',
                  actions: ['addOverdueInvoice', { type: 'notifyPublisher', params: { kind: 'webhook', type: 'subscription.past_due' } }],
                },
              },
            },
            pastDue: {
              entry: ['startGracePeriod', 'scheduleGracePeriodEnd'],
              exit: [cancel('gracePeriodEnd'), 'endGracePeriod'],
              on: {
                INVOICE_OVERDUE: { actions: 'addOverdueInvoice' },
                INVOICE_PAID: [
                  {
                    guard: 'isLastOverdueInvoice',
                    target: 'current',
                    actions: [
                      'removeOverdueInvoice',
                      { type: 'notifyPublisher', params: { kind: 'webhook', type: 'subscription.payment_recovered' } },
                    ],
                  },
                  { guard: 'isWithinGracePeriod', actions: 'removeOverdueInvoice' },
                ],
                GRACE_PERIOD_ENDED: { guard: 'isGracePeriodOver', target: '#subscription.deactivated', actions: 'recordNonpayment' },
              },
            },
          },
        },
      },
    },
    deactivated: {
      type: 'final',
      entry: [
        cancel('termEnd'),
        {
          type: 'closeHandoff',
          params: ({ context }) => ({ kind: 'send', machine: 'activation', id: activationIdOf(context.id), event: { type: 'CLOSE' }, optional: true }),
        },
        'voidOpenInvoices',
        { type: 'notifyPublisher', params: { kind: 'webhook', type: 'subscription.deactivated' } },
      ],
    },
  },
});
