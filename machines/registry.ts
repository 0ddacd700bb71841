import type { AnyMachineSnapshot, AnyStateMachine, EventObject } from 'xstate';
import { activationGuards, activationMachine, tokenRefusal } from './activation.machine.js';
import type { ActivationContext } from './activation.machine.js';
import type { MachineName } from './effects.js';
import { invoiceGuards, invoiceMachine } from './invoice.machine.js';
import { PURCHASE_CLIENT_EVENTS, purchaseGuards, purchaseMachine } from './purchase.machine.js';
import type { RefusalCode } from './refusal-codes.js';
import type { GuardTable } from './rules.js';
import { SUBSCRIPTION_CLIENT_EVENTS, subscriptionGuards, subscriptionMachine } from './subscription.machine.js';

/** Everything the engine and the server need to know about one machine. */
export interface MachineEntry {
  readonly name: MachineName;
  readonly machine: AnyStateMachine;
  /** Guard name → its rules, so that every refusal has a named reason. */
  readonly guards: GuardTable<{ context: unknown; event: unknown }>;
  /** Event types a client may send; the rest come from other instances and timers. */
  readonly clientEvents: readonly string[];
  /** Every event type the machine handles, for documentation and the inspector. */
  readonly events: readonly string[];
  /** A more precise reason for an event that the state has no transition for at all. */
  readonly refine?: (snapshot: AnyMachineSnapshot, event: EventObject) => RefusalCode | undefined;
}

function eventTypesOf(machine: AnyStateMachine): string[] {
  return [...new Set(machine.events)].filter((type) => !type.startsWith('xstate.')).sort();
}

// GuardTable is invariant in its argument type; each machine's table is checked against
// its own context and event where it is defined, so widening it here is safe.
function entry(e: Omit<MachineEntry, 'events' | 'guards'> & { guards: object }): MachineEntry {
  return { ...e, guards: e.guards as MachineEntry['guards'], events: eventTypesOf(e.machine) };
}

export const MACHINES: Readonly<Record<MachineName, MachineEntry>> = Object.freeze({
  purchase: entry({ name: 'purchase', machine: purchaseMachine, guards: purchaseGuards, clientEvents: PURCHASE_CLIENT_EVENTS }),
  subscription: entry({ name: 'subscription', machine: subscriptionMachine, guards: subscriptionGuards, clientEvents: SUBSCRIPTION_CLIENT_EVENTS }),
  activation: entry({
    name: 'activation',
    machine: activationMachine,
    guards: activationGuards,
    clientEvents: ['RESOLVE'],
    refine: (snapshot, event) =>
      event.type === 'RESOLVE' ? tokenRefusal(snapshot.context as ActivationContext, (event as { tokenHash?: string }).tokenHash ?? '') : undefined,
  }),
  invoice: entry({ name: 'invoice', machine: invoiceMachine, guards: invoiceGuards, clientEvents: ['PAYMENT_SUCCEEDED', 'PAYMENT_DECLINED', 'RECORD_PAYMENT'] }),
});

export const MACHINE_NAMES = Object.keys(MACHINES) as MachineName[];

/** The registry entry of a machine name, or undefined. */
export function machineEntry(name: string): MachineEntry | undefined {
  return Object.hasOwn(MACHINES, name) ? MACHINES[name as MachineName] : undefined;
}
