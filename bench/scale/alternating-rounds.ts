import { performance } from 'node:perf_hooks';
import { runConcurrently } from '../concurrent.js';

/** One side's measured requests: how many, their wall time together, each one's latency. */
export interface Sample {
  readonly requests: number;
  readonly seconds: number;
  readonly latenciesMs: Float64Array;
}

// Other processes come and go on a shared machine; measured in turns, both sides see the
// same share of it, as the engine benchmark's slices do.
export const ROUNDS = 6;

/**
 * Sends `requests` requests to each side, `concurrency` at a time, in rounds that
 * alternate between the sides (and which goes first), and returns each side's sample.
 */
export async function measureAlternately(sides: readonly [(index: number) => Promise<void>, (index: number) => Promise<void>], requests: number, concurrency: number): Promise<[Sample, Sample]> {
  const perRound = Math.max(1, Math.ceil(requests / ROUNDS));
  const parts: [Sample[], Sample[]] = [[], []];
  for (let round = 0; round < ROUNDS; round++) {
    for (const side of round % 2 === 0 ? [0, 1] : [1, 0]) {
      const start = performance.now();
      const latenciesMs = await runConcurrently(perRound, concurrency, sides[side]!);
      parts[side]!.push({ requests: perRound, seconds: (performance.now() - start) / 1000, latenciesMs });
    }
  }
  return [merge(parts[0]), merge(parts[1])];
}

function merge(samples: readonly Sample[]): Sample {
  const latenciesMs = new Float64Array(samples.reduce((n, s) => n + s.requests, 0));
  let offset = 0;
  for (const s of samples) {
    latenciesMs.set(s.latenciesMs, offset);
    offset += s.requests;
  }
  return { requests: latenciesMs.length, seconds: samples.reduce((t, s) => t + s.seconds, 0), latenciesMs };
}
