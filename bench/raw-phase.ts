import { performance } from 'node:perf_hooks';
import type { BatchStatement, Database } from '../storage/database.js';

/** What the raw phase measured. */
export interface RawResult {
  readonly transactions: number;
  readonly seconds: number;
  /** Time the event loop was busy, in s. */
  readonly eventLoopBusySeconds: number;
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
  return { transactions: batches.length, seconds, eventLoopBusySeconds: performance.eventLoopUtilization(elu).active / 1000 };
}

/** The results of consecutive slices of one phase as one result. */
export function mergeRaw(slices: readonly RawResult[]): RawResult {
  const sum = (f: (r: RawResult) => number) => slices.reduce((total, r) => total + f(r), 0);
  return { transactions: sum((r) => r.transactions), seconds: sum((r) => r.seconds), eventLoopBusySeconds: sum((r) => r.eventLoopBusySeconds) };
}
