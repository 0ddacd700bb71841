import type { AnyMachineSnapshot, AnyStateMachine, AnyStateNode, EventObject, StateValue } from 'xstate';
import type { MachineEntry } from './registry.js';
import type { RefusalCode } from './refusal-codes.js';
import type { Rule } from './rules.js';

type AnyArgs = { context: unknown; event: unknown };

/** What deciding the events a state accepts needs: a live snapshot has it, and so has a persisted one. */
export interface StateOf {
  readonly status: string;
  readonly value: unknown;
  readonly context: unknown;
}

// A machine has a few dozen state values at most; more would mean values that are not its own.
const MAX_VALUES_PER_MACHINE = 1_000;

type Transition = AnyStateNode['transitions'] extends Map<string, (infer T)[]> ? T : never;

/** A state value's active nodes, deepest first, and the transitions they have by event type. */
interface ActiveState {
  readonly nodes: readonly AnyStateNode[];
  readonly byType: Map<string, readonly Transition[]>;
}

const statesByValue = new WeakMap<AnyStateMachine, Map<string, ActiveState>>();
// A snapshot's value is never changed in place (a transition makes a new one), so an object
// seen before needs no JSON key: views of the same record ask again and again.
const statesByValueObject = new WeakMap<object, ActiveState>();

/**
 * The active state of a state value, worked out once per value: a persisted snapshot
 * needs no `resolveState` (~6 µs) to tell its events, so a page of 50 views needs none at all.
 */
function activeState(machine: AnyStateMachine, value: unknown): ActiveState {
  const isObject = typeof value === 'object' && value !== null;
  const seen = isObject ? statesByValueObject.get(value) : undefined;
  if (seen && seen.nodes[0]?.machine === machine) return seen;
  let byValue = statesByValue.get(machine);
  if (!byValue) statesByValue.set(machine, (byValue = new Map()));
  const key = typeof value === 'string' ? value : JSON.stringify(value);
  let state = byValue.get(key);
  if (!state) {
    const nodes = [...machine.resolveState({ value: value as StateValue, context: {} })._nodes].reverse();
    state = { nodes, byType: new Map() };
    if (byValue.size >= MAX_VALUES_PER_MACHINE) byValue.clear();
    byValue.set(key, state);
  }
  if (isObject) statesByValueObject.set(value, state);
  return state;
}

function guardName(guard: unknown): string | undefined {
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'object' && guard !== null && 'type' in guard && typeof guard.type === 'string') return guard.type;
  return undefined;
}

function rulesOf(entry: MachineEntry, guard: unknown): readonly Rule<AnyArgs>[] {
  const name = guardName(guard);
  if (name === undefined) return [];
  const rules = entry.guards[name];
  if (!rules) throw new Error(`${entry.name}: guard ${name} has no rules`);
  return rules;
}

/** The transitions the active nodes have for `type`, in the order XState tries them. */
function transitionsOf(state: ActiveState, type: string): readonly Transition[] {
  let transitions = state.byType.get(type);
  if (!transitions) {
    const found: Transition[] = [];
    for (const node of state.nodes) found.push(...(node.transitions.get(type) ?? []));
    // Event types come from clients: only the machine's own are kept.
    if (found.length === 0) return found;
    state.byType.set(type, (transitions = found));
  }
  return transitions;
}

/** Whether the machine accepts the event in this snapshot. */
export function accepts(snapshot: AnyMachineSnapshot, event: EventObject): boolean {
  return snapshot.status === 'active' && snapshot.can(event);
}

/**
 * Why the snapshot refuses the event: the code of the first rule that fails among the
 * transitions its active states have for the event's type, or `event_not_allowed` when
 * they have none.
 */
export function refusalOf(entry: MachineEntry, snapshot: AnyMachineSnapshot, event: EventObject): RefusalCode {
  const args = { context: snapshot.context, event };
  if (snapshot.status === 'active') {
    for (const transition of transitionsOf(activeState(entry.machine, snapshot.value), event.type)) {
      const failed = rulesOf(entry, transition.guard).find((rule) => !rule.check(args));
      if (failed) return failed.code;
    }
  }
  return entry.refine?.(snapshot, event) ?? 'event_not_allowed';
}

/**
 * The event types among `candidates` that the current state accepts, judged by the rules
 * that read only the context (a payload cannot be known before it is sent).
 */
export function allowedEvents(entry: MachineEntry, state: StateOf, candidates: readonly string[]): string[] {
  if (state.status !== 'active') return [];
  const args = { context: state.context, event: { type: '' } };
  const active = activeState(entry.machine, state.value);
  return candidates.filter((type) =>
    transitionsOf(active, type).some((transition) => rulesOf(entry, transition.guard).every((rule) => rule.needsPayload || rule.check(args))),
  );
}
