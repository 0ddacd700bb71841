import { describe, expect, it } from 'vitest';
import { createMachine, initialTransition, transition } from 'xstate';
import { accepts, allowedEvents, refusalOf } from '../../machines/refusal.js';
import * as machineLayer from '../../machines/index.js';
import { MACHINES, MACHINE_NAMES, machineEntry } from '../../machines/registry.js';
import type { MachineEntry } from '../../machines/registry.js';
import { payloadRule, stateRule } from '../../machines/rules.js';
import { T0, seatPlan, sitePlan } from './support/fixtures.js';
import { activated, pendingSubscription, send } from './support/steps.js';
import { activationModel } from './support/activation-model.js';
import { invoiceModel } from './support/invoice-model.js';
import { coveringPaths, modelPaths } from './support/model-runner.js';
import { purchaseModel } from './support/purchase-model.js';
import { subscriptionModel } from './support/subscription-model.js';

const MODELS = { purchase: purchaseModel, subscription: subscriptionModel, activation: activationModel, invoice: invoiceModel };

const entry = MACHINES.subscription;
const allowed = (snapshot: Parameters<typeof allowedEvents>[1]) => allowedEvents(entry, snapshot, entry.clientEvents);

describe('allowed events', () => {
  it('leaves CHANGE_QUANTITY out for a flat plan and lists it for a per-license one', () => {
    expect(allowed(activated(sitePlan)[0])).not.toContain('CHANGE_QUANTITY');
    expect(allowed(activated(seatPlan)[0])).toContain('CHANGE_QUANTITY');
  });

  it('leaves ACTIVATE out until the handoff resolves', () => {
    expect(allowed(pendingSubscription())).not.toContain('ACTIVATE');
    expect(allowed(send(pendingSubscription(), { type: 'HANDOFF_RESOLVED', at: T0 })[0])).toContain('ACTIVATE');
  });

  it('lists what an active subscription accepts from clients, in the order the registry names them', () => {
    expect(allowed(activated(seatPlan)[0])).toEqual([
      'OPEN_PUBLISHER_PORTAL',
      'ASSIGN_LICENSES',
      'UNASSIGN_LICENSES',
      'CHANGE_QUANTITY',
      'CHANGE_BILLING_PROFILE',
      'SET_AUTO_RENEW',
      'CANCEL',
    ]);
  });

  it('judges only by rules that read the state: ASSIGN_LICENSES stays allowed when every seat is taken', () => {
    const [full] = send(activated(seatPlan)[0], { type: 'ASSIGN_LICENSES', userIds: ['u1', 'u2'], at: T0 });
    expect(allowed(full)).toContain('ASSIGN_LICENSES');
  });

  it('answers the same for a persisted snapshot as for the live one, in every state along paths covering every machine', () => {
    for (const name of MACHINE_NAMES) {
      const machineEntryOf = MACHINES[name];
      const model = MODELS[name];
      for (const path of coveringPaths(machineEntryOf.machine, modelPaths(model as never))) {
        let [snapshot] = initialTransition(machineEntryOf.machine, path.input as never);
        const check = () => {
          const persisted = JSON.parse(JSON.stringify(machineEntryOf.machine.getPersistedSnapshot(snapshot))) as Parameters<typeof allowedEvents>[1];
          const candidates = [...machineEntryOf.events];
          expect(allowedEvents(machineEntryOf, persisted, candidates)).toEqual(allowedEvents(machineEntryOf, snapshot, candidates));
        };
        check();
        for (const event of path.events) {
          [snapshot] = transition(machineEntryOf.machine, snapshot, event);
          check();
        }
      }
    }
  });

  it('allows nothing in a final state', () => {
    expect(allowed(send(pendingSubscription(), { type: 'CANCEL', at: T0 })[0])).toEqual([]);
  });
});

