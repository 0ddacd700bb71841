import type { Kysely } from 'kysely';
import type { RunBatch } from './batch-statement.js';
import { openPostgres } from './postgres.js';
import { openSqlite } from './sqlite.js';
import type { Tables } from './tables.js';

export type * from './tables.js';
export type { BatchStatement, RunBatch, RunBatchOptions } from './batch-statement.js';
export { dropSchema } from './postgres.js';

/** An open database: Kysely for queries and reads, `runBatch` for the engine's group commit. */
export interface Database {
  readonly db: Kysely<Tables>;
  /**
   * Kysely for reads that need only what is committed: on SQLite other connections, which
   * WAL lets read beside the writer instead of queueing behind its commits; on PostgreSQL
   * `db`'s own pool. A write this process has queued but not yet committed is not seen, so
   * a read that must follow a write it did not await (the outbox's) stays on `db`.
   */
  readonly reader: Kysely<Tables>;
  readonly dialect: 'sqlite' | 'postgres';
  /** Statements with `?` placeholders, in one transaction; see {@link RunBatch}. */
  readonly runBatch: RunBatch;
  /** Closes the connection (SQLite) or the pool (PostgreSQL) once current work is done. */
  close(): Promise<void>;
}

/** How to open a database. */
export interface OpenDatabaseOptions {
  /** Run the migrations to the latest (default true). */
  migrate?: boolean;
  /** PostgreSQL only: the schema to create if missing and work in. Ignored by SQLite. */
  schema?: string;
}

/**
 * Opens `sqlite:<path>`, `sqlite::memory:` or `postgres://…` (also `postgresql://…`) and
 * brings its schema up to date.
 */
export function openDatabase(url: string, options: OpenDatabaseOptions = {}): Promise<Database> {
  if (url.startsWith('sqlite:')) return openSqlite(url.slice('sqlite:'.length), options);
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgres(url, options);
  // Only the scheme: the rest of a URL may hold a password.
  throw new Error(`unsupported database URL scheme: ${url.split(':')[0] ?? ''}: (use sqlite: or postgres://)`);
}
