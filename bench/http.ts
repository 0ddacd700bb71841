import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SERVICE_CACHE_CAPACITY } from '../server/service.js';
import type { BenchOutcome } from './benchmark.js';
import { loadDescription, machineDescription } from './benchmark.js';
import type { HttpBenchOptions } from './http-options.js';
import { httpBenchOptions } from './http-options.js';
import type { PostgresResult } from './http-postgres.js';
import { measureOnPostgres } from './http-postgres.js';
import { httpReport } from './http-report.js';
import { SLICES, compareOnSqlite } from './http-sqlite.js';
import { count, formatTable } from './table.js';
import type { Direction } from './workload.js';

// Issue 7: the service at ≥ 50 % of a bare Express handler's requests/s, p99 ≤ 2× its p99.
const TARGETS = { rateRatio: 0.5, p99Ratio: 2 };
// A decrease changes the snapshot and writes a webhook row; an increase also issues a
// prorated invoice whose charge the request waits for (its first attempt).
const DIRECTIONS: readonly Direction[] = ['decrease', 'increase'];
// Runnable threads of this benchmark's own while it measures (see othersBusyDuring).
const OWN_LOAD = 1.5;

/**
 * The HTTP benchmark of issue 7: `POST /api/subscriptions/:id/events` with an accepted
 * CHANGE_QUANTITY through the real service in a child process, against a bare Express
 * handler in another, both driven by a load generator in a third; then the same on
 * PostgreSQL with one and three service processes, for information.
 */
export async function runHttpBench(options: HttpBenchOptions = httpBenchOptions(), print: (line: string) => void = console.log): Promise<BenchOutcome> {
  const { sizes } = options;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-http-'));
  try {
    print(`http: POST /api/subscriptions/:id/events, CHANGE_QUANTITY on random ones of ${count(sizes.subscriptions)} active subscriptions, ${sizes.concurrency} concurrent clients (keep-alive, each awaiting its answer)`);
    print(`http: ${machineDescription()}; files and server logs in ${dir} (SQLite WAL, synchronous=FULL)`);
    const loadBefore = loadDescription();
    const shape = { concurrency: sizes.concurrency, warmupSeconds: options.warmupSeconds, seed: sizes.seed };
    const sqlite = await compareOnSqlite(dir, DIRECTIONS, options, shape, print);
    // Read before PostgreSQL: its three service processes load the machine themselves.
    const loadAfter = loadDescription();
    let postgres: PostgresResult[] | string = 'BENCH_POSTGRES_URL=off';
    if (options.postgresUrl !== null) {
      try {
        postgres = await measureOnPostgres(options.postgresUrl, dir, DIRECTIONS, options, shape, print);
      } catch (error) {
        // Informative rows: an unreachable server is reported, and the SQLite targets stand.
        postgres = `PostgreSQL at ${new URL(options.postgresUrl).host} failed: ${error instanceof Error ? error.message : String(error)}`;
      }
    }

    const report = httpReport(sqlite, postgres, TARGETS);
    print('');
    print(formatTable(report.header, report.rows));
    print(`http: per direction, ${options.seconds} s measured per configuration after a ${options.warmupSeconds} s warm-up of each load run; bare and SQLite alternate in ${SLICES} slices`);
    print('http: every process apart: the load generator, the bare handler, each service process (LOG_LEVEL=info, a line per request to a file; RATE_LIMIT=0)');
    const uncached = Math.max(0, 1 - SERVICE_CACHE_CAPACITY / sizes.subscriptions);
    print(`http: on SQLite every subscription is read once before the load, but the service caches ${count(SERVICE_CACHE_CAPACITY)} instances (its bound for 300 MB at 1 M): about ${Math.round(uncached * 100)} % of events first read their subscription; PostgreSQL reads what each event touches`);
    print("http: server CPU is the service's own processes (all threads), not PostgreSQL's; the outbox is drained after each run, before the next");
    print('http: a main thread runs all of its process\'s JavaScript: near a whole core, it bounds that process\'s requests/s, whatever the other threads do');
    print('http: the bench publisher has no webhook URL and its billing profile pays by check or wire: each event still writes its webhook (and charge) row, whose delivery reads the publisher (or the profile) and does nothing more');
    for (const note of report.notes) print(note);
    print(`http: ${loadBefore.text} before, ${loadAfter.text} after the SQLite comparison`);
    if (loadBefore.busy || othersBusyDuring()) print('http: other processes were busy on this machine: rates (and, less so, ratios) are not representative');
    return { name: 'http', passed: report.passed };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Whether the load average after the SQLite comparison says that others ran meanwhile.
 * The service, its libuv threads and the load generator keep about one and a half cores
 * busy themselves, so only what is beyond that counts, against the usual three quarters.
 */
function othersBusyDuring(): boolean {
  const [oneMinute = 0] = os.loadavg();
  return oneMinute - OWN_LOAD > os.cpus().length * 0.75;
}

// Run on its own with `node dist/bench/http.js`; run-all imports it instead.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const outcome = await runHttpBench();
  if (!outcome.passed) process.exitCode = 1;
}
