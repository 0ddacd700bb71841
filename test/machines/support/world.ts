import type { EventObject, ExecutableActionObject } from 'xstate';

/** An event stamped with the time it happens at, as the engine stamps every event. */
export type TimedEvent = EventObject & { readonly at: string };

/** A durable timer as the engine would store it: an id and the event it fires at its due time. */
export interface Timer {
  readonly id: string;
  readonly event: TimedEvent;
}

/**
 * What the engine would know beside a snapshot: the clock and the pending timers. Machines
 * raise their deadlines as delayed events; a pure test fires them itself, in due order.
 */
export interface World {
  readonly now: string;
  readonly timers: readonly Timer[];
}

/**
 * Timers that the rest of the system starts or stops because of an action: an issued
 * invoice falls due 30 days later, a voided one never does.
 */
export type WorldTimers = (action: ExecutableActionObject) => { readonly start?: readonly Timer[]; readonly stop?: readonly string[] };

function byDueTime(a: Timer, b: Timer): number {
  return a.event.at.localeCompare(b.event.at) || a.id.localeCompare(b.id);
}

function sameEvent(a: EventObject, b: EventObject): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

interface RaiseParams {
  readonly event: TimedEvent;
  readonly id: string;
  readonly delay?: number;
}

function applyActions(now: string, timers: Timer[], actions: readonly ExecutableActionObject[], worldTimers: WorldTimers | undefined): Timer[] {
  let pending = timers;
  for (const action of actions) {
    if (action.type === 'xstate.cancel') {
      const { sendId } = action.params as { sendId: string };
      pending = pending.filter((timer) => timer.id !== sendId);
    } else if (action.type === 'xstate.raise' && (action.params as RaiseParams).delay !== undefined) {
      const { event, id, delay = 0 } = action.params as RaiseParams;
      // The raised event names its own due time; the delay must agree with it, or a
      // durable timer would fire it at another time than the event says.
      const due = Date.parse(now) + delay;
      if (Date.parse(event.at) !== due) throw new Error(`timer ${id}: event at ${event.at} but delay says ${new Date(due).toISOString()}`);
      pending = [...pending.filter((timer) => timer.id !== id), { id, event }];
    }
    const { start = [], stop = [] } = worldTimers?.(action) ?? {};
    pending = pending.filter((timer) => !stop.includes(timer.id));
    for (const timer of start) pending = [...pending.filter((t) => t.id !== timer.id), timer];
  }
  return pending.sort(byDueTime);
}

/** The world after an instance was created at `at` with these initial actions. */
export function initialWorld(at: string, actions: readonly ExecutableActionObject[], worldTimers?: WorldTimers): World {
  return { now: at, timers: applyActions(at, [], actions, worldTimers) };
}

/** The world after an event was accepted with these actions: time moved to its `at`, a fired timer is gone. */
export function advanceWorld(world: World, event: TimedEvent, actions: readonly ExecutableActionObject[], worldTimers?: WorldTimers): World {
  if (event.at < world.now) throw new Error(`time went back: ${event.type} at ${event.at}, now ${world.now}`);
  const due = dueTimers(world);
  if (due.length > 0 && event.at > (due[0]?.event.at ?? event.at)) {
    throw new Error(`${event.type} at ${event.at} skipped the timer ${due[0]?.id} due at ${due[0]?.event.at}`);
  }
  const fired = world.timers.find((timer) => sameEvent(timer.event, event));
  const timers = world.timers.filter((timer) => timer !== fired);
  return { now: event.at, timers: applyActions(event.at, timers, actions, worldTimers) };
}

/** The timers that fall due next (all of those due at the earliest time). */
export function dueTimers(world: World): Timer[] {
  const first = world.timers[0];
  return first ? world.timers.filter((timer) => timer.event.at === first.event.at) : [];
}

/** The pending timer with this id, if any. */
export function timerOf(world: World, id: string): Timer | undefined {
  return world.timers.find((timer) => timer.id === id);
}
