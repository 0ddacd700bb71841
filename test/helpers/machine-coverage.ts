import { createActor } from 'xstate';
import type {
  AnyActorScope,
  AnyMachineSnapshot,
  AnyStateMachine,
  AnyStateNode,
  AnyTransitionDefinition,
  EventObject,
  ExecutableActionObject,
  InspectionEvent,
} from 'xstate';

/** A machine's state nodes (the root excluded: it is always active) and transitions, each with a readable id. */
export interface MachineInventory {
  readonly states: ReadonlyMap<string, AnyStateNode>;
  /** Every entry of every node's `transitions` map and every `always` transition. */
  readonly transitions: ReadonlyMap<AnyTransitionDefinition, string>;
}

function nodesUnder(node: AnyStateNode): AnyStateNode[] {
  return Object.values(node.states).flatMap((child) => [child, ...nodesUnder(child)]);
}

function describeTransition(node: AnyStateNode, trigger: string, index: number, transition: AnyTransitionDefinition): string {
  const targets = transition.target?.map((target) => target.id).join(',') ?? 'self';
  return `${node.id} ${trigger}#${index} → ${targets}`;
}

/** The states and transitions of a machine, found by walking `machine.root`. */
export function inventoryOf(machine: AnyStateMachine): MachineInventory {
  const states = new Map<string, AnyStateNode>();
  const transitions = new Map<AnyTransitionDefinition, string>();
  for (const node of [machine.root, ...nodesUnder(machine.root)]) {
    if (node !== machine.root) states.set(node.id, node);
    for (const [type, list] of node.transitions) {
      list.forEach((transition, i) => transitions.set(transition, describeTransition(node, type, i, transition)));
    }
    (node.always ?? []).forEach((transition, i) => transitions.set(transition, describeTransition(node, 'always', i, transition)));
  }
  return { states, transitions };
}

/** One pure step, with what it did: the transitions taken and every state node active on the way. */
export interface TracedStep<TSnapshot extends AnyMachineSnapshot = AnyMachineSnapshot> {
  readonly snapshot: TSnapshot;
  readonly actions: readonly ExecutableActionObject[];
  readonly transitions: readonly AnyTransitionDefinition[];
  readonly nodes: readonly AnyStateNode[];
}

function ancestry(node: AnyStateNode): AnyStateNode[] {
  return node.parent ? [node, ...ancestry(node.parent)] : [node];
}

// Like xstate's own `transition()`, which runs nothing and collects the actions, but also
// listens to the microstep inspection events: they name the transitions taken, eventless
// ones included, which the returned snapshot alone cannot tell.
function traced<TSnapshot extends AnyMachineSnapshot>(machine: AnyStateMachine, run: (scope: AnyActorScope) => TSnapshot): TracedStep<TSnapshot> {
  const actions: ExecutableActionObject[] = [];
  const transitions: AnyTransitionDefinition[] = [];
  const nodes = new Set<AnyStateNode>();
  // Without input the eager initial snapshot of this actor errors; it is never started.
  const self = createActor(machine);
  self.system.inspect((event: InspectionEvent) => {
    if (event.type !== '@xstate.microstep') return;
    transitions.push(...event._transitions);
    for (const transition of event._transitions) ancestry(transition.source).forEach((node) => nodes.add(node));
    (event.snapshot as AnyMachineSnapshot)._nodes.forEach((node) => nodes.add(node));
  });
  const scope: AnyActorScope = {
    self,
    id: '',
    sessionId: '',
    logger: () => {},
    defer: () => {},
    emit: () => {},
    system: self.system,
    stopChild: () => {},
    actionExecutor: (action) => void actions.push(action),
  };
  const snapshot = run(scope);
  snapshot._nodes.forEach((node) => nodes.add(node));
  return { snapshot, actions, transitions, nodes: [...nodes] };
}

/** The initial step of a machine for an input, traced. */
export function traceInitial(machine: AnyStateMachine, input: unknown): TracedStep {
  return traced(machine, (scope) => machine.getInitialSnapshot(scope, input) as AnyMachineSnapshot);
}

/** The step that an event takes from a snapshot, traced. A refused event takes no transition. */
export function traceStep(machine: AnyStateMachine, snapshot: AnyMachineSnapshot, event: EventObject): TracedStep {
  return traced(machine, (scope) => machine.transition(snapshot, event, scope) as AnyMachineSnapshot);
}

export interface CoverageCount {
  readonly covered: number;
  readonly total: number;
  readonly missing: readonly string[];
}

export interface CoverageReport {
  readonly machine: string;
  readonly states: CoverageCount;
  readonly transitions: CoverageCount;
}

/** Which states of a machine were visited and which transitions taken, over any number of runs. */
export class MachineCoverage {
  readonly inventory: MachineInventory;
  private readonly visited = new Set<string>();
  private readonly taken = new Set<string>();

  constructor(readonly machine: AnyStateMachine) {
    this.inventory = inventoryOf(machine);
  }

  /** Records a traced step; returns it for chaining. */
  record<T extends TracedStep>(step: T): T {
    for (const node of step.nodes) if (this.inventory.states.has(node.id)) this.visited.add(node.id);
    for (const transition of step.transitions) {
      const id = this.inventory.transitions.get(transition);
      if (id === undefined) throw new Error(`${this.machine.id}: a transition that is not in the machine was taken`);
      this.taken.add(id);
    }
    return step;
  }

  /** Traces and records the initial step. */
  recordInitial(input: unknown): TracedStep {
    return this.record(traceInitial(this.machine, input));
  }

  /** Traces and records the step an event takes from a snapshot. */
  recordStep(snapshot: AnyMachineSnapshot, event: EventObject): TracedStep {
    return this.record(traceStep(this.machine, snapshot, event));
  }

  report(): CoverageReport {
    const count = (all: Iterable<string>, seen: ReadonlySet<string>): CoverageCount => {
      const ids = [...all];
      const missing = ids.filter((id) => !seen.has(id));
      return { covered: ids.length - missing.length, total: ids.length, missing };
    };
    return {
      machine: this.machine.id,
      states: count(this.inventory.states.keys(), this.visited),
      transitions: count(this.inventory.transitions.values(), this.taken),
    };
  }

  /** "states covered X/Y, transitions covered A/B", prefixed with the machine's id. */
  summary(): string {
    const { machine, states, transitions } = this.report();
    return `${machine}: states covered ${states.covered}/${states.total}, transitions covered ${transitions.covered}/${transitions.total}`;
  }
}
