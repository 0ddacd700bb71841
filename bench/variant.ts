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
 * One variant of the workload: the changes, in slices, through the engine and then as
 * raw batches, and at the end all of them through `transition()` alone.
 */
export async function runVariant(setup: VariantSetup, direction: Direction, ids: readonly string[], plan: (records: readonly InstanceRecord[]) => QuantityChange[]): Promise<VariantResult> {
  const records = await setup.runtime.engine.getMany(ids);
  const changes = plan(records);
  const durable: DurableResult[] = [];
  const raw: RawResult[] = [];
  const rawSubset: RawResult[] = [];
  const size = Math.ceil(changes.length / SLICES);
  for (let start = 0; start < changes.length; start += size) {
    const slice = await runDurablePhase(setup.runtime, setup.recorder, changes.slice(start, start + size), setup.concurrency);
    durable.push(slice);
    const statements = slice.batches.map((batch) => statementsFor(batch));
    raw.push(await runRawPhase(setup.raw, statements));
    rawSubset.push(await runRawPhase(setup.rawInstancesAndJournal, statements.map(instancesAndJournal)));
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

/** The statements issue 3's brief names: the instance upsert and the journal insert. */
function instancesAndJournal(statements: readonly BatchStatement[]): BatchStatement[] {
  return statements.filter((s) => /^insert into (instances|journal) /.test(s.sql));
}
