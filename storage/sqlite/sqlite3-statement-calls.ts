import { toBindable } from './sqlite-bindable.js';
import type { Sqlite3RunResult, Sqlite3Statement } from './sqlite3-dialect-config.js';

/** Runs a statement that returns no rows; resolves with sqlite3's `lastID` and `changes`. */
export function runStatement(statement: Sqlite3Statement, params: readonly unknown[]): Promise<Sqlite3RunResult> {
  return new Promise((resolve, reject) => {
    statement.run(params.map(toBindable), function (err) {
      if (err) reject(err);
      else resolve({ lastID: this.lastID, changes: this.changes });
    });
  });
}

/** Runs a statement and resolves with all of its rows. */
export function allRows(statement: Sqlite3Statement, params: readonly unknown[]): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    statement.all(params.map(toBindable), (err, rows) => (err ? reject(err) : resolve(rows)));
  });
}

