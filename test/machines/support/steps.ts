import { initialTransition, transition } from 'xstate';
import type { AnyMachineSnapshot, AnyStateMachine, EventFromLogic, SnapshotFrom } from 'xstate';
import type { PlanTerms } from '../../../machines/catalog.js';
import type { Effect } from '../../../machines/effects.js';
import { isEffect } from '../../../machines/effects.js';
import { subscriptionMachine } from '../../../machines/subscription.machine.js';
import type { SubscriptionEvent, SubscriptionInput } from '../../../machines/subscription.machine.js';
import { T0, seatPlan, subscriptionInput } from './fixtures.js';

/** An action as xstate's pure functions return it. */
export interface Action {
  readonly type: string;
  readonly params: unknown;
}

/** The Effects among the actions whose type is `type`. */
export function effectsOf(actions: readonly Action[], type: string): Effect[] {
  return actions.filter((action) => action.type === type).map((action) => action.params).filter(isEffect);
}

/** Sends events one after another through the pure `transition`; returns the last snapshot and its actions. */
export function sendAll<TMachine extends AnyStateMachine>(
  machine: TMachine,
  snapshot: SnapshotFrom<TMachine>,
  ...events: EventFromLogic<TMachine>[]
): [SnapshotFrom<TMachine>, Action[]] {
  let current: AnyMachineSnapshot = snapshot as AnyMachineSnapshot;
  let actions: Action[] = [];
  for (const event of events) [current, actions] = transition(machine, current as SnapshotFrom<TMachine>, event) as [AnyMachineSnapshot, Action[]];
  return [current as SnapshotFrom<TMachine>, actions];
}

export type SubscriptionSnapshot = SnapshotFrom<typeof subscriptionMachine>;

/** A new subscription in `pendingActivation`. */
export function pendingSubscription(plan: PlanTerms = seatPlan, overrides: Partial<SubscriptionInput> = {}): SubscriptionSnapshot {
  return initialTransition(subscriptionMachine, subscriptionInput(plan, overrides))[0];
}

/** A subscription activated at `at` (its handoff resolved just before), with the activation's actions. */
export function activated(plan: PlanTerms = seatPlan, at = T0, overrides: Partial<SubscriptionInput> = {}): [SubscriptionSnapshot, Action[]] {
  return send(pendingSubscription(plan, { at: T0, ...overrides }), { type: 'HANDOFF_RESOLVED', at }, { type: 'ACTIVATE', at });
}

/** Sends subscription events in order. */
export function send(snapshot: SubscriptionSnapshot, ...events: SubscriptionEvent[]): [SubscriptionSnapshot, Action[]] {
  return sendAll(subscriptionMachine, snapshot, ...events);
}
