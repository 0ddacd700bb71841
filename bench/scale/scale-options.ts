import { positiveInteger } from '../options.js';

/** Sizes of the scale and memory benchmark; the defaults are issue 7's, the environment shrinks them for a quick run. */
export interface ScaleSizes {
  /** Subscriptions in the small database (SCALE_SMALL). */
  readonly small: number;
  /** Subscriptions in the large database (SCALE_LARGE). */
  readonly large: number;
  /** Subscriptions of a typical tenant, the measured one included (SCALE_PER_TENANT). */
  readonly perTenant: number;
  /** Measured requests per operation and database (SCALE_REQUESTS), in alternating rounds. */
  readonly requests: number;
  /** Clients each waiting for its answer before the next request (SCALE_CONCURRENCY). */
  readonly concurrency: number;
  /**
   * Distinct subscriptions read from the large database before its memory is measured
   * (SCALE_FILL): more than the engine's instance cache held before it was bounded by
   * memory (100,000), so that a cache which can fill has filled.
   */
  readonly fill: number;
  /** Seed of the random choices (SCALE_SEED), so runs compare. */
  readonly seed: number;
}

/** Reads the sizes from the environment, refusing anything but positive integers. */
export function scaleSizes(env: NodeJS.ProcessEnv = process.env): ScaleSizes {
  return Object.freeze({
    small: positiveInteger(env, 'SCALE_SMALL', 1_000),
    large: positiveInteger(env, 'SCALE_LARGE', 1_000_000),
    perTenant: positiveInteger(env, 'SCALE_PER_TENANT', 100),
    requests: positiveInteger(env, 'SCALE_REQUESTS', 3_000),
    concurrency: positiveInteger(env, 'SCALE_CONCURRENCY', 8),
    fill: positiveInteger(env, 'SCALE_FILL', 120_000),
    seed: positiveInteger(env, 'SCALE_SEED', 1),
  });
}
