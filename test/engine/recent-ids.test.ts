import { describe, expect, it } from 'vitest';
import { RecentIds } from '../../engine/recent-ids.js';

describe('RecentIds', () => {
  it('remembers the newest ids up to its capacity, forgetting the oldest first', () => {
    const recent = new RecentIds(3);
    for (const id of ['a', 'b', 'c', 'd']) recent.add(id);
    expect(['a', 'b', 'c', 'd'].map((id) => recent.has(id))).toEqual([false, true, true, true]);
    expect(recent.size).toBe(3);
    recent.add('e');
    expect(recent.has('b')).toBe(false);
    expect(recent.has('e')).toBe(true);
  });

  it('keeps the place of an id added again', () => {
    const recent = new RecentIds(2);
    recent.add('a');
    recent.add('b');
    recent.add('a');
    expect(recent.size).toBe(2);
    recent.add('c');
    // 'a' was still the oldest: adding it again did not make it newer.
    expect([recent.has('a'), recent.has('b'), recent.has('c')]).toEqual([false, true, true]);
  });

  it('holds exactly its capacity across many wraps of its ring', () => {
    const recent = new RecentIds(1_000);
    for (let i = 0; i < 25_000; i++) recent.add(`id${i}`);
    expect(recent.size).toBe(1_000);
    expect([recent.has('id23999'), recent.has('id24000'), recent.has('id24999')]).toEqual([false, true, true]);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new RecentIds(0)).toThrow(RangeError);
    expect(() => new RecentIds(1.5)).toThrow(RangeError);
  });
});
