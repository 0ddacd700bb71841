import type { Sqlite3Database, Sqlite3Statement } from './sqlite3-dialect-config.js';

/**
 * Prepared statements keyed by SQL text, least recently used evicted first. A cached
 * statement runs in one trip through libuv's pool; `db.run(sql)` takes two (prepare, then
 * step), and each trip costs more than the statement itself.
 */
export class Sqlite3StatementCache {
  readonly #db: Sqlite3Database;
  readonly #limit: number;
  // A Map iterates in insertion order, so re-inserting on use keeps the oldest first.
  readonly #statements = new Map<string, Sqlite3Statement>();

  constructor(db: Sqlite3Database, limit: number) {
    this.#db = db;
    // At least one, or a statement would be finalized as soon as it was prepared.
    this.#limit = Math.max(1, limit);
  }

  /** The prepared statement for `sql`, preparing it on first use. */
  async get(sql: string): Promise<Sqlite3Statement> {
    const cached = this.#statements.get(sql);
    if (cached) {
      this.#statements.delete(sql);
      this.#statements.set(sql, cached);
      return cached;
    }
    const statement = await new Promise<Sqlite3Statement>((resolve, reject) => {
      const prepared = this.#db.prepare(sql, (err) => (err ? reject(err) : resolve(prepared)));
    });
    this.#statements.set(sql, statement);
    if (this.#statements.size > this.#limit) this.#evictOldest();
    return statement;
  }

  /** Finalizes every statement; the database refuses to close while any is open. */
  async clear(): Promise<void> {
    const statements = [...this.#statements.values()];
    this.#statements.clear();
    await Promise.all(statements.map(finalize));
  }

  #evictOldest(): void {
    const [sql, statement] = this.#statements.entries().next().value as [string, Sqlite3Statement];
    this.#statements.delete(sql);
    // Callers hold the connection mutex and await every step, so the evicted statement
    // is idle and sqlite3 finalizes it at once.
    void finalize(statement);
  }
}

// sqlite3 never passes an error to finalize's callback: errors were reported by the
// calls that caused them.
function finalize(statement: Sqlite3Statement): Promise<void> {
  return new Promise((resolve) => statement.finalize(() => resolve()));
}
