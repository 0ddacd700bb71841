import { performance } from 'node:perf_hooks';
import type { Changeset } from '../engine/changeset.js';
import { EventRefusedError } from '../engine/errors.js';
import type { Runtime } from '../engine/runtime.js';
import type { BatchRecorder } from './batch-recorder.js';
import { runConcurrently } from './concurrent.js';
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
  /** Time the event loop was busy, in s. */
  readonly eventLoopBusySeconds: number;
  /** Reads of instances the engine made (each a round trip to the database). */
  readonly reads: number;
  /** Each send's time from call to committed answer, in ms. */
  readonly latenciesMs: Float64Array;
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
  const latenciesMs = await runConcurrently(changes.length, concurrency, async (index) => {
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
  const { batches, commitMs, reads } = recorder.stop();
  return {
    accepted: changes.length - refused,
    refused,
    seconds,
    batches,
    committingSeconds: commitMs / 1000,
    eventLoopBusySeconds: loop.active / 1000,
    reads,
    latenciesMs,
  };
}

/** The results of consecutive slices of one phase as one result. */
export function mergeDurable(slices: readonly DurableResult[]): DurableResult {
  const sum = (f: (r: DurableResult) => number) => slices.reduce((total, r) => total + f(r), 0);
  const latenciesMs = new Float64Array(sum((r) => r.latenciesMs.length));
  let offset = 0;
  for (const r of slices) {
    latenciesMs.set(r.latenciesMs, offset);
    offset += r.latenciesMs.length;
  }
  return {
    accepted: sum((r) => r.accepted),
    refused: sum((r) => r.refused),
    seconds: sum((r) => r.seconds),
    batches: slices.flatMap((r) => r.batches),
    committingSeconds: sum((r) => r.committingSeconds),
    eventLoopBusySeconds: sum((r) => r.eventLoopBusySeconds),
    reads: sum((r) => r.reads),
    latenciesMs,
  };
}
