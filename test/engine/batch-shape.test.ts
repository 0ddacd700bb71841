import { describe, expect } from 'vitest';
import type { Changeset } from '../../engine/changeset.js';
import type { EngineStore } from '../../engine/engine-store.js';
import { databaseTest } from '../helpers/databases.js';
import { activate, buySubscription, manualRuntime } from '../helpers/engine-fixture.js';

const test = databaseTest('sqlite');

const SENDERS = 50;
const COMMITS = 12;

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('durable engine: batch shape', () => {
  test('senders that each wait for their commit settle into two even batches that take turns', async ({ database }) => {
    // Every commit waits for the test to let it through, so the batches are what the engine chose, not what timing allowed.
    const sizes: number[] = [];
    const gates: (() => void)[] = [];
    let gated = false;
    const wrapStore = (store: EngineStore): EngineStore => ({
      ...store,
      async commit(changesets: readonly Changeset[]) {
        if (gated) {
          sizes.push(changesets.length);
          await new Promise<void>((resolve) => gates.push(resolve));
        }
        await store.commit(changesets);
      },
    });
    const runtime = await manualRuntime(database, { wrapStore });
    const id = await buySubscription(runtime, { quantity: 30 });
    await activate(runtime, id);
    gated = true;
    let stop = false;
    const senders = Array.from({ length: SENDERS }, async (_, i) => {
      for (let n = 0; !stop; n++) await runtime.engine.send(id, { type: 'CHANGE_QUANTITY', quantity: 1 + ((i + n) % 30) }, { principalId: 'usr' });
    });
    // One commit at a time: the next is asked for once the one before has been written.
    while (sizes.length < COMMITS) {
      while (gates.length === 0) await turn();
      gates.shift()!();
    }
    stop = true;
    let finished = false;
    void Promise.all(senders).then(() => (finished = true));
    while (!finished) {
      gates.shift()?.();
      await turn();
    }
    // The first event commits alone while the others queue; from then on the two groups are even.
    expect(sizes[0]).toBe(1);
    expect(sizes.slice(2, COMMITS)).toEqual(Array.from({ length: COMMITS - 2 }, () => SENDERS / 2));
  });
});
