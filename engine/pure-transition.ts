import type { AnyActorScope, AnyMachineSnapshot, AnyStateMachine, EventObject, ExecutableActionsFrom } from 'xstate';
import { createActor } from 'xstate';

type Actions = ExecutableActionsFrom<AnyStateMachine>[];

interface ReusableScope {
  readonly scope: AnyActorScope;
  collect(into: Actions): void;
}

const scopes = new WeakMap<AnyStateMachine, ReusableScope>();

/**
 * XState's `transition()` and `initialTransition()`, with one inert actor scope per
 * machine instead of one per call. XState builds that scope from a throwaway actor, whose
 * constructor computes (and here, lacking input, fails to compute) the machine's initial
 * state: measured at two thirds of the CPU of a transition. Our machines spawn and invoke
 * nothing, so nothing is left in the scope between calls, and calls never overlap (they
 * are synchronous).
 */
function scopeOf(machine: AnyStateMachine): ReusableScope {
  let reusable = scopes.get(machine);
  if (!reusable) {
    // Never started: the actor exists only to be the scope's `self`.
    const self = createActor(machine);
    let sink: Actions = [];
    const scope = {
      self,
      system: self.system,
      id: '',
      sessionId: '',
      logger: () => undefined,
      defer: () => undefined,
      emit: () => undefined,
      stopChild: () => undefined,
      actionExecutor: (action: Actions[number]) => {
        sink.push(action);
      },
    } as unknown as AnyActorScope;
    reusable = { scope, collect: (into) => (sink = into) };
    scopes.set(machine, reusable);
  }
  return reusable;
}

/** The next snapshot and the actions to execute, without executing them. */
export function pureTransition(machine: AnyStateMachine, snapshot: AnyMachineSnapshot, event: EventObject): [AnyMachineSnapshot, Actions] {
  const actions: Actions = [];
  const { scope, collect } = scopeOf(machine);
  collect(actions);
  return [machine.transition(snapshot, event, scope) as AnyMachineSnapshot, actions];
}

/** The initial snapshot for this input and the actions to execute, without executing them. */
export function pureInitialTransition(machine: AnyStateMachine, input: unknown): [AnyMachineSnapshot, Actions] {
  const actions: Actions = [];
  const { scope, collect } = scopeOf(machine);
  collect(actions);
  return [machine.getInitialSnapshot(scope, input) as AnyMachineSnapshot, actions];
}
