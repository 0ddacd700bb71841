/** Sizes of a benchmark run; the defaults are issue 7's, the environment shrinks them for a quick run. */
export interface BenchSizes {
  /** Active subscriptions the events are spread over (BENCH_SUBSCRIPTIONS). */
  readonly subscriptions: number;
  /** Events per measured variant (BENCH_EVENTS). */
  readonly events: number;
  /** Unmeasured events before each variant of the engine benchmark (BENCH_WARMUP_EVENTS). */
  readonly warmupEvents: number;
  /** Senders awaiting their previous event before the next (BENCH_CONCURRENCY). */
  readonly concurrency: number;
  /**
   * Senders during setup (BENCH_SETUP_CONCURRENCY). Setup is not measured; more senders
   * make bigger batches and fewer commits, so it takes less of the run.
   */
  readonly setupConcurrency: number;
  /** Seed of the random choice of subscriptions (BENCH_SEED), so runs compare. */
  readonly seed: number;
}

/** Reads the sizes from the environment, refusing anything but positive integers. */
export function benchSizes(env: NodeJS.ProcessEnv = process.env): BenchSizes {
  return Object.freeze({
    subscriptions: positiveInteger(env, 'BENCH_SUBSCRIPTIONS', 10_000),
    events: positiveInteger(env, 'BENCH_EVENTS', 10_000),
    warmupEvents: positiveInteger(env, 'BENCH_WARMUP_EVENTS', 2_000),
    concurrency: positiveInteger(env, 'BENCH_CONCURRENCY', 50),
    setupConcurrency: positiveInteger(env, 'BENCH_SETUP_CONCURRENCY', 500),
    seed: positiveInteger(env, 'BENCH_SEED', 1),
  });
}

/** A positive integer from the environment variable `name`, or `fallback` when it is unset. */
export function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, not ${JSON.stringify(text)}`);
  return value;
}
