import { describe, expect } from 'vitest';
import type { NewInstanceRow } from '../../storage/database.js';
import { BACKENDS, databaseTest } from '../helpers/databases.js';

const AT = '2025-01-01T00:00:00.000Z';

function instance(id: string, parentId: string | null = null): NewInstanceRow {
  return { id, machine: 'invoice', version: 1, snapshot: '{}', status: 'open', parent_id: parentId, created_at: AT, updated_at: AT };
}

for (const backend of BACKENDS) {
  const test = databaseTest(backend);

  describe(`${backend}: transactions`, () => {
    test('a transaction that returns commits all of its writes', async ({ database }) => {
      const result = await database.db.transaction().execute(async (trx) => {
        await trx.insertInto('instances').values(instance('a')).execute();
        await trx.insertInto('instances').values(instance('b')).execute();
        return 'done';
      });
      expect(result).toBe('done');
      expect(await database.db.selectFrom('instances').select('id').orderBy('id').execute()).toEqual([{ id: 'a' }, { id: 'b' }]);
    });

    test('an error thrown inside a transaction leaves nothing behind', async ({ database }) => {
      const failing = database.db.transaction().execute(async (trx) => {
        await trx.insertInto('instances').values(instance('a')).execute();
        await trx.updateTable('instances').set({ status: 'paid' }).execute();
        throw new Error('boom');
      });
      await expect(failing).rejects.toThrow('boom');
      expect(await database.db.selectFrom('instances').selectAll().execute()).toEqual([]);
    });

    test('foreign keys are checked at commit, so a child may come before its parent', async ({ database }) => {
      await database.db.transaction().execute(async (trx) => {
        await trx.insertInto('instances').values(instance('child', 'parent')).execute();
        await trx.insertInto('instances').values(instance('parent')).execute();
      });
      expect(await database.db.selectFrom('instances').select('id').orderBy('id').execute()).toHaveLength(2);
    });

    test('a foreign key still missing at commit rolls the whole transaction back', async ({ database }) => {
      const failing = database.db.transaction().execute(async (trx) => {
        await trx.insertInto('instances').values(instance('fine')).execute();
        await trx.insertInto('instances').values(instance('orphan', 'missing')).execute();
      });
      await expect(failing).rejects.toThrow(/foreign key/i);
      expect(await database.db.selectFrom('instances').selectAll().execute()).toEqual([]);
    });

    test('concurrent transactions do not see or undo each other', async ({ database }) => {
      await database.db.insertInto('clock').values({ id: 1, now_ms: 0 }).execute();
      const increments = Array.from({ length: 20 }, (_, i) =>
        database.db.transaction().execute(async (trx) => {
          await trx.updateTable('clock').set((eb) => ({ now_ms: eb('now_ms', '+', 1) })).execute();
          if (i % 2 === 1) throw new Error('undo');
        }),
      );
      const settled = await Promise.allSettled(increments);
      expect(settled.filter((result) => result.status === 'rejected')).toHaveLength(10);
      expect(await database.db.selectFrom('clock').select('now_ms').execute()).toEqual([{ now_ms: 10 }]);
    });
  });
}
