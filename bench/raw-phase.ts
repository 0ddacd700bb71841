import { performance } from 'node:perf_hooks';
import type { BatchStatement, Database } from '../storage/database.js';

/** What the raw phase measured. */
export interface RawResult {
  readonly transactions: number;
  readonly seconds: number;
  readonly eventLoopUtilisation: number;
}

/**
 * Writes prepared batches through `runBatch`, one transaction per batch, one after the
 * other as the engine's flush loop does. The statements are built before the clock
 * starts: this is the database's share of the durable path and nothing else.
 */
export async function runRawPhase(database: Database, batches: readonly (readonly BatchStatement[])[]): Promise<RawResult> {
  const elu = performance.eventLoopUtilization();
  const start = performance.now();
  for (const statements of batches) await database.runBatch(statements);
  const seconds = (performance.now() - start) / 1000;
  return { transactions: batches.length, seconds, eventLoopUtilisation: performance.eventLoopUtilization(elu).utilization };
}
