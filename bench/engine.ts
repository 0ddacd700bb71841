import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { InstanceRecord } from '../engine/instance.js';
import { createRuntime } from '../engine/runtime.js';
import { statementsFor } from '../engine/sql-store.js';
import type { BatchStatement } from '../storage/database.js';
import { BatchRecorder } from './batch-recorder.js';
import type { BenchDirectory } from './bench-database.js';
import { copyDatabase, createBenchDirectory } from './bench-database.js';
import type { BenchOutcome } from './benchmark.js';
import { loadDescription, machineDescription } from './benchmark.js';
import type { DurableResult } from './durable-phase.js';
import { runDurablePhase } from './durable-phase.js';
import type { VariantResult } from './engine-report.js';
import { engineReport } from './engine-report.js';
import { runInMemoryPhase } from './in-memory-phase.js';
import type { BenchSizes } from './options.js';
import { benchSizes } from './options.js';
import { seededRandom } from './random.js';
import type { RawResult } from './raw-phase.js';
import { runRawPhase } from './raw-phase.js';
import { createActiveSubscriptions } from './subscriptions.js';
import { count, formatTable } from './table.js';
import type { Direction, QuantityChange } from './workload.js';
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

interface DurableRun {
  readonly direction: Direction;
  /** The subscriptions as the phase found them, for the in-memory phase to start from. */
  readonly records: readonly InstanceRecord[];
  readonly changes: readonly QuantityChange[];
  readonly durable: DurableResult;
}

/**
 * The engine benchmark of issues 3 and 7, in one run on one machine: accepted
 * CHANGE_QUANTITY events through the durable engine, the very batches it committed
 * written again through `runBatch` with nothing around them, and the same events through
 * XState's `transition()` alone.
 */
export async function runEngineBench(sizes: BenchSizes = benchSizes(), print: (line: string) => void = console.log): Promise<BenchOutcome> {
  const dir = await createBenchDirectory();
  try {
    print(`engine: ${count(sizes.subscriptions)} active subscriptions, ${count(sizes.events)} CHANGE_QUANTITY per variant, ${sizes.concurrency} concurrent senders`);
    print(`engine: ${machineDescription()}; SQLite files in ${dir.path} (WAL, synchronous=FULL)`);
    const loadBefore = loadDescription();
    const runs = await measureDurable(dir, sizes, print);
    print('engine: raw runBatch of the same batches…');
    const statements = runs.map((run) => run.durable.batches.map(statementsFor));
    const raw = await replay(dir, RAW_FILE, statements);
    const rawSubset = await replay(dir, RAW_SUBSET_FILE, statements.map((batches) => batches.map(instancesAndJournal)));
    print('engine: in-memory transition()…');
    const at = new Date(CLOCK_START).toISOString();
    const results: VariantResult[] = runs.map((run, i) => ({
      direction: run.direction,
      durable: run.durable,
      raw: raw[i]!,
      rawInstancesAndJournal: rawSubset[i]!,
      inMemory: runInMemoryPhase(run.records, run.changes, at),
    }));
    const loadAfter = loadDescription();

    const report = engineReport(results, DURABLE_TO_RAW_TARGET);
    print('');
    print(formatTable(report.header, report.rows));
    for (const note of report.notes) print(note);
    print(`engine: ${loadBefore.text} before, ${loadAfter.text} after`);
    if (loadBefore.busy || loadAfter.busy) print('engine: other processes were busy on this machine: rates (and, less so, ratios) are not representative');
    return { name: 'engine', passed: report.passed };
  } finally {
    await dir.remove();
  }
}

/** Sets up the subscriptions, copies the database for the raw phase, then runs each durable variant. */
async function measureDurable(dir: BenchDirectory, sizes: BenchSizes, print: (line: string) => void): Promise<DurableRun[]> {
  const recorder = new BatchRecorder();
  const database = await dir.open(MAIN_FILE);
  try {
    const runtime = await createRuntime({ database, clock: 'manual', clockStart: CLOCK_START, wrapStore: recorder.wrap });
    const setupStart = performance.now();
    const ids = await createActiveSubscriptions(runtime, sizes.subscriptions, sizes.setupConcurrency);
    const setupSeconds = (performance.now() - setupStart) / 1000;
    // Per subscription: the purchase (with its subscription and handoff), portal, token, activation.
    print(`engine: setup (not measured) created and activated ${count(ids.length)} subscriptions through the engine in ${setupSeconds.toFixed(1)} s (${count((4 * ids.length) / setupSeconds)} units/s, ${sizes.setupConcurrency} senders)`);
    for (const file of [RAW_FILE, RAW_SUBSET_FILE]) await copyDatabase(database, path.join(dir.path, MAIN_FILE), path.join(dir.path, file));

    const random = seededRandom(sizes.seed);
    const runs: DurableRun[] = [];
    for (const direction of DIRECTIONS) {
      const records = await runtime.engine.getMany(ids);
      const changes = quantityChanges(records, sizes.events, direction, random);
      print(`engine: durable ${direction}s…`);
      runs.push({ direction, records, changes, durable: await runDurablePhase(runtime, recorder, changes, sizes.concurrency) });
    }
    await runtime.stop();
    return runs;
  } finally {
    await database.close();
  }
}

/** Writes each variant's batches, in order, into a copy of the set-up database. */
async function replay(dir: BenchDirectory, file: string, variants: readonly (readonly BatchStatement[][])[]): Promise<RawResult[]> {
  const database = await dir.open(file);
  try {
    const results: RawResult[] = [];
    for (const batches of variants) results.push(await runRawPhase(database, batches));
    return results;
  } finally {
    await database.close();
  }
}

/** The statements issue 3's brief names: the instance upsert and the journal insert. */
function instancesAndJournal(statements: readonly BatchStatement[]): BatchStatement[] {
  return statements.filter((s) => /^insert into (instances|journal) /.test(s.sql));
}

// Run on its own with `node dist/bench/engine.js`; run-all imports it instead.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const outcome = await runEngineBench();
  if (!outcome.passed) process.exitCode = 1;
}
