import { performance } from 'node:perf_hooks';
import type { EngineStore } from '../engine/engine-store.js';

/** The scheduler's own round trips to the database, counted since `reset`. */
export interface TimerRoundTripCounts {
  /** `claimDueTimers` queries (each claims up to a page of timers). */
  readonly claims: number;
  /** Timers those queries returned (a timer claimed again is counted again). */
  readonly claimedRows: number;
  /** Time from asking to getting each page, summed, in ms (waiting for the connection included). */
  readonly claimMs: number;
  /** `isTimerPending` queries (a fire retried after a failed batch asks first). */
  readonly pendingChecks: number;
}

/**
 * Wraps the engine's store (through `createRuntime`'s `wrapStore`, inside the
 * BatchRecorder, which counts reads and commits) to count the timer queries, so that the
 * report can say how many round trips a timer costs besides its share of a commit.
 */
export class TimerRoundTrips {
  #claims = 0;
  #claimedRows = 0;
  #claimMs = 0;
  #pendingChecks = 0;

  /** The `wrapStore` option: every call goes through unchanged. */
  readonly wrap = (store: EngineStore): EngineStore => ({
    ...store,
    claimDueTimers: async (...args) => {
      this.#claims++;
      const start = performance.now();
      const page = await store.claimDueTimers(...args);
      this.#claimMs += performance.now() - start;
      this.#claimedRows += page.length;
      return page;
    },
    isTimerPending: (...args) => {
      this.#pendingChecks++;
      return store.isTimerPending(...args);
    },
  });

  /** Starts counting from zero. */
  reset(): void {
    this.#claims = 0;
    this.#claimedRows = 0;
    this.#claimMs = 0;
    this.#pendingChecks = 0;
  }

  /** The counts since the last `reset`. */
  counts(): TimerRoundTripCounts {
    return { claims: this.#claims, claimedRows: this.#claimedRows, claimMs: this.#claimMs, pendingChecks: this.#pendingChecks };
  }
}
