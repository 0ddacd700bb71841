import { performance } from 'node:perf_hooks';
import type { Runtime } from '../engine/runtime.js';
import type { BatchRecorder } from './batch-recorder.js';
import type { TimerRoundTripCounts, TimerRoundTrips } from './timer-round-trips.js';

/** What one measured `advance` did. */
export interface AdvanceResult {
  /** Timers fired, as `advance` reported. */
  readonly fired: number;
  readonly seconds: number;
  /** Time the event loop was busy, in s. */
  readonly eventLoopBusySeconds: number;
  /** Transactions committed, and the units (fired timers) they held. */
  readonly transactions: number;
  readonly units: number;
  /** Time a commit was under way, in s. */
  readonly committingSeconds: number;
  /** Reads of instances the engine made (each a round trip). */
  readonly reads: number;
  readonly roundTrips: TimerRoundTripCounts;
  /** Committed timer events whose due time is earlier than one committed before them. */
  readonly outOfOrder: number;
}

/**
 * Times `runtime.advance(toMs)`: every timer due by then fires, in due order, and the
 * call resolves once all of them are committed. Also counts its commits and round trips,
 * and watches the committed timer events' due times for order.
 */
export async function measureAdvance(runtime: Runtime, recorder: BatchRecorder, roundTrips: TimerRoundTrips, toMs: number): Promise<AdvanceResult> {
  let lastAt = '';
  let outOfOrder = 0;
  const unsubscribe = runtime.engine.onCommit((results) => {
    for (const result of results) {
      for (const entry of result.changeset.journal) {
        if (entry.principalId !== 'system') continue;
        // ISO strings of one format compare as the times they name.
        if (entry.at < lastAt) outOfOrder++;
        lastAt = entry.at;
      }
    }
  });
  recorder.start();
  roundTrips.reset();
  const elu = performance.eventLoopUtilization();
  const start = performance.now();
  const { fired } = await runtime.advance(toMs);
  const seconds = (performance.now() - start) / 1000;
  const loop = performance.eventLoopUtilization(elu);
  const { batches, commitMs, reads } = recorder.stop();
  unsubscribe();
  return {
    fired,
    seconds,
    eventLoopBusySeconds: loop.active / 1000,
    transactions: batches.length,
    units: batches.reduce((sum, batch) => sum + batch.length, 0),
    committingSeconds: commitMs / 1000,
    reads,
    roundTrips: roundTrips.counts(),
    outOfOrder,
  };
}
