import type { AnyMachineSnapshot, AnyStateNode, EventObject } from 'xstate';
import type { MachineEntry } from './registry.js';
import type { RefusalCode } from './refusal-codes.js';
import type { Rule } from './rules.js';

type AnyArgs = { context: unknown; event: unknown };

/** The active state nodes, deepest first: the order in which XState selects transitions. */
function activeNodes(snapshot: AnyMachineSnapshot): AnyStateNode[] {
  return [...snapshot._nodes].reverse();
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

/** The transitions these nodes have for `type`, in the order XState tries them. */
function transitionsOf(nodes: readonly AnyStateNode[], type: string) {
  const transitions = [];
  for (const node of nodes) transitions.push(...(node.transitions.get(type) ?? []));
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
    for (const transition of transitionsOf(activeNodes(snapshot), event.type)) {
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
export function allowedEvents(entry: MachineEntry, snapshot: AnyMachineSnapshot, candidates: readonly string[]): string[] {
  if (snapshot.status !== 'active') return [];
  const args = { context: snapshot.context, event: { type: '' } };
  // Answered for every view: the active nodes are listed once, not once per candidate.
  const nodes = activeNodes(snapshot);
  return candidates.filter((type) =>
    transitionsOf(nodes, type).some((transition) => rulesOf(entry, transition.guard).every((rule) => rule.needsPayload || rule.check(args))),
  );
}
