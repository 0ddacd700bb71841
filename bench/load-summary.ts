import { percentile } from './concurrent.js';
import type { LoadResult } from './http-load.js';

/** One configuration's load runs, taken together. */
export interface LoadSummary {
  /** 2xx answers in the measured windows. */
  readonly requests: number;
  readonly seconds: number;
  /** 2xx answers per second. */
  readonly rate: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Server CPU (all its threads, all its processes) per answered request, in µs; null without /proc. */
  readonly serverCpuPerRequestUs: number | null;
  /** Of which the servers' main threads', in µs; null without /proc. */
  readonly mainThreadCpuPerRequestUs: number | null;
  /** How busy a server's main thread was over the windows, as a share of one core (the mean over its processes). */
  readonly mainThreadBusyShare: number | null;
  /** The load generator's CPU over the windows, as a share of one core. */
  readonly generatorCpuShare: number;
  /** Non-2xx answers and unanswered requests, warm-ups included, by kind. */
  readonly failures: Readonly<Record<string, number>>;
  readonly firstFailure: string | null;
  readonly outOfRoom: boolean;
}

/** Consecutive runs of one configuration as one: rates over the summed windows, percentiles over all answers. */
export function summarize(results: readonly LoadResult[]): LoadSummary {
  const sum = (f: (r: LoadResult) => number) => results.reduce((total, r) => total + f(r), 0);
  const requests = sum((r) => r.ok);
  const seconds = sum((r) => r.seconds);
  const latencies = Float64Array.from(results.flatMap((r) => r.latenciesMs));
  const failures: Record<string, number> = {};
  for (const r of results) for (const [kind, n] of Object.entries(r.failures)) failures[kind] = (failures[kind] ?? 0) + n;
  const serverCpu = results.some((r) => r.serverCpuSeconds === null) ? null : sum((r) => r.serverCpuSeconds!);
  const mainThreadCpu = results.some((r) => r.serverMainThreadCpuSeconds === null) ? null : sum((r) => r.serverMainThreadCpuSeconds!);
  const processSeconds = sum((r) => r.seconds * r.serverProcesses);
  return {
    requests,
    seconds,
    rate: requests / seconds,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    serverCpuPerRequestUs: serverCpu === null ? null : (serverCpu * 1e6) / requests,
    mainThreadCpuPerRequestUs: mainThreadCpu === null ? null : (mainThreadCpu * 1e6) / requests,
    mainThreadBusyShare: mainThreadCpu === null ? null : mainThreadCpu / processSeconds,
    generatorCpuShare: sum((r) => r.generatorCpuSeconds) / seconds,
    failures,
    firstFailure: results.find((r) => r.firstFailure !== null)?.firstFailure ?? null,
    outOfRoom: results.some((r) => r.outOfRoom),
  };
}

/** How many requests failed: every one of them must be an accepted change. */
export function failureCount(summary: LoadSummary): number {
  return Object.values(summary.failures).reduce((a, b) => a + b, 0);
}
