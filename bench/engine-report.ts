import type { Changeset } from '../engine/changeset.js';
import type { DurableResult } from './durable-phase.js';
import type { InMemoryResult } from './in-memory-phase.js';
import type { RawResult } from './raw-phase.js';
import { percentile } from './concurrent.js';
import type { TableRow } from './table.js';
import { count, fixed, percent } from './table.js';
import type { Direction } from './workload.js';

/** Everything measured for one variant of the workload. */
export interface VariantResult {
  readonly direction: Direction;
  readonly durable: DurableResult;
  readonly raw: RawResult;
  /** The same batches with only the instance upserts and journal inserts. */
  readonly rawInstancesAndJournal: RawResult;
  /** durable/raw of each slice, measured back to back. */
  readonly sliceRatios: readonly number[];
  readonly inMemory: InMemoryResult;
}

/** The engine benchmark's table, its notes, and whether every target was met. */
export interface EngineReport {
  readonly header: TableRow;
  readonly rows: TableRow[];
  readonly notes: string[];
  readonly passed: boolean;
}

/** Lays the variants side by side, one column each, with each ratio's target. */
export function engineReport(results: readonly VariantResult[], durableToRawTarget: number): EngineReport {
  const notes: string[] = [];
  let passed = true;
  const column = (cell: (r: VariantResult) => string) => results.map(cell);
  const durableRate = (r: VariantResult) => r.durable.accepted / r.durable.seconds;
  const events = (r: VariantResult) => r.durable.accepted;
  const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');

  const ratioCells = column((r) => {
    // Same events over the same batches: the ratio of rates is the ratio of times.
    const ratio = r.raw.seconds / r.durable.seconds;
    const ok = ratio >= durableToRawTarget && r.durable.refused === 0;
    if (!ok) {
      passed = false;
      notes.push(`engine: ${r.direction}: durable/raw ${percent(ratio)} is below the target of ${percent(durableToRawTarget)}${r.durable.refused ? ` (and ${r.durable.refused} events were refused)` : ''}`);
    }
    return `${percent(ratio)} ${verdict(ok)}`;
  });
  for (const r of results) {
    if (r.inMemory.unchanged > 0) notes.push(`engine: ${r.direction}: ${r.inMemory.unchanged} in-memory transitions changed nothing: the workload is wrong`);
  }

  const rows: TableRow[] = [
    ['durable events/s (engine.send, committed)', '', ...column((r) => count(durableRate(r)))],
    ['  latency p50 / p99 (ms)', '', ...column((r) => `${fixed(percentile(r.durable.latenciesMs, 0.5))} / ${fixed(percentile(r.durable.latenciesMs, 0.99))}`)],
    ['  event-loop utilisation', '', ...column((r) => percent(r.durable.eventLoopBusySeconds / r.durable.seconds))],
    ['  event loop busy per event (µs)', '', ...column((r) => count((r.durable.eventLoopBusySeconds * 1e6) / events(r)))],
    ['  transactions / mean batch (events)', '', ...column((r) => `${count(r.durable.batches.length)} / ${fixed(events(r) / r.durable.batches.length)}`)],
    ['  instance reads per event (round trips)', '', ...column((r) => fixed(r.durable.reads / events(r), 2))],
    ['  most frequent batch sizes', '', ...column((r) => frequentSizes(r.durable.batches))],
    ['  a commit under way (% of the phase)', '', ...column((r) => percent(r.durable.committingSeconds / r.durable.seconds))],
    ['  mean commit, SQL built + run (ms)', '', ...column((r) => fixed((r.durable.committingSeconds * 1000) / r.durable.batches.length))],
    ['  rows per event: inst/journal/outbox/timer', '', ...column((r) => rowsPerEvent(r.durable.batches, events(r)))],
    ['raw runBatch, same batches: events/s', '', ...column((r) => count(events(r) / r.raw.seconds))],
    ['  transactions/s', '', ...column((r) => count(r.raw.transactions / r.raw.seconds))],
    ['  mean commit (ms)', '', ...column((r) => fixed((r.raw.seconds * 1000) / r.raw.transactions))],
    ['  event-loop utilisation', '', ...column((r) => percent(r.raw.eventLoopBusySeconds / r.raw.seconds))],
    ['raw, instance + journal rows only: events/s', '', ...column((r) => count(events(r) / r.rawInstancesAndJournal.seconds))],
    ['in-memory transition()/s', '', ...column((r) => count(r.inMemory.transitions / r.inMemory.seconds))],
    ['durable / raw (same rows, same batches)', `≥ ${percent(durableToRawTarget)}`, ...ratioCells],
    ['  lowest – highest of its slices', '', ...column((r) => `${percent(Math.min(...r.sliceRatios))} – ${percent(Math.max(...r.sliceRatios))}`)],
    ['durable / raw (instance + journal only)', 'none', ...column((r) => percent(r.rawInstancesAndJournal.seconds / r.durable.seconds))],
    ['durable / in-memory', 'none', ...column((r) => percent(durableRate(r) / (r.inMemory.transitions / r.inMemory.seconds)))],
  ];
  notes.unshift(
    'engine: raw = the statements statementsFor built for the batches the engine committed, run again through runBatch on a byte copy of the database as setup left it;',
    'engine:   each variant runs in slices, each slice through the engine and then at once as raw batches, so that both see the machine alike',
    'engine: in-memory = XState transition() of the subscription alone, on snapshots restored from the same records (no cascade, no persistence)',
  );
  return { header: ['', 'target', ...column((r) => r.direction)], rows, notes, passed };
}

/** The three most frequent batch sizes with their share of the batches, e.g. `49 (50 %), 1 (50 %)`. */
function frequentSizes(batches: readonly (readonly Changeset[])[]): string {
  const counts = new Map<number, number>();
  for (const batch of batches) counts.set(batch.length, (counts.get(batch.length) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([size, n]) => `${size} (${Math.round((100 * n) / batches.length)} %)`)
    .join(', ');
}

function rowsPerEvent(batches: readonly (readonly Changeset[])[], events: number): string {
  const rows = { instances: 0, journal: 0, outbox: 0, timers: 0 };
  for (const batch of batches) {
    for (const c of batch) {
      rows.instances += c.created.length + c.updated.length;
      rows.journal += c.journal.length;
      rows.outbox += c.outbox.length;
      rows.timers += c.timersSet.length + c.timersCleared.length + c.timersFired.length;
    }
  }
  return [rows.instances, rows.journal, rows.outbox, rows.timers].map((n) => fixed(n / events)).join('/');
}
