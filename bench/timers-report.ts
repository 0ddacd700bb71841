import type { DurableResult } from './durable-phase.js';
import type { TableRow } from './table.js';
import { count, fixed, percent } from './table.js';
import type { AdvanceResult } from './timer-advance.js';

/** Everything the timers benchmark measured. */
export interface TimersMeasurement {
  /** Durable CHANGE_QUANTITY decreases just before and just after the advance. */
  readonly durableBefore: DurableResult;
  readonly durableAfter: DurableResult;
  readonly advance: AdvanceResult;
  /** Timers due before the advance: what it should fire. */
  readonly due: number;
  /** What the database says is wrong about the firing (empty: each fired once). */
  readonly problems: readonly string[];
}

/** The timers benchmark's table, its notes, and whether the target was met. */
export interface TimersReport {
  readonly header: TableRow;
  readonly rows: TableRow[];
  readonly notes: string[];
  readonly passed: boolean;
}

/** Timers per second against the durable event rate measured around them, with the target. */
export function timersReport(m: TimersMeasurement, target: number): TimersReport {
  const notes: string[] = [];
  const { advance } = m;
  const rateOf = (d: DurableResult) => d.accepted / d.seconds;
  // Both halves as one phase: all their events over all their time.
  const durableRate = (m.durableBefore.accepted + m.durableAfter.accepted) / (m.durableBefore.seconds + m.durableAfter.seconds);
  const timerRate = advance.fired / advance.seconds;
  const ratio = timerRate / durableRate;
  const refused = m.durableBefore.refused + m.durableAfter.refused;
  const exact = m.problems.length === 0 && advance.fired === m.due && advance.outOfOrder === 0;
  const passed = ratio >= target && exact && refused === 0;
  if (ratio < target) notes.push(`timers: ${percent(ratio)} of the durable event rate is below the target of ${percent(target)}`);
  if (advance.fired !== m.due) notes.push(`timers: advance reported ${count(advance.fired)} fired, but ${count(m.due)} were due`);
  if (advance.outOfOrder > 0) notes.push(`timers: ${count(advance.outOfOrder)} timer events were committed after a later-due one`);
  for (const problem of m.problems) notes.push(`timers: ${problem}`);
  if (refused > 0) notes.push(`timers: ${refused} CHANGE_QUANTITY events were refused: the reference workload is wrong`);
  const perTimer = (n: number) => fixed(n / advance.fired, 3);
  const rows: TableRow[] = [
    ['durable CHANGE_QUANTITY events/s (before / after)', '', `${count(rateOf(m.durableBefore))} / ${count(rateOf(m.durableAfter))}`],
    ['  both halves together', '', count(durableRate)],
    ['  event-loop utilisation', '', percent((m.durableBefore.eventLoopBusySeconds + m.durableAfter.eventLoopBusySeconds) / (m.durableBefore.seconds + m.durableAfter.seconds))],
    ['timers fired by one advance', '', `${count(advance.fired)} in ${fixed(advance.seconds, 2)} s`],
    ['timers/s', '', count(timerRate)],
    ['  event-loop utilisation', '', percent(advance.eventLoopBusySeconds / advance.seconds)],
    ['  event loop busy per timer (µs)', '', count((advance.eventLoopBusySeconds * 1e6) / advance.fired)],
    ['  transactions / mean batch (timers)', '', `${count(advance.transactions)} / ${fixed(advance.units / Math.max(1, advance.transactions))}`],
    ['  a commit under way (% of the advance)', '', percent(advance.committingSeconds / advance.seconds)],
    ['  claim queries / rows claimed per timer', '', `${perTimer(advance.roundTrips.claims)} / ${perTimer(advance.roundTrips.claimedRows)}`],
    ['  claims asked for and not yet answered (% of the advance)', '', percent(advance.roundTrips.claimMs / 1000 / advance.seconds)],
    ['  instance reads / pending checks per timer', '', `${perTimer(advance.reads)} / ${perTimer(advance.roundTrips.pendingChecks)}`],
    ['each due timer fired exactly once, in order', 'yes', exact ? 'yes' : 'NO'],
    ['timers/s ÷ durable events/s', `≥ ${percent(target)}`, `${percent(ratio)} ${ratio >= target ? 'ok' : 'MISSED'}`],
  ];
  return { header: ['', 'target', 'measured'], rows, notes, passed };
}
