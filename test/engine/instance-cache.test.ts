import { describe, expect, test } from 'vitest';
import { InstanceCache } from '../../engine/instance-cache.js';
import type { InstanceRecord } from '../../engine/instance.js';

/** A record whose persisted snapshot is `padding` characters of JSON larger than a bare one. */
function record(id: string, version = 1, padding = 1_000): InstanceRecord {
  return {
    id,
    machine: 'subscription',
    version,
    persisted: { status: 'active', value: 'active', context: { id, padding: 'x'.repeat(padding) } },
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}

/** The size the cache counts for `record(…, padding)`: the length of its snapshot's JSON. */
const estimate = (padding: number) => JSON.stringify(record('sub_0000', 1, padding).persisted).length;

// Of one length, so that every record's JSON is as long.
/** Evictions run once the current turn of the event loop is over. */
const turnOver = () => new Promise((resolve) => setImmediate(resolve));

const ids = (count: number) => Array.from({ length: count }, (_, i) => `sub_${String(i).padStart(4, '0')}`);

describe('instance cache', () => {
  test('holds at most its capacity of records, the least recently used evicted first', async () => {
    const cache = new InstanceCache(3, Number.MAX_SAFE_INTEGER);
    for (const id of ids(3)) cache.loaded(id, record(id));
    cache.committedRecord('sub_0000');
    cache.loaded('sub_0003', record('sub_0003'));
    await turnOver();
    expect(cache.size).toBe(3);
    expect(cache.committedRecord('sub_0001')).toBeUndefined();
    expect(cache.committedRecord('sub_0000')?.id).toBe('sub_0000');
  });

  test('holds no more records than fit in its budget of snapshot JSON', async () => {
    const cache = new InstanceCache(1_000, 10 * estimate(1_000));
    for (const id of ids(50)) cache.loaded(id, record(id));
    await turnOver();
    expect(cache.size).toBe(10);
    expect(cache.limit).toBe(10);
    expect(cache.committedRecord('sub_0049')?.id).toBe('sub_0049');
    expect(cache.committedRecord('sub_0039')).toBeUndefined();
  });

  test('holds fewer records when they are larger', async () => {
    const budget = 100 * estimate(1_000);
    const small = new InstanceCache(1_000, budget);
    const large = new InstanceCache(1_000, budget);
    for (const id of ids(200)) {
      small.loaded(id, record(id, 1, 1_000));
      large.loaded(id, record(id, 1, 10_000));
    }
    await turnOver();
    expect(small.size).toBe(100);
    expect(large.size).toBeLessThan(11);
    expect(large.size).toBeGreaterThan(8);
  });

  test('keeps a record whose commit is under way even when it is the least recently used', async () => {
    const cache = new InstanceCache(2, Number.MAX_SAFE_INTEGER);
    cache.loaded('sub_0000', record('sub_0000'));
    const next = record('sub_0000', 2);
    cache.speculate(next);
    cache.loaded('sub_0001', record('sub_0001'));
    cache.loaded('sub_0002', record('sub_0002'));
    await turnOver();
    expect(cache.committedRecord('sub_0000')?.version).toBe(1);
    expect(cache.committedRecord('sub_0001')).toBeUndefined();
    cache.committedNow([next]);
    expect(cache.latest('sub_0000')?.version).toBe(2);
  });

  test('records loaded together over the bound stay readable until the turn is over', async () => {
    const cache = new InstanceCache(10, Number.MAX_SAFE_INTEGER);
    for (const id of ids(50)) cache.loaded(id, record(id));
    await Promise.resolve();
    expect(ids(50).every((id) => cache.committedRecord(id)?.id === id)).toBe(true);
    await turnOver();
    expect(cache.size).toBe(10);
  });

  test('an older version read from the database does not replace a newer committed one', () => {
    const cache = new InstanceCache(10);
    cache.committedNow([record('sub_0000', 3)]);
    cache.loaded('sub_0000', record('sub_0000', 2));
    expect(cache.committedRecord('sub_0000')?.version).toBe(3);
  });

  test('a read older than a version committed and evicted since does not bring the older one back', async () => {
    const cache = new InstanceCache(1, Number.MAX_SAFE_INTEGER);
    cache.committedNow([record('sub_0000', 2)]);
    cache.committedNow([record('sub_0001', 1)]);
    await turnOver();
    expect(cache.committedRecord('sub_0000')).toBeUndefined();
    cache.loaded('sub_0000', record('sub_0000', 1));
    expect(cache.committedRecord('sub_0000')).toBeUndefined();
    cache.loaded('sub_0000', null);
    expect(cache.committedRecord('sub_0000')).toBeUndefined();
    cache.loaded('sub_0000', record('sub_0000', 2));
    expect(cache.committedRecord('sub_0000')?.version).toBe(2);
  });

  test('an absence read before the instance was created and committed does not hide it', () => {
    const cache = new InstanceCache(10);
    cache.committedNow([record('sub_0000', 1)]);
    cache.loaded('sub_0000', null);
    expect(cache.committedRecord('sub_0000')?.version).toBe(1);
  });

  test('remembers an absent instance as null, and forgets everything when cleared', () => {
    const cache = new InstanceCache(10);
    cache.loaded('sub_0', null);
    cache.speculate(record('sub_1'));
    expect(cache.latest('sub_0')).toBeNull();
    expect(cache.latest('sub_1')?.id).toBe('sub_1');
    cache.clear();
    expect(cache.latest('sub_0')).toBeUndefined();
    expect(cache.latest('sub_1')).toBeUndefined();
  });
});
