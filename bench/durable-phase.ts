import { performance } from 'node:perf_hooks';
import type { Changeset } from '../engine/changeset.js';
import { EventRefusedError } from '../engine/errors.js';
import type { Runtime } from '../engine/runtime.js';
import type { BatchRecorder } from './batch-recorder.js';
import { percentile, runConcurrently } from './concurrent.js';
import type { QuantityChange } from './workload.js';

/** What the durable phase measured. */
export interface DurableResult {
  readonly accepted: number;
  readonly refused: number;
  readonly seconds: number;
  /** The batches the engine committed, in order, for the raw phase to write again. */
  readonly batches: (readonly Changeset[])[];
  /** Time a commit was under way (the flush loop commits one batch at a time), in s. */
  readonly committingSeconds: number;
  /** Event-loop utilisation over the phase (0…1). */
  readonly eventLoopUtilisation: number;
  /** Time the event loop was busy over the phase, in s. */
  readonly eventLoopBusySeconds: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/**
 * Sends the changes through `runtime.engine.send`, `concurrency` senders at a time, each
 * waiting for its event to be committed before sending the next.
 */
export async function runDurablePhase(runtime: Runtime, recorder: BatchRecorder, changes: readonly QuantityChange[], concurrency: number): Promise<DurableResult> {
  let refused = 0;
  recorder.start();
  const elu = performance.eventLoopUtilization();
  const start = performance.now();
  const durations = await runConcurrently(changes.length, concurrency, async (index) => {
    const { subscriptionId, quantity } = changes[index]!;
    try {
      await runtime.engine.send(subscriptionId, { type: 'CHANGE_QUANTITY', quantity }, { principalId: 'usr_bench_admin' });
    } catch (error) {
      // A refusal is counted, not thrown: the report then says that the workload was wrong.
      if (!(error instanceof EventRefusedError)) throw error;
      refused++;
    }
  });
  const seconds = (performance.now() - start) / 1000;
  const loop = performance.eventLoopUtilization(elu);
  const { batches, commitMs } = recorder.stop();
  return {
    accepted: changes.length - refused,
    refused,
    seconds,
    batches,
    committingSeconds: commitMs / 1000,
    eventLoopUtilisation: loop.utilization,
    eventLoopBusySeconds: loop.active / 1000,
    p50Ms: percentile(durations, 0.5),
    p99Ms: percentile(durations, 0.99),
  };
}
