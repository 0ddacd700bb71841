import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { Runtime } from '../engine/runtime.js';
import { createRuntime } from '../engine/runtime.js';
import type { Database } from '../storage/database.js';
import { BatchRecorder } from './batch-recorder.js';
import type { BenchDirectory } from './bench-database.js';
import { copyDatabase, createBenchDirectory } from './bench-database.js';
import type { BenchOutcome } from './benchmark.js';
import { loadDescription, machineDescription } from './benchmark.js';
import type { VariantResult } from './engine-report.js';
import { engineReport } from './engine-report.js';
import type { BenchSizes } from './options.js';
import { benchSizes } from './options.js';
import { seededRandom } from './random.js';
import { createActiveSubscriptions } from './subscriptions.js';
import { count, formatTable } from './table.js';
import { runVariant } from './variant.js';
import type { Direction } from './workload.js';
import { quantityChanges } from './workload.js';

// Issue 7: the engine in-process at ≥ 70 % of raw sqlite3 writes of the same rows.
const DURABLE_TO_RAW_TARGET = 0.7;
const DIRECTIONS: readonly Direction[] = ['decrease', 'increase'];
// The manual clock keeps every event's time, and so every invoice's proration, the same in every run.
const CLOCK_START = Date.parse('2026-01-01T00:00:00.000Z');
const MAIN_FILE = 'engine.db';
// Both start as byte copies of the main file right after setup.
const RAW_FILE = 'raw.db';
const RAW_SUBSET_FILE = 'raw-instances-journal.db';

/**
 * The engine benchmark of issues 3 and 7, in one run on one machine: accepted
 * CHANGE_QUANTITY events through the durable engine, the very batches it committed
 * written again through `runBatch` with nothing around them, and the same events through
 * XState's `transition()` alone.
 */
export async function runEngineBench(sizes: BenchSizes = benchSizes(), print: (line: string) => void = console.log): Promise<BenchOutcome> {
  const dir = await createBenchDirectory();
  const opened: Database[] = [];
  try {
    print(`engine: ${count(sizes.subscriptions)} active subscriptions, ${count(sizes.events)} CHANGE_QUANTITY per variant after ${count(sizes.warmupEvents)} unmeasured, ${sizes.concurrency} concurrent senders`);
    print(`engine: ${machineDescription()}; SQLite files in ${dir.path} (WAL, synchronous=FULL)`);
    const loadBefore = loadDescription();
    const open = async (file: string) => {
      const database = await dir.open(file);
      opened.push(database);
      return database;
    };
    const recorder = new BatchRecorder();
    const database = await open(MAIN_FILE);
    const runtime = await createRuntime({ database, clock: 'manual', clockStart: CLOCK_START, wrapStore: recorder.wrap });
    const ids = await setUp(dir, database, runtime, sizes, print);
    const setup = {
      runtime,
      recorder,
      raw: await open(RAW_FILE),
      rawInstancesAndJournal: await open(RAW_SUBSET_FILE),
      concurrency: sizes.concurrency,
      at: new Date(CLOCK_START).toISOString(),
    };
    const random = seededRandom(sizes.seed);
    const results: VariantResult[] = [];
    for (const direction of DIRECTIONS) {
      print(`engine: ${direction}s: durable, raw and in-memory…`);
      results.push(await runVariant(setup, direction, ids, (records, n) => quantityChanges(records, n, direction, random), sizes));
    }
    await runtime.stop();
    const loadAfter = loadDescription();

    const report = engineReport(results, DURABLE_TO_RAW_TARGET);
    print('');
    print(formatTable(report.header, report.rows));
    for (const note of report.notes) print(note);
    print(`engine: ${loadBefore.text} before, ${loadAfter.text} after`);
    if (loadBefore.busy || loadAfter.busy) print('engine: other processes were busy on this machine: rates (and, less so, ratios) are not representative');
    return { name: 'engine', passed: report.passed };
  } finally {
    for (const database of opened) await database.close();
    await dir.remove();
  }
}

/** Creates and activates the subscriptions, then copies the database for the raw phases. */
async function setUp(dir: BenchDirectory, database: Database, runtime: Runtime, sizes: BenchSizes, print: (line: string) => void): Promise<string[]> {
  const start = performance.now();
  const ids = await createActiveSubscriptions(runtime, sizes.subscriptions, sizes.setupConcurrency);
  const seconds = (performance.now() - start) / 1000;
  // Per subscription: the purchase (with its subscription and handoff), portal, token, activation.
  print(`engine: setup (not measured) created and activated ${count(ids.length)} subscriptions through the engine in ${seconds.toFixed(1)} s (${count((4 * ids.length) / seconds)} units/s, ${sizes.setupConcurrency} senders)`);
  await runtime.engine.drain();
  for (const file of [RAW_FILE, RAW_SUBSET_FILE]) await copyDatabase(database, path.join(dir.path, MAIN_FILE), path.join(dir.path, file));
  return ids;
}

// Run on its own with `node dist/bench/engine.js`; run-all imports it instead.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const outcome = await runEngineBench();
  if (!outcome.passed) process.exitCode = 1;
}
