import type { AnyMachineSnapshot, AnyStateMachine } from 'xstate';
import { initialTransition, transition } from 'xstate';
import { describe, expect, it } from 'vitest';
import { pureInitialTransition, pureTransition } from '../../engine/pure-transition.js';
import { activationModel } from '../machines/support/activation-model.js';
import { invoiceModel } from '../machines/support/invoice-model.js';
import { coveringPaths, modelPaths } from '../machines/support/model-runner.js';
import { purchaseModel } from '../machines/support/purchase-model.js';
import { subscriptionModel } from '../machines/support/subscription-model.js';

const MODELS = { purchase: purchaseModel, subscription: subscriptionModel, activation: activationModel, invoice: invoiceModel };

/** What a step produced, as plain data: the persisted snapshot and the actions to execute. */
function outcome(machine: AnyStateMachine, [snapshot, actions]: [AnyMachineSnapshot, readonly { type: string; params?: unknown }[]]) {
  return { persisted: machine.getPersistedSnapshot(snapshot), actions: actions.map(({ type, params }) => ({ type, params })) };
}

describe('the engine’s pure transition', () => {
  for (const [name, model] of Object.entries(MODELS)) {
    it(`${name}: gives what XState's transition() gives at every step of paths covering every transition`, () => {
      const machine = model.machine as AnyStateMachine;
      const paths = coveringPaths(machine, modelPaths(model as never));
      expect(paths.length).toBeGreaterThan(0);
      for (const path of paths) {
        let ours = pureInitialTransition(machine, path.input);
        let theirs = initialTransition(machine, path.input as never);
        expect(outcome(machine, ours)).toEqual(outcome(machine, theirs));
        for (const event of path.events) {
          ours = pureTransition(machine, ours[0], event);
          theirs = transition(machine, theirs[0], event);
          expect(outcome(machine, ours)).toEqual(outcome(machine, theirs));
        }
      }
    });
  }
});
