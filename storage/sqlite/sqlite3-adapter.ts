import { SqliteAdapter } from 'kysely';

/**
 * Kysely's SQLite adapter, except that DDL is declared transactional, which SQLite's is:
 * the Migrator then runs each migration in a transaction, so a crash halfway through a
 * migration leaves the schema as it was rather than half changed.
 */
export class Sqlite3Adapter extends SqliteAdapter {
  /** True: SQLite rolls back CREATE, ALTER and DROP like any other write. */
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}
