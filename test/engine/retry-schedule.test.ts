import { describe, expect, test } from 'vitest';
import { nextAttemptAt } from '../../engine/retry-schedule.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('webhook retries (API.md: first after 10 s, doubling, capped at 1 h, for 3 days)', () => {
  test('10 s after the first failure, then doubling: 20, 40, 80 s …', () => {
    expect([1, 2, 3, 4, 5].map((attempts) => (nextAttemptAt(0, attempts, 0) as number) / 1000)).toEqual([10, 20, 40, 80, 160]);
  });

  test('never more than an hour apart, however many attempts failed', () => {
    // 10 s × 2^9 = 5,120 s is past the hour: from the 10th failure on, an hour.
    expect(nextAttemptAt(0, 9, 0)).toBe(2_560_000);
    for (const attempts of [10, 11, 20, 40, 1_000]) expect(nextAttemptAt(0, attempts, 0), String(attempts)).toBe(HOUR);
  });

  test('given up once the next attempt would fall more than 3 days after the row was written', () => {
    expect(nextAttemptAt(0, 30, 3 * DAY - HOUR)).toBe(3 * DAY);
    expect(nextAttemptAt(0, 30, 3 * DAY - HOUR + 1)).toBeNull();
    expect(nextAttemptAt(5 * DAY, 30, 8 * DAY - HOUR)).toBe(8 * DAY);
  });
});
