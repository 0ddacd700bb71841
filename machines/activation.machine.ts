import { assertEvent, assign, cancel, raise, setup } from 'xstate';
import { effect } from './effects.js';
import type { Effect } from './effects.js';
import type { RefusalCode } from './refusal-codes.js';
import { guardsFrom, payloadRule } from './rules.js';
import { HOUR_MS, addMs, delayUntil } from './time.js';

/** A handoff token is good for this long after it is issued (SPEC §5). */
export const TOKEN_LIFETIME_MS = 24 * HOUR_MS;

export interface ActivationInput {
  readonly id: string;
  readonly subscriptionId: string;
  readonly publisherId: string;
  readonly at: string;
}

export interface ActivationContext extends Omit<ActivationInput, 'at'> {
  /** Hash of the token that may still be resolved; the token itself is never stored. */
  readonly tokenHash: string | null;
  readonly tokenExpiresAt: string | null;
  readonly resolvedTokenHash: string | null;
  readonly resolvedAt: string | null;
  readonly tokensIssued: number;
}

type At = { readonly at: string };

export type ActivationEvent =
  | ({ type: 'ISSUE_TOKEN'; tokenHash: string } & At)
  | ({ type: 'RESOLVE'; tokenHash: string } & At)
  | ({ type: 'TOKEN_EXPIRED' } & At)
  | ({ type: 'CLOSE' } & At);

type Args = { context: ActivationContext; event: ActivationEvent };

function tokenHashOf(event: ActivationEvent): string {
  assertEvent(event, 'RESOLVE');
  return event.tokenHash;
}

export const activationGuards = {
  // A timer claimed before the token was replaced must not expire the new one.
  isTokenExpiry: [payloadRule<Args>('event_not_allowed', ({ context, event }) => event.at === context.tokenExpiresAt)],
  canResolve: [
    payloadRule<Args>('token_used', ({ context, event }) => tokenHashOf(event) !== context.resolvedTokenHash),
    payloadRule<Args>('token_expired', ({ context, event }) => tokenHashOf(event) === context.tokenHash),
    // Past its 24 h a token is expired even if the expiry timer has not fired yet.
    payloadRule<Args>('token_expired', ({ context, event }) => context.tokenExpiresAt !== null && Date.parse(event.at) < Date.parse(context.tokenExpiresAt)),
  ],
} as const;

/**
 * Why a token cannot be resolved in a state with no RESOLVE transition: it was resolved
 * already, or it expired or was replaced by a newer one.
 */
export function tokenRefusal(context: ActivationContext, tokenHash: string): RefusalCode {
  return tokenHash === context.resolvedTokenHash ? 'token_used' : 'token_expired';
}

/** The publisher-portal handoff of SPEC §5: a single-use, expiring token per portal visit. */
export const activationMachine = setup({
  types: {
    context: {} as ActivationContext,
    events: {} as ActivationEvent,
    input: {} as ActivationInput,
  },
  guards: guardsFrom<Args, typeof activationGuards>(activationGuards),
  actions: {
    notifySubscription: effect,
    recordToken: assign(({ context, event }) => {
      assertEvent(event, 'ISSUE_TOKEN');
      return { tokenHash: event.tokenHash, tokenExpiresAt: addMs(event.at, TOKEN_LIFETIME_MS), tokensIssued: context.tokensIssued + 1 };
    }),
    recordResolution: assign(({ event }) => {
      assertEvent(event, 'RESOLVE');
      return { resolvedTokenHash: event.tokenHash, resolvedAt: event.at, tokenHash: null, tokenExpiresAt: null };
    }),
    forgetToken: assign({ tokenHash: null, tokenExpiresAt: null }),
    scheduleTokenExpiry: raise(({ context }) => ({ type: 'TOKEN_EXPIRED' as const, at: context.tokenExpiresAt ?? '' }), {
      id: 'tokenExpiry',
      delay: ({ context, event }) => delayUntil(context.tokenExpiresAt ?? '', event),
    }),
  },
}).createMachine({
  id: 'activation',
  context: ({ input }) => ({
    id: input.id,
    subscriptionId: input.subscriptionId,
    publisherId: input.publisherId,
    tokenHash: null,
    tokenExpiresAt: null,
    resolvedTokenHash: null,
    resolvedAt: null,
    tokensIssued: 0,
  }),
  initial: 'idle',
  states: {
    idle: {
      on: {
        ISSUE_TOKEN: { target: 'tokenIssued', actions: 'recordToken' },
        CLOSE: 'closed',
      },
    },
    tokenIssued: {
      entry: 'scheduleTokenExpiry',
      exit: cancel('tokenExpiry'),
      on: {
        // Opening the portal again replaces the token: the old one now answers token_expired.
        ISSUE_TOKEN: { target: 'tokenIssued', reenter: true, actions: 'recordToken' },
        RESOLVE: {
          guard: 'canResolve',
          target: 'resolved',
          actions: [
            'recordResolution',
            {
              type: 'notifySubscription',
              params: ({ context }): Effect => ({
                kind: 'send',
                machine: 'subscription',
                id: context.subscriptionId,
                event: { type: 'HANDOFF_RESOLVED' },
                optional: true,
              }),
            },
          ],
        },
        TOKEN_EXPIRED: { guard: 'isTokenExpiry', target: 'idle', actions: 'forgetToken' },
        CLOSE: 'closed',
      },
    },
    resolved: {
      on: {
        ISSUE_TOKEN: { target: 'tokenIssued', actions: 'recordToken' },
        CLOSE: 'closed',
      },
    },
    closed: { type: 'final' },
  },
});
