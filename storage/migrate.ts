import { Migrator, PostgresAdapter, sql } from 'kysely';
import type { Kysely } from 'kysely';
import { migrationProvider } from './migrations/index.js';
import type { Tables } from './tables.js';

/**
 * Brings the schema up to the latest migration and returns the names of the migrations
 * it ran (none when already current). On PostgreSQL, Kysely's bookkeeping tables are
 * pinned to the current schema (or `migrationTableSchema`).
 */
export async function migrateToLatest(db: Kysely<Tables>, migrationTableSchema?: string): Promise<string[]> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return migrate(db, migrationTableSchema);
  // The lock is held by one pooled connection while the Migrator works on others.
  return db.connection().execute(async (locked) => {
    await sql`select pg_advisory_lock(${SCHEMA_LOCK})`.execute(locked);
    try {
      return await migrate(db, migrationTableSchema);
    } finally {
      await sql`select pg_advisory_unlock(${SCHEMA_LOCK})`.execute(locked);
    }
  });
}

/**
 * Kysely's Migrator reads the catalog of every schema of a PostgreSQL database; a schema
 * dropped meanwhile (tests sharing a server drop theirs) fails that read. Migrations and
 * schema drops therefore take this advisory lock in turn.
 */
export const SCHEMA_LOCK = 7_240_431;

async function migrate(db: Kysely<Tables>, migrationTableSchema?: string): Promise<string[]> {
  // Unpinned, Kysely's Migrator finds its table in any schema — another database's, when
  // several share a server — and then cannot read it through the search path.
  if (migrationTableSchema === undefined && db.getExecutor().adapter instanceof PostgresAdapter) {
    const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
    migrationTableSchema = rows[0]?.schema ?? undefined;
    if (migrationTableSchema === undefined) throw new Error('no current schema: check search_path');
  }
  const migrator = new Migrator({ db, provider: migrationProvider, migrationTableSchema });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((result) => result.status === 'Error')?.migrationName ?? 'setup';
    throw new Error(`migration ${failed} failed`, { cause: error });
  }
  return results.map((result) => result.migrationName);
}
