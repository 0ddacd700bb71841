import fc from 'fast-check';
import { expect } from 'vitest';
import { initialTransition, transition } from 'xstate';
import type { AnyMachineSnapshot, AnyStateMachine, EventObject } from 'xstate';
import { accepts } from '../../../machines/refusal.js';
import { addMs } from '../../../machines/time.js';
import { traceStep } from '../../helpers/machine-coverage.js';
import type { Action } from './steps.js';

/** A generated event before it is stamped: how far the clock moves first, and whether it comes on its due time. */
export interface RawEvent {
  readonly advanceMs: number;
  readonly onTime: boolean;
  readonly event: EventObject;
}

export interface DrivenStep {
  readonly before: AnyMachineSnapshot;
  readonly event: EventObject & { readonly at: string };
  readonly after: AnyMachineSnapshot;
  readonly actions: readonly Action[];
  /** Whether the machine took a transition for the event. */
  readonly accepted: boolean;
}

export interface Drive {
  readonly initial: AnyMachineSnapshot;
  readonly initialActions: readonly Action[];
  readonly steps: readonly DrivenStep[];
}

/** The due time of a timer event in this snapshot (e.g. TERM_ENDED at the term's end), or null. */
export type DueTime = (snapshot: AnyMachineSnapshot, type: string) => string | null;

/** An arbitrary RawEvent around a payload arbitrary: time moves forward by up to `maxAdvanceMs`. */
export function rawEvent(event: fc.Arbitrary<EventObject>, maxAdvanceMs: number): fc.Arbitrary<RawEvent> {
  return fc.record({ advanceMs: fc.integer({ min: 0, max: maxAdvanceMs }), onTime: fc.boolean(), event });
}

/**
 * Sends the events in order through the pure `transition`, stamping each with a clock that
 * only moves forward: an on-time timer event comes at its due time when that is not past.
 */
export function drive(machine: AnyStateMachine, input: { readonly at: string }, raws: readonly RawEvent[], dueTime: DueTime): Drive {
  const [initial, initialActions] = initialTransition(machine, input);
  let snapshot: AnyMachineSnapshot = initial;
  let now = input.at;
  const steps: DrivenStep[] = [];
  for (const raw of raws) {
    now = addMs(now, raw.advanceMs);
    const due = raw.onTime ? dueTime(snapshot, raw.event.type) : null;
    if (due !== null && due >= now) now = due;
    const event = { ...raw.event, at: now };
    const [after, actions] = transition(machine, snapshot, event);
    const accepted = traceStep(machine, snapshot, event).transitions.length > 0;
    steps.push({ before: snapshot, event, after, actions, accepted });
    snapshot = after;
  }
  return { initial, initialActions, steps };
}

/** The persisted JSON after every step, as the engine would store it. */
export function persistedJson(machine: AnyStateMachine, run: Drive): string[] {
  return [run.initial, ...run.steps.map((step) => step.after)].map((snapshot) => JSON.stringify(machine.getPersistedSnapshot(snapshot)));
}

/** Replays steps from a stored snapshot, as the engine does after a restart. */
export function resumeFrom(machine: AnyStateMachine, persisted: string, events: readonly EventObject[]): string {
  let snapshot: AnyMachineSnapshot = machine.resolveState(JSON.parse(persisted));
  for (const event of events) [snapshot] = transition(machine, snapshot, event);
  return JSON.stringify(machine.getPersistedSnapshot(snapshot));
}

/** The refusal contract: an event is accepted iff `accepts` says so; a refused one changes nothing. */
export function expectRefusalContract(step: DrivenStep): void {
  expect(accepts(step.before, step.event), `accepts() and transition() disagree on ${step.event.type}`).toBe(step.accepted);
  if (!step.accepted) {
    expect(step.after, `refused ${step.event.type} changed the snapshot`).toBe(step.before);
    expect(step.actions, `refused ${step.event.type} produced actions`).toEqual([]);
  }
  // Nothing is accepted once an instance is final.
  if (step.before.status !== 'active') expect(step.accepted).toBe(false);
}
