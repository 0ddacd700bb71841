import { sql } from 'kysely';
import type { InstanceRecord } from '../engine/instance.js';
import type { Runtime } from '../engine/runtime.js';
import { statementsFor } from '../engine/sql-store.js';
import type { BatchStatement, Database } from '../storage/database.js';
import type { BatchRecorder } from './batch-recorder.js';
import type { DurableResult } from './durable-phase.js';
import { mergeDurable, runDurablePhase } from './durable-phase.js';
import type { VariantResult } from './engine-report.js';
import { runInMemoryPhase } from './in-memory-phase.js';
import type { RawResult } from './raw-phase.js';
import { mergeRaw, runRawPhase } from './raw-phase.js';
import type { Direction, QuantityChange } from './workload.js';

/** The engine under test and the two copies of its database that the raw phases write. */
export interface VariantSetup {
  readonly runtime: Runtime;
  readonly recorder: BatchRecorder;
  readonly raw: Database;
  readonly rawInstancesAndJournal: Database;
  readonly concurrency: number;
  /** The time the manual clock stamps on every event. */
  readonly at: string;
}

// Each slice's durable run is followed at once by the raw runs of its batches, so that
// both see the machine in the same state: other processes come and go, and measured a
// minute apart the two rates would drift apart for reasons that are neither's.
const SLICES = 5;

/**
 * One variant of the workload: after a warm-up, the changes, in slices, through the engine
 * and then as raw batches, and at the end all of them through `transition()` alone.
 */
export async function runVariant(
  setup: VariantSetup,
  direction: Direction,
  ids: readonly string[],
  plan: (records: readonly InstanceRecord[], count: number) => QuantityChange[],
  sizes: { readonly events: number; readonly warmupEvents: number },
): Promise<VariantResult> {
  const records = await setup.runtime.engine.getMany(ids);
  const planned = plan(records, sizes.warmupEvents + sizes.events);
  // Unmeasured, and written to the raw copies too so that all three databases stay alike:
  // V8 compiles the engine's path for this event while the first of these run, and the
  // slices would otherwise measure that against raw writes it does not slow.
  await runSlice(setup, planned.slice(0, sizes.warmupEvents));
  const changes = planned.slice(sizes.warmupEvents);
  const durable: DurableResult[] = [];
  const raw: RawResult[] = [];
  const rawSubset: RawResult[] = [];
  const size = Math.ceil(changes.length / SLICES);
  for (let start = 0; start < changes.length; start += size) {
    const slice = await runSlice(setup, changes.slice(start, start + size));
    durable.push(slice.durable);
    raw.push(slice.raw);
    rawSubset.push(slice.rawSubset);
  }
  return {
    direction,
    durable: mergeDurable(durable),
    raw: mergeRaw(raw),
    rawInstancesAndJournal: mergeRaw(rawSubset),
    sliceRatios: durable.map((d, i) => raw[i]!.seconds / d.seconds),
    inMemory: runInMemoryPhase(records, changes, setup.at),
  };
}

/** One slice: the changes through the engine, then its batches written raw to each copy. */
async function runSlice(setup: VariantSetup, changes: readonly QuantityChange[]): Promise<{ durable: DurableResult; raw: RawResult; rawSubset: RawResult }> {
  const durable = await runDurablePhase(setup.runtime, setup.recorder, changes, setup.concurrency);
  await checkpoint(setup.runtime.database);
  const statements = durable.batches.map((batch) => statementsFor(batch));
  const raw = await runRawPhase(setup.raw, statements);
  await checkpoint(setup.raw);
  const rawSubset = await runRawPhase(setup.rawInstancesAndJournal, statements.map(instancesAndJournal));
  await checkpoint(setup.rawInstancesAndJournal);
  return { durable, raw, rawSubset };
}

/**
 * Copies a phase's WAL into its database before the next phase starts. Left to each
 * database's checkpointer (100 ms after its last commit), it would run during the next
 * phase, on another database: its copying and fsync then counted against that phase.
 */
async function checkpoint(database: Database): Promise<void> {
  await sql`pragma wal_checkpoint(TRUNCATE)`.execute(database.db);
}

/** The statements issue 3's brief names: the instance upsert and the journal insert. */
function instancesAndJournal(statements: readonly BatchStatement[]): BatchStatement[] {
  return statements.filter((s) => /^insert into (instances|journal) /.test(s.sql));
}
