import { describe, expect } from 'vitest';
import { sql } from 'kysely';
import type { Database } from '../../storage/database.js';
import { MIGRATIONS } from '../../storage/migrations/index.js';
import { migrateToLatest } from '../../storage/migrate.js';
import { BACKENDS, databaseTest } from '../helpers/databases.js';

const TABLES = [
  'apps', 'billing_profiles', 'billing_roles', 'clock', 'handoff_tokens', 'idempotency_keys', 'instances', 'journal',
  'outbox', 'partners', 'plans', 'principals', 'publishers', 'tenants', 'timers',
];

/**
 * The tables of this database only. On PostgreSQL, Kysely's introspection reads every
 * schema's catalog (other tests' too, which may be dropped meanwhile), so ask for ours.
 */
async function ownTables(database: Database): Promise<string[]> {
  if (database.dialect === 'postgres') {
    const { rows } = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_name not like 'kysely_%'`.execute(database.db);
    return rows.map((r) => r.name).sort();
  }
  return (await database.db.introspection.getTables()).map((t) => t.name).sort();
}

for (const backend of BACKENDS) {
  const test = databaseTest(backend);

  describe(`${backend}: migrations`, () => {
    test('opening a database creates every table', async ({ database }) => {
      expect(await ownTables(database)).toEqual(TABLES);
    });

    test('running the migrations again is a no-op', async ({ database }) => {
      await database.db.insertInto('clock').values({ id: 1, now_ms: 5 }).execute();
      expect(await migrateToLatest(database.db)).toEqual([]);
      expect(await database.db.selectFrom('clock').select('now_ms').execute()).toEqual([{ now_ms: 5 }]);
    });

    test('a fresh database runs every migration once, in order', async ({ sandbox }) => {
      const database = await sandbox.open({ migrate: false });
      expect(await ownTables(database)).toEqual([]);
      expect(await migrateToLatest(database.db)).toEqual(Object.keys(MIGRATIONS).sort());
      expect(await migrateToLatest(database.db)).toEqual([]);
    });

    test('reopening a migrated database migrates nothing and keeps the schema', async ({ sandbox }) => {
      await (await sandbox.open()).close();
      const reopened = await sandbox.open();
      expect(await ownTables(reopened)).toEqual(TABLES);
    });
  });
}
