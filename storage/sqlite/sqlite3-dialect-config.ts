import type { DatabaseConnection } from 'kysely';

/** Config for {@link Sqlite3Dialect}. */
export interface Sqlite3DialectConfig {
  /**
   * An open `sqlite3` Database or a function that opens one; a function is called once,
   * on first use. The driver owns it from then on and closes it on `Kysely.destroy()`.
   */
  database: Sqlite3Database | (() => Promise<Sqlite3Database>);
  /** Called once, after the driver has taken the connection and before any query. */
  onCreateConnection?: (connection: DatabaseConnection) => Promise<void>;
  /**
   * Open this many connections, each by calling `database` (which must then be a
   * function), for reads only: a query takes the least busy, transactions are deferred
   * read transactions, and `runBatch` is refused. Unset: the one connection, for
   * everything.
   */
  readers?: number;
  /** How many prepared statements to keep per connection, keyed by SQL text (default 200). */
  statementCacheSize?: number;
}

/**
 * The subset of `sqlite3`'s `Database` the dialect uses. Declared here rather than
 * imported, like Kysely's own dialect configs, so the dialect does not depend on the
 * driver's types.
 */
export interface Sqlite3Database {
  prepare(sql: string, callback: (err: Error | null) => void): Sqlite3Statement;
  exec(sql: string, callback: (err: Error | null) => void): unknown;
  close(callback: (err: Error | null) => void): void;
}

/** The subset of `sqlite3`'s `Statement` the dialect uses. */
export interface Sqlite3Statement {
  run(params: unknown[], callback: (this: Sqlite3RunResult, err: Error | null) => void): unknown;
  all(params: unknown[], callback: (err: Error | null, rows: unknown[]) => void): unknown;
  finalize(callback: () => void): unknown;
}

/** What `sqlite3` binds to `this` in a `run` callback. */
export interface Sqlite3RunResult {
  readonly lastID: number;
  readonly changes: number;
}
