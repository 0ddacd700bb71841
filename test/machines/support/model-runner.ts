import { expect } from 'vitest';
import { initialTransition, transition } from 'xstate';
import type { AnyMachineSnapshot, AnyStateMachine, EventObject, StateValue } from 'xstate';
import { createTestModel } from 'xstate/graph';
import { MachineCoverage, inventoryOf, traceStep } from '../../helpers/machine-coverage.js';
import type { TracedStep } from '../../helpers/machine-coverage.js';
import { advanceWorld, initialWorld } from './world.js';
import type { TimedEvent, World, WorldTimers } from './world.js';

/** What an events generator may look at: nothing else, so that equal keys offer equal events. */
export interface ModelState<TFacts> {
  readonly value: StateValue;
  readonly facts: TFacts;
  readonly world: World;
}

/** A model of one machine: how its world behaves, and what must hold in each of its states. */
export interface MachineModel<TSnapshot extends AnyMachineSnapshot, TFacts, TEvent extends TimedEvent = TimedEvent> {
  readonly machine: AnyStateMachine;
  /** Inputs to start from, by name; the paths of all of them together must cover the machine. */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** The few context facts that decide what may happen next; with the value and the world they key a model state. */
  readonly facts: (snapshot: TSnapshot) => TFacts;
  /** Valid events the world may send now: requests at `world.now`, due timers at their time. */
  readonly events: (state: ModelState<TFacts>) => readonly TEvent[];
  /** Event types only a durable timer sends. */
  readonly timerEvents: readonly string[];
  readonly worldTimers?: WorldTimers;
  /** Invariants by state (matched with `snapshot.matches`); every state must match at least one. */
  readonly invariants: Readonly<Record<string, (snapshot: TSnapshot, world: World, step: TracedStep) => void>>;
  readonly paths: 'shortest' | 'simple';
}

interface Keyed {
  readonly key: string;
  readonly world: World;
}

function keyOf<TSnapshot extends AnyMachineSnapshot, TFacts>(model: MachineModel<TSnapshot, TFacts, TimedEvent>, snapshot: TSnapshot, world: World, via: string): string {
  const state: ModelState<TFacts> = { value: snapshot.value, facts: model.facts(snapshot), world };
  return `${JSON.stringify(state)} ⇐ ${via}`;
}

/**
 * The test model of a machine for one input. A model state is keyed by value, facts and
 * world plus the transitions that led into it, so that the shortest paths take every
 * transition, not only reach every state.
 */
function testModelFor<TSnapshot extends AnyMachineSnapshot, TFacts>(model: MachineModel<TSnapshot, TFacts, TimedEvent>, input: unknown) {
  const { transitions } = inventoryOf(model.machine);
  // Keyed once, from the step that produced each snapshot object: the traversal later asks
  // again with another predecessor of the same key, whose world may differ in what no key holds.
  const known = new WeakMap<TSnapshot, { producer: EventObject | undefined; keyed: Keyed }>();
  // A step that changes nothing returns the very same snapshot object; such a step is keyed
  // by its event object, with the world of the snapshot, which it cannot have changed.
  const loops = new WeakMap<EventObject, Keyed>();
  const keyStep = (previous: TSnapshot, event: EventObject, world: World, snapshot: TSnapshot): Keyed => {
    const step = traceStep(model.machine, previous, event);
    const next = advanceWorld(world, event as TimedEvent, step.actions, model.worldTimers);
    const via = step.transitions.map((t) => transitions.get(t)).join(' + ') || 'refused';
    return { key: keyOf(model, snapshot, next, via), world: next };
  };
  const keyed = (snapshot: TSnapshot, event: EventObject | undefined, previous: TSnapshot | undefined): Keyed => {
    const seen = known.get(snapshot);
    if (seen && seen.producer === event) return seen.keyed;
    if (seen && event) {
      const loop = loops.get(event) ?? keyStep(snapshot, event, seen.keyed.world, snapshot);
      if (JSON.stringify(loop.world) !== JSON.stringify(seen.keyed.world)) throw new Error(`${event.type} changed nothing but moved the world`);
      loops.set(event, loop);
      return loop;
    }
    let result: Keyed;
    if (event === undefined) {
      const [, actions] = initialTransition(model.machine, input);
      const world = initialWorld((input as { at: string }).at, actions, model.worldTimers);
      result = { key: keyOf(model, snapshot, world, 'init'), world };
    } else {
      const before = previous && known.get(previous);
      if (!before) throw new Error('a model state was reached from an unkeyed one');
      result = keyStep(previous, event, before.keyed.world, snapshot);
    }
    known.set(snapshot, { producer: event, keyed: result });
    return result;
  };
  const worldOf = (snapshot: TSnapshot): World | undefined => known.get(snapshot)?.keyed.world;
  const testModel = createTestModel(model.machine, {
    input,
    serializeState: (snapshot, event, previous) => keyed(snapshot as TSnapshot, event, previous as TSnapshot | undefined).key,
    events: (snapshot) => {
      const state = snapshot as TSnapshot;
      if (state.status !== 'active') return [];
      const seen = known.get(state);
      if (!seen) throw new Error('events asked for a model state that was never keyed');
      return model.events({ value: state.value, facts: model.facts(state), world: seen.keyed.world });
    },
    // createTestModel adds a bare `{ type }` for each event type the generator did not offer; drop those.
    filterEvents: (_snapshot, event) => typeof (event as Partial<TimedEvent>).at === 'string',
  });
  return { testModel, worldOf };
}

