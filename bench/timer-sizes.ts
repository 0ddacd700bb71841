import type { BenchSizes } from './options.js';
import { benchSizes, positiveInteger } from './options.js';

/** Sizes of the timers benchmark: the engine benchmark's, and how many timers fire. */
export interface TimerBenchSizes extends BenchSizes {
  /** Due timers fired by the one measured `advance` (BENCH_TIMERS). */
  readonly timers: number;
}

/** Reads the sizes from the environment; the defaults are issue 7's. */
export function timerBenchSizes(env: NodeJS.ProcessEnv = process.env): TimerBenchSizes {
  return Object.freeze({ ...benchSizes(env), timers: positiveInteger(env, 'BENCH_TIMERS', 100_000) });
}
