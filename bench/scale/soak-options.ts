import { positiveInteger } from '../options.js';

/** Settings of `npm run soak`; the environment shortens it for a quick check. */
export interface SoakSettings {
  /** How long the mixed load runs (SOAK_SECONDS). */
  readonly seconds: number;
  /** Active subscriptions in the database (SOAK_SUBSCRIPTIONS). */
  readonly subscriptions: number;
  /** Subscriptions of a typical tenant (SCALE_PER_TENANT). */
  readonly perTenant: number;
  /** Clients each waiting for its answer before its next request (SOAK_CONCURRENCY). */
  readonly concurrency: number;
  /**
   * Distinct subscriptions read before the soak starts (SOAK_PREFILL), so that the
   * engine's cache is already at its bound: a cache filling up is growth, but not a leak.
   */
  readonly prefill: number;
  /** Seconds between two readings of the service's resident memory (SOAK_SAMPLE_SECONDS). */
  readonly sampleSeconds: number;
  /** Seed of the random choices (SCALE_SEED). */
  readonly seed: number;
}

/** Reads the settings from the environment, refusing anything but positive integers. */
export function soakSettings(env: NodeJS.ProcessEnv = process.env): SoakSettings {
  return Object.freeze({
    seconds: positiveInteger(env, 'SOAK_SECONDS', 300),
    subscriptions: positiveInteger(env, 'SOAK_SUBSCRIPTIONS', 1_000_000),
    perTenant: positiveInteger(env, 'SCALE_PER_TENANT', 100),
    concurrency: positiveInteger(env, 'SOAK_CONCURRENCY', 8),
    prefill: positiveInteger(env, 'SOAK_PREFILL', 40_000),
    sampleSeconds: positiveInteger(env, 'SOAK_SAMPLE_SECONDS', 5),
    seed: positiveInteger(env, 'SCALE_SEED', 1),
  });
}
