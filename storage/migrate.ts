import { Migrator } from 'kysely';
import type { Kysely } from 'kysely';
import { migrationProvider } from './migrations/index.js';
import type { Tables } from './tables.js';

/**
 * Brings the schema up to the latest migration and returns the names of the migrations
 * it ran (none when already current). `migrationTableSchema` pins Kysely's bookkeeping
 * tables to one PostgreSQL schema.
 */
export async function migrateToLatest(db: Kysely<Tables>, migrationTableSchema?: string): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider, migrationTableSchema });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((result) => result.status === 'Error')?.migrationName ?? 'setup';
    throw new Error(`migration ${failed} failed`, { cause: error });
  }
  return results.map((result) => result.migrationName);
}
