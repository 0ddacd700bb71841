import type { AnyMachineSnapshot, AnyStateMachine } from 'xstate';
import { initialTransition, transition } from 'xstate';
import { describe, expect, it } from 'vitest';
import { persist } from '../../engine/instance.js';
import type { MachineName } from '../../machines/index.js';
import { activationModel } from '../machines/support/activation-model.js';
import { invoiceModel } from '../machines/support/invoice-model.js';
import { coveringPaths, modelPaths } from '../machines/support/model-runner.js';
import { purchaseModel } from '../machines/support/purchase-model.js';
import { subscriptionModel } from '../machines/support/subscription-model.js';

const MODELS: Record<MachineName, { machine: unknown }> = { purchase: purchaseModel, subscription: subscriptionModel, activation: activationModel, invoice: invoiceModel };

/** Every snapshot along paths that cover every transition of the machine. */
function snapshotsOf(name: MachineName): AnyMachineSnapshot[] {
  const model = MODELS[name];
  const machine = model.machine as AnyStateMachine;
  const snapshots: AnyMachineSnapshot[] = [];
  for (const path of coveringPaths(machine, modelPaths(model as never))) {
    let [snapshot] = initialTransition(machine, path.input as never);
    snapshots.push(snapshot);
    for (const event of path.events) {
      [snapshot] = transition(machine, snapshot, event);
      snapshots.push(snapshot);
    }
  }
  return snapshots;
}

describe('persisting a snapshot', () => {
  for (const name of Object.keys(MODELS) as MachineName[]) {
    it(`${name}: gives XState's getPersistedSnapshot, key for key and in its order, at every step`, () => {
      const machine = MODELS[name].machine as AnyStateMachine;
      const snapshots = snapshotsOf(name);
      expect(snapshots.length).toBeGreaterThan(1);
      for (const snapshot of snapshots) {
        const theirs = machine.getPersistedSnapshot(snapshot);
        const ours = persist(name, snapshot);
        expect(ours).toEqual(theirs);
        // The stored JSON, and so the journal and every snapshot column, stay byte for byte the same.
        expect(JSON.stringify(ours)).toBe(JSON.stringify(theirs));
        expect(JSON.stringify(machine.getPersistedSnapshot(machine.resolveState(JSON.parse(JSON.stringify(ours)))))).toBe(JSON.stringify(theirs));
      }
    });
  }
});
