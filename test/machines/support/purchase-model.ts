import { expect } from 'vitest';
import type { SnapshotFrom } from 'xstate';
import { isEffect } from '../../../machines/effects.js';
import { purchaseMachine } from '../../../machines/purchase.machine.js';
import type { PurchaseEvent } from '../../../machines/purchase.machine.js';
import { allowedEvents } from '../../../machines/refusal.js';
import { MACHINES } from '../../../machines/registry.js';
import { purchaseInput } from './fixtures.js';
import type { MachineModel } from './model-runner.js';
import { dueTimers } from './world.js';

type Snapshot = SnapshotFrom<typeof purchaseMachine>;

const facts = (snapshot: Snapshot) => ({ billingProfileId: snapshot.context.billingProfileId });

function createdSubscriptionIds(actions: readonly { type: string; params: unknown }[]): string[] {
  return actions.flatMap(({ type, params }) => (type === 'createSubscription' && isEffect(params) && params.kind === 'create' ? [params.id] : []));
}

/** The purchase machine's model: an input per channel; ACCEPT and DECLINE at the current time, the proposal's expiry at its time. */
export const purchaseModel: MachineModel<Snapshot, ReturnType<typeof facts>, PurchaseEvent> = {
  machine: purchaseMachine,
  inputs: { direct: purchaseInput('direct'), partner: purchaseInput('partner'), proposal: purchaseInput('proposal') },
  facts,
  events: ({ world }) => {
    const at = world.now;
    const requests: PurchaseEvent[] = [
      { type: 'ACCEPT', billingProfileId: 'bp_2', agreementAccepted: true, at },
      { type: 'DECLINE', at },
    ];
    return [...requests, ...dueTimers(world).map((timer) => timer.event as PurchaseEvent)];
  },
  timerEvents: ['PROPOSAL_EXPIRED'],
  invariants: {
    awaitingAgreement: (snapshot, world) => {
      const { context } = snapshot;
      expect(context.channel).not.toBe('direct');
      expect([context.placedAt, context.closedAt, context.billingProfileId]).toEqual([null, null, null]);
      const expiry = context.channel === 'proposal' ? [{ id: 'proposalExpiry', event: { type: 'PROPOSAL_EXPIRED', at: context.expiresAt } }] : [];
      expect(world.timers).toEqual(expiry);
      expect(allowedEvents(MACHINES.purchase, snapshot, MACHINES.purchase.clientEvents)).toEqual(['ACCEPT', 'DECLINE']);
    },
    placed: (snapshot, world, step) => {
      const { context } = snapshot;
      expect(snapshot.status).toBe('done');
      expect(context.placedAt).not.toBeNull();
      expect(context.closedAt).toBeNull();
      expect(context.billingProfileId).toBe(context.channel === 'direct' ? 'bp_1' : 'bp_2');
      // One subscription per line, created by the step that placed the purchase.
      expect(createdSubscriptionIds(step.actions)).toEqual(context.lines.map((line) => line.subscriptionId));
      expect(world.timers).toEqual([]);
    },
    declined: (snapshot, world) => {
      expect(snapshot.status).toBe('done');
      expect(snapshot.context.placedAt).toBeNull();
      expect(snapshot.context.closedAt).toBe(world.now);
      expect(world.timers).toEqual([]);
    },
    expired: (snapshot, world) => {
      expect(snapshot.status).toBe('done');
      expect(snapshot.context.channel).toBe('proposal');
      expect(snapshot.context.closedAt).toBe(snapshot.context.expiresAt);
      expect(snapshot.context.placedAt).toBeNull();
      expect(world.timers).toEqual([]);
    },
  },
  paths: 'simple',
};
