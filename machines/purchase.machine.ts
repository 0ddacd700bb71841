import { assertEvent, assign, cancel, enqueueActions, setup } from 'xstate';
import type { PlanTerms } from './catalog.js';
import { quantityRefusal } from './catalog.js';
import { effect } from './effects.js';
import type { RefusalCode } from './refusal-codes.js';
import { guardsFrom, payloadRule } from './rules.js';
import type { SubscriptionInput } from './subscription.machine.js';
import { delayUntil } from './time.js';

export type Channel = 'direct' | 'partner' | 'proposal';
export type Source = 'azure-marketplace' | 'appsource';
export const CHANNELS: readonly Channel[] = ['direct', 'partner', 'proposal'];
export const SOURCES: readonly Source[] = ['azure-marketplace', 'appsource'];

/** One purchased app: it becomes one subscription, whose id is reserved at creation. */
export interface PurchaseLine {
  readonly appId: string;
  readonly planId: string;
  readonly publisherId: string;
  readonly plan: PlanTerms;
  readonly quantity: number | null;
  readonly subscriptionId: string;
}

export interface PurchaseInput {
  readonly id: string;
  readonly channel: Channel;
  readonly source: Source | null;
  readonly tenantId: string;
  readonly partnerId: string | null;
  readonly lines: readonly PurchaseLine[];
  /** When an open proposal lapses; null for other channels. */
  readonly expiresAt: string | null;
  /** Chosen at creation for `direct`, at ACCEPT otherwise. */
  readonly billingProfileId: string | null;
  readonly replaces: string | null;
  readonly at: string;
}

export interface PurchaseContext extends Omit<PurchaseInput, 'at'> {
  readonly createdAt: string;
  readonly placedAt: string | null;
  readonly closedAt: string | null;
}

type At = { readonly at: string };

export type PurchaseEvent =
  | ({ type: 'ACCEPT'; billingProfileId: string; agreementAccepted: boolean } & At)
  | ({ type: 'DECLINE' } & At)
  | ({ type: 'PROPOSAL_EXPIRED' } & At);

export const PURCHASE_CLIENT_EVENTS = ['ACCEPT', 'DECLINE'] as const satisfies readonly PurchaseEvent['type'][];

type Args = { context: PurchaseContext; event: PurchaseEvent };

// A proposal is expired from its expiry time on (SPEC.md: a fired event happens at its due
// time), even while its timer has not fired yet: nothing it is sent then is taken.
const beforeExpiry = payloadRule<Args>('event_not_allowed', ({ context, event }) => context.expiresAt === null || Date.parse(event.at) < Date.parse(context.expiresAt));

export const purchaseGuards = {
  isOpen: [beforeExpiry],
  canAccept: [
    beforeExpiry,
    payloadRule<Args>('agreement_required', ({ event }) => {
      assertEvent(event, 'ACCEPT');
      return event.agreementAccepted;
    }),
  ],
  isDirect: [payloadRule<Args>('event_not_allowed', ({ context }) => context.channel === 'direct')],
} as const;

/** What a purchase needs to know about its tenant and lines before it may be created. */
export interface PurchaseCheck {
  readonly region: string | null;
  /** Direct purchases are placed at once, so the agreement must already be accepted. */
  readonly channel: Channel;
  readonly agreementAccepted: boolean;
  readonly lines: readonly Pick<PurchaseLine, 'plan' | 'quantity'>[];
}

/**
 * Why a purchase may not be created, with the index of the offending line, or null.
 * The region is checked for every channel (SPEC §3), quantities per plan (SPEC §2).
 */
export function purchaseRefusal(check: PurchaseCheck): { code: RefusalCode; line?: number } | null {
  if (check.region === null) return { code: 'unsupported_region' };
  for (const [line, { plan, quantity }] of check.lines.entries()) {
    const code = quantityRefusal(plan, quantity);
    if (code) return { code, line };
  }
  if (check.channel === 'direct' && !check.agreementAccepted) return { code: 'agreement_required' };
  return null;
}

/** The purchase of SPEC §4: every channel ends in one subscription per line. */
export const purchaseMachine = setup({
  types: {
    context: {} as PurchaseContext,
    events: {} as PurchaseEvent,
    input: {} as PurchaseInput,
  },
  guards: guardsFrom<Args, typeof purchaseGuards>(purchaseGuards),
  actions: {
    createSubscription: effect,
    recordAcceptance: assign(({ event }) => {
      assertEvent(event, 'ACCEPT');
      return { billingProfileId: event.billingProfileId };
    }),
    recordClosing: assign({ closedAt: ({ event }) => event.at }),
    scheduleProposalExpiry: enqueueActions(({ context, enqueue }) => {
      if (context.expiresAt === null) return;
      const expiresAt = context.expiresAt;
      enqueue.raise({ type: 'PROPOSAL_EXPIRED', at: expiresAt }, { id: 'proposalExpiry', delay: ({ event }) => delayUntil(expiresAt, event) });
    }),
    createSubscriptions: enqueueActions(({ context, event, enqueue }) => {
      enqueue.assign({ placedAt: 'at' in event ? event.at : context.createdAt });
      for (const line of context.lines) {
        const input: Omit<SubscriptionInput, 'at'> = {
          id: line.subscriptionId,
          tenantId: context.tenantId,
          appId: line.appId,
          planId: line.planId,
          publisherId: line.publisherId,
          purchaseId: context.id,
          channel: context.channel,
          partnerId: context.partnerId,
          plan: line.plan,
          quantity: line.quantity,
          billingProfileId: context.billingProfileId ?? '',
          replaces: context.replaces,
        };
        enqueue({ type: 'createSubscription', params: { kind: 'create', machine: 'subscription', id: line.subscriptionId, input } });
      }
    }),
  },
}).createMachine({
  id: 'purchase',
  context: ({ input }) => {
    const { at, ...purchase } = input;
    return { ...purchase, createdAt: at, placedAt: null, closedAt: null };
  },
  initial: 'awaitingAgreement',
  states: {
    awaitingAgreement: {
      // A direct purchase is placed at once: its buyer accepted everything in the request.
      always: { guard: 'isDirect', target: 'placed' },
      entry: 'scheduleProposalExpiry',
      exit: cancel('proposalExpiry'),
      on: {
        ACCEPT: { guard: 'canAccept', target: 'placed', actions: 'recordAcceptance' },
        DECLINE: { guard: 'isOpen', target: 'declined', actions: 'recordClosing' },
        PROPOSAL_EXPIRED: { target: 'expired', actions: 'recordClosing' },
      },
    },
    placed: { type: 'final', entry: 'createSubscriptions' },
    declined: { type: 'final' },
    expired: { type: 'final' },
  },
});
