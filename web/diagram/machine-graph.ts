import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition } from 'xstate';
import { actionName, guardName, isDelayBookkeeping } from './implementation-names.js';

/** The kinds of state node XState has. */
export type StateNodeType = 'atomic' | 'compound' | 'parallel' | 'final' | 'history';

/** One state of a machine, the root included. */
export interface GraphNode {
  /** The XState state node id, e.g. `subscription.active.billing.current`; unique in the machine. */
  readonly id: string;
  /** The state's key in its parent, e.g. `current`; the machine id for the root. */
  readonly key: string;
  readonly type: StateNodeType;
  /** The parent's id; null for the root. */
  readonly parent: string | null;
  /** Child ids in document order; empty for atomic, final and history states. */
  readonly children: readonly string[];
  /** The initial child's id for a compound state; null otherwise. */
  readonly initial: string | null;
  /** For a history state, which history it keeps; null otherwise. */
  readonly history: 'shallow' | 'deep' | null;
  /** Names of the actions run on entering the state, in order. */
  readonly entry: readonly string[];
  /** Names of the actions run on leaving the state, in order. */
  readonly exit: readonly string[];
}

/** One transition of a state: the candidate for one event, tried in `order`. */
export interface GraphEdge {
  /** `${source}|${event ?? ''}|${order}`: unique in the machine and stable across builds. */
  readonly id: string;
  /** The id of the state whose transition this is. */
  readonly source: string;
  /**
   * The ids of the states it goes to, sorted. Empty for a targetless transition, which
   * runs its actions and stays in the state without leaving it.
   */
  readonly targets: readonly string[];
  /**
   * The event type that triggers it, as XState names it (delayed transitions are
   * `xstate.after.<delay>.<source>`); null for an eventless `always` transition.
   */
  readonly event: string | null;
  /** Position among the source's candidates for the same event: the first whose guard passes is taken. */
  readonly order: number;
  /** The guard's name, or null when unguarded. */
  readonly guard: string | null;
  /** Names of the actions it runs, in order. */
  readonly actions: readonly string[];
  /** Whether it exits and re-enters a target that is the source or one of its descendants. */
  readonly reenter: boolean;
}

/**
 * A machine definition as plain JSON: what the diagrams are drawn from and what
 * `GET /api/machines/:name` serves. Nodes are in document order (parents before their
 * children); edges are sorted by source in document order, then by event type, then by
 * `order` (eventless transitions first).
 */
export interface MachineGraph {
  /** The machine id, which is also the root node's id. */
  readonly id: string;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

/** The JSON graph model of a machine definition. */
export function machineGraph(machine: AnyStateMachine): MachineGraph {
  const stateNodes = descendantsOf(machine.root);
  return {
    id: machine.root.id,
    nodes: stateNodes.map(graphNode),
    edges: stateNodes.flatMap(edgesOf),
  };
}

function descendantsOf(node: AnyStateNode): AnyStateNode[] {
  return [node, ...childrenOf(node).flatMap(descendantsOf)];
}

function childrenOf(node: AnyStateNode): AnyStateNode[] {
  return (Object.values(node.states) as AnyStateNode[]).sort((a, b) => a.order - b.order);
}

function graphNode(node: AnyStateNode): GraphNode {
  return {
    id: node.id,
    key: node.key,
    type: node.type,
    parent: node.parent?.id ?? null,
    children: childrenOf(node).map((child) => child.id),
    // Only compound states have an initial child; XState gives others an empty initial transition.
    initial: node.type === 'compound' ? (node.initial.target[0]?.id ?? null) : null,
    history: node.type === 'history' && node.history !== false ? node.history : null,
    entry: actionNames(node.entry),
    exit: actionNames(node.exit),
  };
}

function edgesOf(node: AnyStateNode): GraphEdge[] {
  const always = (node.always ?? []).map((t, order) => graphEdge(node, null, order, t));
  const byEvent = [...node.transitions.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .flatMap(([event, candidates]) => candidates.map((t, order) => graphEdge(node, event, order, t)));
  return [...always, ...byEvent];
}

function graphEdge(source: AnyStateNode, event: string | null, order: number, t: AnyTransitionDefinition): GraphEdge {
  return {
    id: `${source.id}|${event ?? ''}|${order}`,
    source: source.id,
    targets: (t.target ?? []).map((target: AnyStateNode) => target.id).sort(),
    event,
    order,
    guard: guardName(t.guard),
    actions: actionNames(t.actions),
    reenter: t.reenter,
  };
}

function actionNames(actions: unknown): string[] {
  const list: unknown[] = Array.isArray(actions) ? actions : actions === undefined ? [] : [actions];
  return list.filter((action) => !isDelayBookkeeping(action)).map(actionName);
}
