import { SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
import type { DatabaseIntrospector, Dialect, DialectAdapter, Driver, Kysely, QueryCompiler } from 'kysely';
import type { BatchStatement, RunBatchOptions } from '../batch-statement.js';
import { Sqlite3Adapter } from './sqlite3-adapter.js';
import type { Sqlite3DialectConfig } from './sqlite3-dialect-config.js';
import { Sqlite3Driver } from './sqlite3-driver.js';
import { Sqlite3ReaderPoolDriver } from './sqlite3-reader-pool.js';

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
  readonly #driver: Sqlite3Driver | Sqlite3ReaderPoolDriver;

  constructor(config: Sqlite3DialectConfig) {
    const frozen = Object.freeze({ ...config });
    if (config.readers !== undefined && typeof config.database !== 'function') throw new TypeError('readers need `database` to be a function that opens a connection each');
    this.#driver = config.readers === undefined ? new Sqlite3Driver(frozen) : new Sqlite3ReaderPoolDriver(frozen, config.readers);
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
  runBatch(statements: readonly BatchStatement[], options?: RunBatchOptions): Promise<void> {
    if (this.#driver instanceof Sqlite3ReaderPoolDriver) return Promise.reject(new Error('a pool of readers does not write: runBatch needs the writing connection'));
    return this.#driver.runBatch(statements, options);
  }
}
