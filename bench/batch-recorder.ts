import { performance } from 'node:perf_hooks';
import type { Changeset } from '../engine/changeset.js';
import type { EngineStore } from '../engine/engine-store.js';

/** The batches committed while recording, and how long their commits took. */
export interface Recording {
  readonly batches: (readonly Changeset[])[];
  /** Sum of the commits' durations (statements built, transaction run), in ms. */
  readonly commitMs: number;
  /** Reads the engine made (`loadInstances` calls): each is a round trip queued behind the commit under way. */
  readonly reads: number;
}

/**
 * Wraps the engine's store (through `createRuntime`'s `wrapStore`) to keep every batch
 * the engine commits while recording is on, so the raw phase can write the very same
 * batches, and to count the engine's round trips. Keeping references costs the measured
 * phase nothing; the statements are built from them afterwards.
 */
export class BatchRecorder {
  #batches: (readonly Changeset[])[] | null = null;
  #commitMs = 0;
  #reads = 0;

  /** The `wrapStore` option: commits go through unchanged, and are kept when recording. */
  readonly wrap = (store: EngineStore): EngineStore => ({
    loadInstances: (ids) => {
      this.#reads++;
      return store.loadInstances(ids);
    },
    prepare: (changeset) => store.prepare(changeset),
    commit: async (changesets) => {
      const start = performance.now();
      await store.commit(changesets);
      this.#commitMs += performance.now() - start;
      // Only what committed: a failed batch is rolled back and its units computed again.
      this.#batches?.push(changesets);
    },
    claimDueTimers: (...args) => store.claimDueTimers(...args),
    isTimerPending: (...args) => store.isTimerPending(...args),
  });

  /** Starts keeping batches (dropping any kept before). */
  start(): void {
    this.#batches = [];
    this.#commitMs = 0;
    this.#reads = 0;
  }

  /** Stops keeping batches and returns what was committed since `start`. */
  stop(): Recording {
    const recording = { batches: this.#batches ?? [], commitMs: this.#commitMs, reads: this.#reads };
    this.#batches = null;
    return recording;
  }
}
