import type { PostgresResult } from './http-postgres.js';
import { POSTGRES_PROCESSES } from './http-postgres.js';
import type { SqliteComparison } from './http-sqlite.js';
import type { LoadSummary } from './load-summary.js';
import type { OutboxAfterRuns } from './outbox-backlog.js';
import { failureCount } from './load-summary.js';
import type { TableRow } from './table.js';
import { count, fixed, percent } from './table.js';

/** Issue 7's HTTP targets, against the bare Express handler measured in the same run. */
export interface HttpTargets {
  /** Least service/bare requests per second. */
  readonly rateRatio: number;
  /** Most service/bare p99 latency. */
  readonly p99Ratio: number;
}

/** The HTTP benchmark's table, its notes, and whether every target was met. */
export interface HttpReport {
  readonly header: TableRow;
  readonly rows: TableRow[];
  readonly notes: string[];
  readonly passed: boolean;
}

/**
 * One column per direction: the bare handler, the service on SQLite, their ratios with
 * the targets, then PostgreSQL (informative: `postgres` is a reason when it was skipped).
 */
export function httpReport(sqlite: readonly SqliteComparison[], postgres: readonly PostgresResult[] | string, targets: HttpTargets): HttpReport {
  const notes: string[] = [];
  let passed = true;
  const column = <T = string>(cell: (c: SqliteComparison) => T): T[] => sqlite.map(cell);
  const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');

  const rateCells = column((c) => {
    const ratio = c.service.rate / c.bare.rate;
    const ok = ratio >= targets.rateRatio;
    if (!ok) notes.push(`http: ${c.direction}: the service answers ${percent(ratio)} of the bare handler's requests/s, below the target of ${percent(targets.rateRatio)}`);
    passed &&= ok;
    return `${percent(ratio)} ${verdict(ok)}`;
  });
  const p99Cells = column((c) => {
    const ratio = c.service.p99Ms / c.bare.p99Ms;
    const ok = ratio <= targets.p99Ratio;
    if (!ok) notes.push(`http: ${c.direction}: the service's p99 is ${fixed(ratio, 2)}× the bare handler's, above the target of ${fixed(targets.p99Ratio, 2)}×`);
    passed &&= ok;
    return `${fixed(ratio, 2)}× ${verdict(ok)}`;
  });

  // Every request must be an accepted change, wherever it was measured.
  const checked: [string, SqliteComparison['direction'], LoadSummary][] = [
    ...sqlite.flatMap((c): [string, SqliteComparison['direction'], LoadSummary][] => [
      ['bare Express', c.direction, c.bare],
      ['service on SQLite', c.direction, c.service],
    ]),
    ...(typeof postgres === 'string' ? [] : postgres.map((p): [string, SqliteComparison['direction'], LoadSummary] => [`PostgreSQL, ${processes(p.processes)}`, p.direction, p.summary])),
  ];
  for (const [where, direction, summary] of checked) {
    const failed = failureCount(summary);
    if (failed > 0) {
      passed = false;
      notes.push(`http: FAILED REQUESTS: ${direction}, ${where}: ${count(failed)} not answered 2xx ${JSON.stringify(summary.failures)}; the first: ${summary.firstFailure}`);
    }
    if (summary.outOfRoom) {
      passed = false;
      notes.push(`http: ${direction}, ${where}: the run stopped early, no subscription had room for another ${direction}: ask for more subscriptions or fewer seconds`);
    }
  }

  const rows: TableRow[] = [
    ...configurationRows('bare Express 5 (own process): req/s', column((c) => c.bare)),
    ...configurationRows('service on SQLite, 1 process: req/s', column((c) => c.service), '', column((c) => c.serviceOutbox)),
    ['service / bare, requests/s', `≥ ${percent(targets.rateRatio)}`, ...rateCells],
    ['  lowest – highest of its slices', '', ...column((c) => `${percent(Math.min(...c.sliceRatios))} – ${percent(Math.max(...c.sliceRatios))}`)],
    ['service / bare, p99 latency', `≤ ${fixed(targets.p99Ratio, 2)}×`, ...p99Cells],
  ];
  if (typeof postgres === 'string') {
    notes.push(`http: PostgreSQL rows skipped: ${postgres}`);
  } else {
    for (const n of POSTGRES_PROCESSES) {
      const results = column((c) => postgres.find((p) => p.direction === c.direction && p.processes === n));
      if (results.some((r) => r === undefined)) continue;
      const summaries = results.map((r) => r!.summary);
      rows.push(...configurationRows(`PostgreSQL, ${processes(n)}: req/s`, summaries, 'none', results.map((r) => r!.outbox)));
      rows.push(['  / bare on SQLite, requests/s', 'none', ...summaries.map((s, i) => percent(s!.rate / sqlite[i]!.bare.rate))]);
    }
  }
  rows.push(['failed requests (not 2xx, or no answer)', '0', ...sqlite.map((c) => count(checked.filter(([, d]) => d === c.direction).reduce((n, [, , s]) => n + failureCount(s), 0)))]);
  return { header: ['', 'target', ...sqlite.map((c) => c.direction)], rows, notes, passed };
}

function configurationRows(label: string, summaries: readonly LoadSummary[], target = '', outbox?: readonly OutboxAfterRuns[]): TableRow[] {
  const rows: TableRow[] = [
    [label, target, ...summaries.map((s) => count(s.rate))],
    ['  latency p50 / p99 (ms)', '', ...summaries.map((s) => `${fixed(s.p50Ms)} / ${fixed(s.p99Ms)}`)],
    ['  server CPU per request (µs)', '', ...summaries.map((s) => (s.serverCpuPerRequestUs === null ? '–' : count(s.serverCpuPerRequestUs)))],
    ['  of which its main thread (µs) · that thread busy', '', ...summaries.map(mainThread)],
    ['  load generator CPU (of one core)', '', ...summaries.map((s) => percent(s.generatorCpuShare))],
  ];
  if (outbox) {
    // Webhooks and charges are delivered after the answer: what a run left undelivered was not paid for by its rate.
    rows.push(['  outbox rows left pending / drained in (s)', '', ...outbox.map((o) => `${count(o.pending)} / ${fixed(o.drainSeconds)}`)]);
    rows.push(['  req/s counting the drain afterwards', '', ...summaries.map((s, i) => count(s.requests / (s.seconds + outbox[i]!.drainSeconds)))]);
  }
  return rows;
}

/** The main thread's share of the CPU per request, and how much of one core it took. */
function mainThread(s: LoadSummary): string {
  return s.mainThreadCpuPerRequestUs === null || s.mainThreadBusyShare === null ? '–' : `${count(s.mainThreadCpuPerRequestUs)} · ${percent(s.mainThreadBusyShare)}`;
}

function processes(n: number): string {
  return `${n} process${n === 1 ? '' : 'es'}`;
}
