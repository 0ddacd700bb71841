import { describe, expect } from 'vitest';
import type { Database, NewInstanceRow } from '../../storage/database.js';
import { isUniqueViolation } from '../../storage/errors.js';
import { findInstances } from '../../storage/instances.repository.js';
import { BACKENDS, databaseTest } from '../helpers/databases.js';

const AT = '2025-01-01T00:00:00.000Z';

function instance(id: string, extra: Partial<NewInstanceRow> = {}): NewInstanceRow {
  return { id, machine: 'subscription', version: 1, snapshot: '{"value":"active"}', status: 'active', created_at: AT, updated_at: AT, ...extra };
}

async function seedTenant(database: Database, id = 't1'): Promise<void> {
  await database.db.insertInto('tenants').values({ id, name: 'Contoso', country: 'FR', created_at: AT }).execute();
}

for (const backend of BACKENDS) {
  const test = databaseTest(backend);

  describe(`${backend}: round trips`, () => {
    test('a row reads back as written, nulls included', async ({ database }) => {
      await seedTenant(database);
      await database.db.insertInto('instances').values(instance('s1', { tenant_id: 't1' })).execute();
      const row = await database.db.selectFrom('instances').selectAll().where('id', '=', 's1').executeTakeFirstOrThrow();
      expect(row).toEqual({
        ...instance('s1', { tenant_id: 't1' }),
        publisher_id: null, partner_id: null, app_id: null, billing_profile_id: null, parent_id: null,
      });
    });

    test('instances read by id come back with their record columns only, unknown ids absent', async ({ database }) => {
      await seedTenant(database);
      await database.db.insertInto('instances').values([instance('s1', { tenant_id: 't1' }), instance('s2')]).execute();
      const rows = await findInstances(database.db, ['s2', 'nope', 's1']);
      expect(rows.map((r) => r.id).sort()).toEqual(['s1', 's2']);
      const { id, machine, version, snapshot, created_at, updated_at } = instance('s1');
      expect(rows.find((r) => r.id === 's1')).toEqual({ id, machine, version, snapshot, created_at, updated_at });
    });

    test('bigint millisecond columns read back as numbers', async ({ database }) => {
      await database.db.insertInto('instances').values(instance('s1')).execute();
      const due = Date.UTC(2030, 0, 1);
      await database.db
        .insertInto('timers')
        .values({ instance_id: 's1', timer_id: 'termEnd', event: '{"type":"TERM_END"}', due_ms: due, created_at: AT })
        .execute();
      const row = await database.db.selectFrom('timers').select(['due_ms', 'claimed_until_ms']).executeTakeFirstOrThrow();
      expect(row).toEqual({ due_ms: due, claimed_until_ms: null });
      const { count } = await database.db.selectFrom('timers').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
      expect(count).toBe(1);
    });

    test('an update changes the row and reports how many it changed', async ({ database }) => {
      await database.db.insertInto('instances').values([instance('s1'), instance('s2')]).execute();
      const result = await database.db
        .updateTable('instances')
        .set({ status: 'deactivated', version: 2 })
        .where('id', '=', 's1')
        .executeTakeFirst();
      expect(result.numUpdatedRows).toBe(1n);
      const rows = await database.db.selectFrom('instances').select(['id', 'status', 'version']).orderBy('id').execute();
      expect(rows).toEqual([
        { id: 's1', status: 'deactivated', version: 2 },
        { id: 's2', status: 'active', version: 1 },
      ]);
    });

    test('insert, update and delete return rows with `returning`', async ({ database }) => {
      const inserted = await database.db.insertInto('partners').values({ id: 'p1', name: 'Fabrikam', created_at: AT }).returning(['id', 'name']).execute();
      expect(inserted).toEqual([{ id: 'p1', name: 'Fabrikam' }]);
      const updated = await database.db.updateTable('partners').set({ name: 'Fabrikam Ltd' }).returning('name').execute();
      expect(updated).toEqual([{ name: 'Fabrikam Ltd' }]);
      const deleted = await database.db.deleteFrom('partners').where('id', '=', 'p1').returningAll().execute();
      expect(deleted).toEqual([{ id: 'p1', name: 'Fabrikam Ltd', created_at: AT }]);
    });

    test('a duplicate key is recognised as a unique violation', async ({ database }) => {
      const journal = { instance_id: 's1', seq: 1, event: '{}', principal_id: 'system', to_state: '"active"', at: AT };
      await database.db.insertInto('instances').values(instance('s1')).execute();
      await database.db.insertInto('journal').values(journal).execute();
      const error: unknown = await database.db.insertInto('journal').values(journal).execute().catch((e: unknown) => e);
      expect(isUniqueViolation(error)).toBe(true);
      expect(isUniqueViolation(new Error('other'))).toBe(false);
    });

    test('a row naming a missing parent is refused', async ({ database }) => {
      const orphan = database.db.insertInto('instances').values(instance('s1', { parent_id: 'nobody' })).execute();
      await expect(orphan).rejects.toThrow(/foreign key/i);
      expect(await database.db.selectFrom('instances').selectAll().execute()).toEqual([]);
    });
  });
}
