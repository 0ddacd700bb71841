import type { CompiledQuery, DatabaseConnection, QueryResult } from 'kysely';
import type { BatchStatement } from '../batch-statement.js';
import { returnsRows } from './returns-rows.js';
import { runSqlite3Batch } from './sqlite3-batch.js';
import type { Sqlite3Database } from './sqlite3-dialect-config.js';
import { allRows, runStatement } from './sqlite3-statement-calls.js';
import { Sqlite3StatementCache } from './sqlite3-statement-cache.js';

/** The one connection to an SQLite database, for Kysely and for batches alike. */
export class Sqlite3Connection implements DatabaseConnection {
  readonly #db: Sqlite3Database;
  readonly #statements: Sqlite3StatementCache;

  constructor(db: Sqlite3Database, statementCacheSize: number) {
    this.#db = db;
    this.#statements = new Sqlite3StatementCache(db, statementCacheSize);
  }

  /** Runs one compiled query: through `all` when it yields rows, else through `run`. */
  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const { sql, parameters, query } = compiledQuery;
    const statement = await this.#statements.get(sql);
    if (returnsRows(query, sql)) {
      return { rows: (await allRows(statement, parameters)) as R[] };
    }
    const { changes, lastID } = await runStatement(statement, parameters);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastID), rows: [] };
  }

  /**
   * Yields a select's rows in chunks. sqlite3 has no cursor with back-pressure (`each`
   * pushes rows as fast as it reads them), so the rows are read in full first.
   */
  async *streamQuery<R>(compiledQuery: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    const { rows } = await this.executeQuery<R>(compiledQuery);
    for (let i = 0; i < rows.length; i += chunkSize) yield { rows: rows.slice(i, i + chunkSize) };
  }

  /** Runs statements in one transaction; the caller holds the connection mutex. */
  runBatch(statements: readonly BatchStatement[]): Promise<void> {
    return runSqlite3Batch(this.#db, statements, this.#statements);
  }

  /** Finalizes the cached statements, then closes the database. */
  async close(): Promise<void> {
    await this.#statements.clear();
    await new Promise<void>((resolve, reject) => this.#db.close((err) => (err ? reject(err) : resolve())));
  }
}
