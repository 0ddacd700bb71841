import { describe, expect, test } from 'vitest';
import { geometricInterval } from '../../bench/ab.js';

describe('bench ab: the interval of per-pair ratios', () => {
  test('is the ratio itself when every pair agrees', () => {
    expect(geometricInterval([1.1, 1.1, 1.1])).toEqual({ mean: expect.closeTo(1.1, 12), low: expect.closeTo(1.1, 12), high: expect.closeTo(1.1, 12) });
  });

  test('is centred on the geometric mean, evenly on a log scale', () => {
    const { mean, low, high } = geometricInterval([0.5, 2, 0.5, 2]);
    expect(mean).toBeCloseTo(1, 12);
    expect(low * high).toBeCloseTo(1, 12);
    // Two standard errors of the logs: 2 × sd(±ln 2) / √4 = ln 2 × 2/√3.
    expect(Math.log(high)).toBeCloseTo((Math.log(2) * 2) / Math.sqrt(3), 12);
  });

  test('narrows as pairs accumulate', () => {
    const few = geometricInterval([0.9, 1.1, 0.95, 1.05]);
    const many = geometricInterval(Array.from({ length: 16 }, (_, i) => [0.9, 1.1, 0.95, 1.05][i % 4]!));
    expect(many.high - many.low).toBeLessThan(few.high - few.low);
  });
});