describe('refusal reasons', () => {
  it('names the first failing rule of the event’s guard', () => {
    const [full] = send(activated(seatPlan)[0], { type: 'ASSIGN_LICENSES', userIds: ['u1', 'u2'], at: T0 });
    expect(refusalOf(entry, full, { type: 'ASSIGN_LICENSES', userIds: ['u3'] } as never)).toBe('license_limit_exceeded');
  });

  it('answers event_not_allowed for an event the state has no transition for, or an unknown type', () => {
    const pending = pendingSubscription();
    expect(refusalOf(entry, pending, { type: 'SET_AUTO_RENEW', autoRenew: false } as never)).toBe('event_not_allowed');
    expect(refusalOf(entry, pending, { type: 'NO_SUCH_EVENT' })).toBe('event_not_allowed');
  });

  it('accepts an event only in an active snapshot whose guards pass', () => {
    const [active] = activated(seatPlan);
    expect(accepts(active, { type: 'CHANGE_QUANTITY', quantity: 3, at: T0 } as never)).toBe(true);
    expect(accepts(active, { type: 'CHANGE_QUANTITY', quantity: 9, at: T0 } as never)).toBe(false);
    expect(accepts(send(active, { type: 'CANCEL', at: T0 })[0], { type: 'CANCEL', at: T0 } as never)).toBe(false);
  });

  it('fails loudly when a guard has no rules, rather than giving no reason', () => {
    const broken: MachineEntry = { ...entry, guards: {} };
    expect(() => refusalOf(broken, pendingSubscription(), { type: 'ACTIVATE' })).toThrow('subscription: guard canActivate has no rules');
  });

  it('reads guards written as objects, and skips inline guards, which have no rules', () => {
    const machine = createMachine({
      initial: 'a',
      states: { a: { on: { GO: [{ guard: () => false, target: 'b' }, { guard: { type: 'isReady' }, target: 'b' }] } }, b: {} },
    }).provide({ guards: { isReady: () => false } });
    const toy: MachineEntry = {
      name: 'purchase',
      machine,
      guards: { isReady: [stateRule('not_seat_based', () => true), payloadRule('amount_mismatch', () => false)] },
      clientEvents: ['GO'],
      events: ['GO'],
    };
    const [snapshot] = initialTransition(machine);
    expect(refusalOf(toy, snapshot, { type: 'GO' })).toBe('amount_mismatch');
    expect(allowedEvents(toy, snapshot, ['GO'])).toEqual(['GO']);
  });
});

describe('registry', () => {
  it('is what the machine layer exports, with every machine', () => {
    expect(machineLayer.MACHINES).toBe(MACHINES);
    expect([machineLayer.purchaseMachine, machineLayer.subscriptionMachine, machineLayer.activationMachine, machineLayer.invoiceMachine]).toEqual(MACHINE_NAMES.map((name) => MACHINES[name].machine));
  });

  it('knows the four machines by name, and nothing else', () => {
    expect(MACHINE_NAMES).toEqual(['purchase', 'subscription', 'activation', 'invoice']);
    expect(machineEntry('invoice')).toBe(MACHINES.invoice);
    expect([machineEntry('toString'), machineEntry('nope')]).toEqual([undefined, undefined]);
  });

  it('lists every event type a machine handles, without xstate internals, and the client events among them', () => {
    expect(MACHINES.activation.events).toEqual(['CLOSE', 'ISSUE_TOKEN', 'RESOLVE', 'TOKEN_EXPIRED']);
    for (const name of MACHINE_NAMES) {
      const { events, clientEvents } = MACHINES[name];
      expect(events.some((type) => type.startsWith('xstate.'))).toBe(false);
      expect(clientEvents.every((type) => events.includes(type))).toBe(true);
    }
  });

  it('has rules for every named guard of every machine', () => {
    for (const name of MACHINE_NAMES) {
      const { machine, guards } = MACHINES[name];
      expect(Object.keys(machine.implementations.guards).sort()).toEqual(Object.keys(guards).sort());
    }
  });
});
