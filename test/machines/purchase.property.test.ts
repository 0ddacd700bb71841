import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AnyMachineSnapshot, EventObject } from 'xstate';
import { CHANNELS, purchaseMachine } from '../../machines/purchase.machine.js';
import type { PurchaseContext } from '../../machines/purchase.machine.js';
import { drive, expectRefusalContract, persistedJson, rawEvent } from './support/drive.js';
import { purchaseInput } from './support/fixtures.js';
import { effectsOf } from './support/steps.js';

const purchaseEvent: fc.Arbitrary<EventObject> = fc.oneof(
  fc.record({ type: fc.constant('ACCEPT'), billingProfileId: fc.constantFrom('bp_1', 'bp_2'), agreementAccepted: fc.boolean() }),
  fc.constantFrom({ type: 'DECLINE' }, { type: 'PROPOSAL_EXPIRED' }, { type: 'CANCEL' }),
);
const cases = fc.tuple(fc.constantFrom(...CHANNELS), fc.array(rawEvent(purchaseEvent, 10 * 24 * 3600_000), { maxLength: 8 }));
const dueTime = (snapshot: AnyMachineSnapshot, type: string) => (type === 'PROPOSAL_EXPIRED' ? (snapshot.context as PurchaseContext).expiresAt : null);

describe('purchase under random event sequences', () => {
  it('creates its subscriptions exactly once, only when placed, and accepts nothing after a final state', () => {
    fc.assert(
      fc.property(cases, ([channel, raws]) => {
        const input = purchaseInput(channel);
        const run = drive(purchaseMachine, input, raws, dueTime);
        const created = [run.initialActions, ...run.steps.map((step) => step.actions)].flatMap((actions) => effectsOf(actions, 'createSubscription'));
        const final = run.steps.at(-1)?.after ?? run.initial;
        expect(created.map((effect) => effect.kind === 'create' && effect.id)).toEqual(final.value === 'placed' ? input.lines.map((line) => line.subscriptionId) : []);
        for (const step of run.steps) {
          expectRefusalContract(step);
          if (step.accepted && step.event.type === 'ACCEPT') expect((step.event as unknown as { agreementAccepted: boolean }).agreementAccepted).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('gives the same persisted snapshots for the same input and events', () => {
    fc.assert(
      fc.property(cases, ([channel, raws]) => {
        const json = persistedJson(purchaseMachine, drive(purchaseMachine, purchaseInput(channel), raws, dueTime));
        expect(persistedJson(purchaseMachine, drive(purchaseMachine, purchaseInput(channel), raws, dueTime))).toEqual(json);
      }),
      { numRuns: 200 },
    );
  });
});
