import type { BenchSizes } from './options.js';
import { benchSizes } from './options.js';

/** The PostgreSQL server of the tests; the benchmark creates a database of its own on it. */
const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** Sizes of an HTTP benchmark run; the defaults are issue 7's, the environment shrinks them. */
export interface HttpBenchOptions {
  /** Subscriptions, concurrent clients, setup senders and seed, shared with the engine benchmark. */
  readonly sizes: BenchSizes;
  /** Measured seconds per configuration and direction (BENCH_HTTP_SECONDS). */
  readonly seconds: number;
  /** Unmeasured seconds at the start of each load run (BENCH_HTTP_WARMUP_SECONDS). */
  readonly warmupSeconds: number;
  /**
   * Where the PostgreSQL rows run (BENCH_POSTGRES_URL, a server URL whose database only
   * serves to connect; `off` skips them), or null.
   */
  readonly postgresUrl: string | null;
  /** When set, the service processes write V8 CPU profiles here (BENCH_HTTP_CPU_PROF). */
  readonly cpuProfileDir: string | undefined;
}

/** Reads the options from the environment, refusing anything but positive integers for sizes. */
export function httpBenchOptions(env: NodeJS.ProcessEnv = process.env): HttpBenchOptions {
  const postgres = env.BENCH_POSTGRES_URL || DEFAULT_POSTGRES_URL;
  return Object.freeze({
    sizes: benchSizes(env),
    seconds: positiveNumber(env, 'BENCH_HTTP_SECONDS', 12),
    warmupSeconds: positiveNumber(env, 'BENCH_HTTP_WARMUP_SECONDS', 2),
    postgresUrl: postgres === 'off' ? null : postgres,
    cpuProfileDir: env.BENCH_HTTP_CPU_PROF || undefined,
  });
}

function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number of seconds, not ${JSON.stringify(text)}`);
  return value;
}
