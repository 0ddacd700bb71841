import { describe, expect } from 'vitest';
import { activationIdOf } from '../../machines/index.js';
import { BACKENDS, databaseTest } from '../helpers/databases.js';
import { activate, buySubscription, manualRuntime } from '../helpers/engine-fixture.js';

for (const backend of BACKENDS) {
  const test = databaseTest(backend);

  describe(`${backend}: an engine whose cache holds two instances`, () => {
    test('reads more instances at once than its cache holds, and changes each of them', async ({ database }) => {
      const runtime = await manualRuntime(database, { cacheCapacity: 2 });
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) {
        const id = await buySubscription(runtime);
        await activate(runtime, id);
        ids.push(id);
      }
      const records = await runtime.engine.getMany([...ids, ...ids.map(activationIdOf)]);
      expect(records.map((r) => r.id)).toEqual([...ids, ...ids.map(activationIdOf)]);
      // Concurrent events on more subscriptions than the cache holds: each is read again.
      const results = await Promise.all(ids.map((id, i) => runtime.engine.send(id, { type: 'CHANGE_QUANTITY', quantity: i + 1 }, { principalId: 'usr_admin' })));
      expect(results.map((r) => [r.primary.version, r.primary.persisted.context.quantity])).toEqual(ids.map((_, i) => [5, i + 1]));
      const reread = await runtime.engine.getMany(ids);
      expect(reread.map((r) => r.persisted.context.quantity)).toEqual(ids.map((_, i) => i + 1));
      await runtime.stop();
    });
  });
}
