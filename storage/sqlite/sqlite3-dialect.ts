import { SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
import type { DatabaseIntrospector, Dialect, DialectAdapter, Driver, Kysely, QueryCompiler } from 'kysely';
import type { BatchStatement } from '../batch-statement.js';
import { Sqlite3Adapter } from './sqlite3-adapter.js';
import type { Sqlite3DialectConfig } from './sqlite3-dialect-config.js';
import { Sqlite3Driver } from './sqlite3-driver.js';

/**
 * SQLite dialect for the asynchronous `sqlite3` package; Kysely's own `SqliteDialect`
 * needs better-sqlite3's synchronous API. Compiler, introspector and (nearly) adapter
 * are Kysely's.
 *
 * ```ts
 * const dialect = new Sqlite3Dialect({ database: () => openSqlite3Database('app.db') })
 * const db = new Kysely<Tables>({ dialect })
 * await dialect.runBatch([{ sql: 'insert into clock (id, now_ms) values (?, ?)', params: [1, 0] }])
 * ```
 */
export class Sqlite3Dialect implements Dialect {
  // One driver per dialect, because the driver is the connection and its mutex:
  // runBatch must queue behind the same mutex as the Kysely instance using this dialect.
  readonly #driver: Sqlite3Driver;

  constructor(config: Sqlite3DialectConfig) {
    this.#driver = new Sqlite3Driver(Object.freeze({ ...config }));
  }

  /** The dialect's one driver (every Kysely instance built on this dialect shares it). */
  createDriver(): Driver {
    return this.#driver;
  }

  /** Kysely's SQLite query compiler. */
  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }

  /** Kysely's SQLite adapter, with migrations in transactions. */
  createAdapter(): DialectAdapter {
    return new Sqlite3Adapter();
  }

  /** Kysely's SQLite introspector. */
  // Dialect declares this parameter as Kysely<any>; the introspector reads any schema.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }

  /**
   * Runs statements in one `BEGIN IMMEDIATE … COMMIT` on the same connection as Kysely,
   * queued behind its mutex. Opens the connection if Kysely has not yet; in that case
   * `Kysely.destroy()` will not close it, so run a query through Kysely first.
   */
  runBatch(statements: readonly BatchStatement[]): Promise<void> {
    return this.#driver.runBatch(statements);
  }
}
