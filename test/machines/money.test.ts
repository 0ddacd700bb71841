import { describe, expect, it } from 'vitest';
import { divideRoundHalfUp, money, prorate, sum } from '../../machines/money.js';

const YEAR_MS = 365 * 24 * 3600_000;
const usd = (amount: number) => money(amount, 'USD');

/** Proration over a term [0, length) charged at `now`. */
const charge = (unit: number, seats: number, length: number, now: number) => prorate(usd(unit), seats, 0, length, now).amount;

describe('proration (SPEC §5, §7): round_half_up(unit × seats × remaining / term)', () => {
  it('charges the whole term at its start and nothing at its end', () => {
    expect(charge(1200, 3, YEAR_MS, 0)).toBe(3600);
    expect(charge(1200, 3, YEAR_MS, YEAR_MS)).toBe(0);
  });

  it('charges the exact share when it is whole', () => {
    expect(charge(1000, 1, 4, 2)).toBe(500);
    expect(charge(1200, 2, YEAR_MS, YEAR_MS / 4)).toBe(1800);
  });

  it('rounds an exact half up, not to even', () => {
    expect(charge(1, 1, 2, 1)).toBe(1); // 0.5
    expect(charge(5, 1, 2, 1)).toBe(3); // 2.5; banker's rounding would give 2
    expect(charge(1200, 1, YEAR_MS, YEAR_MS - 65_700_000)).toBe(3); // 2.5 of a year's 1200
  });

  it('rounds below a half down and above a half up', () => {
    expect(charge(1, 1, 3, 2)).toBe(0); // 0.33
    expect(charge(2, 1, 3, 1)).toBe(1); // 1.33
    expect(charge(1200, 3, YEAR_MS, 100 * 24 * 3600_000)).toBe(2614); // 2613.70
  });

  it('stays exact where unit × seats × milliseconds overflows 2^53', () => {
    // 411190573 × 46872 × 30831866950 ≈ 5.9e23; a float division would give …940.
    expect(charge(411_190_573, 46_872, YEAR_MS, YEAR_MS - 30_831_866_950)).toBe(18_842_991_432_939);
    // An exact half at that size: …518.5 rounds to …519.
    expect(charge(999_999_999, 100_000, YEAR_MS, YEAR_MS - 7_884_005_840)).toBe(25_000_018_493_519);
  });

  it('charges nothing for time after the term', () => {
    expect(charge(1200, 1, YEAR_MS, YEAR_MS + 1000)).toBe(0);
  });

  it('keeps the currency', () => {
    expect(prorate(money(100, 'EUR'), 1, 0, 10, 5)).toEqual({ amount: 50, currency: 'EUR' });
  });
});

describe('money', () => {
  it('divides rounding half up, and refuses a zero denominator or a negative numerator', () => {
    expect([divideRoundHalfUp(7n, 2n), divideRoundHalfUp(6n, 4n), divideRoundHalfUp(5n, 4n)]).toEqual([4n, 2n, 1n]);
    expect(() => divideRoundHalfUp(1n, 0n)).toThrow(RangeError);
    expect(() => divideRoundHalfUp(-1n, 2n)).toThrow(RangeError);
  });

  it('holds only whole minor units', () => {
    expect(() => money(1.5, 'USD')).toThrow(RangeError);
    expect(() => money(2 ** 53, 'USD')).toThrow(RangeError);
  });

  it('sums amounts of one currency and refuses to mix currencies', () => {
    expect(sum([usd(2400), usd(150)], 'USD')).toEqual(usd(2550));
    expect(sum([], 'USD')).toEqual(usd(0));
    expect(() => sum([usd(1), money(1, 'EUR')], 'USD')).toThrow(RangeError);
  });
});
