import type { RssSample } from './rss-sampler.js';

/** Readings of one stretch of the soak. */
export interface RssWindow {
  readonly from: number;
  readonly to: number;
  readonly count: number;
  readonly meanBytes: number;
  readonly minBytes: number;
  readonly maxBytes: number;
}

/** Whether resident memory grew between the stretch after warm-up and the last one. */
export interface RssGrowth {
  readonly baseline: RssWindow;
  readonly final: RssWindow;
  readonly growthBytes: number;
  readonly toleranceBytes: number;
  readonly grew: boolean;
}

// Below this, a change of the mean is the garbage collector's rhythm: V8 lets its old space
// grow to a threshold before a major collection, so a minute's mean moves by a few MB with
// the collections that happen to fall in it, leak or not.
const TOLERANCE_FLOOR_BYTES = 10e6;
const TOLERANCE_SHARE = 0.05;

/**
 * Compares the mean of the readings in the second fifth of the run (the first fifth is
 * warm-up: for 5 minutes, the second minute) with the mean of the last fifth (the last
 * minute). Growth beyond max(10 MB, 5 % of the baseline) counts as growth.
 */
export function rssGrowth(samples: readonly RssSample[], seconds: number): RssGrowth {
  const baseline = windowOf(samples, seconds * 0.2, seconds * 0.4);
  const final = windowOf(samples, seconds * 0.8, Number.POSITIVE_INFINITY);
  const growthBytes = final.meanBytes - baseline.meanBytes;
  const toleranceBytes = Math.max(TOLERANCE_FLOOR_BYTES, TOLERANCE_SHARE * baseline.meanBytes);
  return { baseline, final, growthBytes, toleranceBytes, grew: growthBytes > toleranceBytes };
}

/** The readings taken from `from` (inclusive) to `to` (exclusive), in seconds since sampling began. */
export function windowOf(samples: readonly RssSample[], from: number, to: number): RssWindow {
  const bytes = samples.filter((s) => s.seconds >= from && s.seconds < to).map((s) => s.bytes);
  if (bytes.length === 0) throw new Error(`no resident memory reading between ${from.toFixed(0)} s and ${to.toFixed(0)} s: sample more often`);
  return {
    from,
    to,
    count: bytes.length,
    meanBytes: bytes.reduce((a, b) => a + b, 0) / bytes.length,
    minBytes: Math.min(...bytes),
    maxBytes: Math.max(...bytes),
  };
}
