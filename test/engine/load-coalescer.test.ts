import { describe, expect, test } from 'vitest';
import type { InstanceRecord } from '../../engine/instance.js';
import { LoadCoalescer } from '../../engine/load-coalescer.js';

function record(id: string): InstanceRecord {
  return { id, machine: 'subscription', version: 1, persisted: { status: 'active', value: 'active', context: { id } }, createdAt: 'then', updatedAt: 'then' };
}

/** A store whose reads wait until the test lets each one through. */
function gatedStore(known: readonly string[]) {
  const reads: { ids: readonly string[]; release(): void; fail(error: Error): void }[] = [];
  const read = (ids: readonly string[]) =>
    new Promise<InstanceRecord[]>((resolve, reject) => {
      reads.push({ ids, release: () => resolve(ids.filter((id) => known.includes(id)).map(record)), fail: reject });
    });
  return { read, reads };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('load coalescer', () => {
  test('reads at once while fewer than the limit are in flight; what is asked meanwhile goes together in the next read', async () => {
    const { read, reads } = gatedStore(['a', 'b', 'c', 'd', 'e']);
    const loader = new LoadCoalescer(read, 2);
    const first = loader.load(['a']);
    const second = loader.load(['b']);
    const third = loader.load(['c', 'd']);
    const fourth = loader.load(['d', 'x']);
    expect(reads.map((r) => r.ids)).toEqual([['a'], ['b']]);
    reads[1]!.release();
    await turn();
    // Both waiting callers in one read, each id once.
    expect(reads.map((r) => r.ids)).toEqual([['a'], ['b'], ['c', 'd', 'x']]);
    reads[0]!.release();
    reads[2]!.release();
    expect([...(await first).keys()]).toEqual(['a']);
    expect([...(await second).keys()]).toEqual(['b']);
    expect((await third).get('c')?.id).toBe('c');
    expect((await third).get('d')?.id).toBe('d');
    const last = await fourth;
    expect(last.get('d')?.id).toBe('d');
    expect(last.has('x')).toBe(false);
  });

  test('a failed read fails its callers only; the next read goes ahead', async () => {
    const { read, reads } = gatedStore(['a', 'b']);
    const loader = new LoadCoalescer(read, 1);
    const first = loader.load(['a']);
    const second = loader.load(['b']);
    expect(reads).toHaveLength(1);
    reads[0]!.fail(new Error('disk on fire'));
    await expect(first).rejects.toThrow('disk on fire');
    await turn();
    expect(reads).toHaveLength(2);
    reads[1]!.release();
    expect((await second).get('b')?.id).toBe('b');
  });

  test('an id asked for while its read is under way is read again, not answered from that read', async () => {
    const { read, reads } = gatedStore(['a']);
    const loader = new LoadCoalescer(read, 1);
    const early = loader.load(['a']);
    const late = loader.load(['a']);
    expect(reads).toHaveLength(1);
    reads[0]!.release();
    await early;
    await turn();
    expect(reads).toHaveLength(2);
    reads[1]!.release();
    expect((await late).get('a')?.id).toBe('a');
  });
});
