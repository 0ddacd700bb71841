import { describe, expect } from 'vitest';
import { migrateToLatest } from '../../storage/migrate.js';
import { BACKENDS, databaseTest } from '../helpers/databases.js';

const TABLES = [
  'apps', 'billing_profiles', 'billing_roles', 'clock', 'handoff_tokens', 'idempotency_keys', 'instances', 'journal',
  'outbox', 'partners', 'plans', 'principals', 'publishers', 'tenants', 'timers',
];

for (const backend of BACKENDS) {
  const test = databaseTest(backend);

  describe(`${backend}: migrations`, () => {
    test('opening a database creates every table', async ({ database }) => {
      const tables = await database.db.introspection.getTables();
      expect(tables.map((table) => table.name).sort()).toEqual(TABLES);
    });

    test('running the migrations again is a no-op', async ({ database }) => {
      await database.db.insertInto('clock').values({ id: 1, now_ms: 5 }).execute();
      expect(await migrateToLatest(database.db)).toEqual([]);
      expect(await database.db.selectFrom('clock').select('now_ms').execute()).toEqual([{ now_ms: 5 }]);
    });

    test('a fresh database runs the first migration once', async ({ sandbox }) => {
      const database = await sandbox.open({ migrate: false });
      expect(await database.db.introspection.getTables()).toEqual([]);
      expect(await migrateToLatest(database.db)).toEqual(['0001_initial']);
      expect(await migrateToLatest(database.db)).toEqual([]);
    });

    test('reopening a migrated database migrates nothing and keeps the schema', async ({ sandbox }) => {
      await (await sandbox.open()).close();
      const reopened = await sandbox.open();
      const tables = await reopened.db.introspection.getTables();
      expect(tables).toHaveLength(TABLES.length);
    });
  });
}