/** The system under test: the machine driven through xstate's pure `initialTransition` / `transition`. */
class PureDriver<TSnapshot extends AnyMachineSnapshot, TFacts> {
  snapshot: TSnapshot;
  world: World;
  last: TracedStep;

  constructor(
    private readonly model: MachineModel<TSnapshot, TFacts, TimedEvent>,
    private readonly coverage: MachineCoverage,
    input: unknown,
  ) {
    const [snapshot, actions] = initialTransition(model.machine, input);
    this.snapshot = snapshot as TSnapshot;
    this.world = initialWorld((input as { at: string }).at, actions, model.worldTimers);
    this.last = coverage.recordInitial(input);
    expect(this.last.snapshot.value).toEqual(snapshot.value);
  }

  send(event: TimedEvent): void {
    if (this.model.timerEvents.includes(event.type)) {
      expect(this.world.timers.map((t) => t.event), `${event.type} must come from a pending timer`).toContainEqual(event);
    }
    const [next, actions] = transition(this.model.machine, this.snapshot, event);
    this.last = this.coverage.recordStep(this.snapshot, event);
    expect(this.last.transitions.length, `${event.type} must be accepted in ${JSON.stringify(this.snapshot.value)}`).toBeGreaterThan(0);
    expect(this.model.machine.getPersistedSnapshot(this.last.snapshot)).toEqual(this.model.machine.getPersistedSnapshot(next));
    this.world = advanceWorld(this.world, event, actions, this.model.worldTimers);
    this.snapshot = next as TSnapshot;
  }

  check(modelState: TSnapshot, modelWorld: World | undefined): void {
    expect(this.snapshot.value).toEqual(modelState.value);
    expect(this.world).toEqual(modelWorld);
    expect(this.model.facts(this.snapshot)).toEqual(this.model.facts(modelState));
    const checks = Object.entries(this.model.invariants).filter(([state]) => this.snapshot.matches(state as never));
    expect(checks.length, `no invariants for ${JSON.stringify(this.snapshot.value)}`).toBeGreaterThan(0);
    for (const [, check] of checks) check(this.snapshot, this.world, this.last);
  }
}

/** Runs every generated path of a model against the pure machine; returns the coverage and the number of paths. */
export async function runModel<TSnapshot extends AnyMachineSnapshot, TFacts>(model: MachineModel<TSnapshot, TFacts, TimedEvent>): Promise<{ coverage: MachineCoverage; paths: number }> {
  const coverage = new MachineCoverage(model.machine);
  let count = 0;
  for (const input of Object.values(model.inputs)) {
    const { testModel, worldOf } = testModelFor(model, input);
    const paths = model.paths === 'shortest' ? testModel.getShortestPaths() : testModel.getSimplePaths();
    for (const path of paths) {
      const driver = new PureDriver(model, coverage, input);
      const send = (step: { event: EventObject }) => driver.send(step.event as TimedEvent);
      await path.test({
        events: Object.fromEntries(model.machine.events.map((type) => [type, send])),
        states: { '*': (state) => driver.check(state as TSnapshot, worldOf(state as TSnapshot)) },
      });
      count++;
    }
  }
  return { coverage, paths: count };
}

/** A generated path of a model: the input it starts from and the events it sends, in order. */
export interface ModelPath {
  readonly inputName: string;
  readonly input: unknown;
  readonly events: readonly TimedEvent[];
}

/** The model's generated paths as plain event lists, for drivers other than the pure machine (the HTTP API). */
export function modelPaths<TSnapshot extends AnyMachineSnapshot, TFacts>(model: MachineModel<TSnapshot, TFacts, TimedEvent>): ModelPath[] {
  const result: ModelPath[] = [];
  for (const [inputName, input] of Object.entries(model.inputs)) {
    const { testModel } = testModelFor(model, input);
    const paths = model.paths === 'shortest' ? testModel.getShortestPaths() : testModel.getSimplePaths();
    for (const path of paths) result.push({ inputName, input, events: path.steps.slice(1).map((step) => step.event as TimedEvent) });
  }
  return result;
}

/**
 * The paths, in order, that each reach a state or take a transition that none before them
 * did: together they cover all that the given paths cover (the rest only repeat them).
 */
export function coveringPaths(machine: AnyStateMachine, paths: readonly ModelPath[]): ModelPath[] {
  const all = new MachineCoverage(machine);
  const covered = () => all.report().transitions.covered + all.report().states.covered;
  const selected: ModelPath[] = [];
  for (const path of paths) {
    const before = covered();
    let [snapshot] = initialTransition(machine, path.input);
    all.recordInitial(path.input);
    for (const event of path.events) {
      all.recordStep(snapshot, event);
      [snapshot] = transition(machine, snapshot, event);
    }
    if (covered() > before) selected.push(path);
  }
  return selected;
}
