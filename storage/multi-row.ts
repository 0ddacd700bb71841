import type { BatchStatement } from './batch-statement.js';

// SQLite allows 32766 parameters per statement; PostgreSQL 65535. Stay well below both.
const MAX_PARAMS = 30_000;

/**
 * `INSERT INTO table (columns) VALUES (…), (…) [suffix]` for many rows, split into as
 * few statements as the parameter limits allow. One statement per chunk is the point:
 * each statement is a round trip on the write path.
 */
export function insertMany(table: string, columns: readonly string[], rows: readonly (readonly unknown[])[], suffix = ''): BatchStatement[] {
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const statements: BatchStatement[] = [];
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    statements.push({
      sql: `insert into ${table} (${columns.join(', ')}) values ${chunk.map(() => tuple).join(', ')}${suffix ? ` ${suffix}` : ''}`,
      params: chunk.flat(),
    });
  }
  return statements;
}

/** `… where (a, b) in (values (?, ?), …)` statements for many keys, chunked like insertMany. */
export function forKeys(prefix: string, keyColumns: readonly string[], keys: readonly (readonly unknown[])[], leadingParams: readonly unknown[] = [], suffix = ''): BatchStatement[] {
  const perStatement = Math.max(1, Math.floor((MAX_PARAMS - leadingParams.length) / keyColumns.length));
  const tuple = `(${keyColumns.map(() => '?').join(', ')})`;
  const statements: BatchStatement[] = [];
  for (let start = 0; start < keys.length; start += perStatement) {
    const chunk = keys.slice(start, start + perStatement);
    statements.push({
      sql: `${prefix} where (${keyColumns.join(', ')}) in (values ${chunk.map(() => tuple).join(', ')})${suffix ? ` ${suffix}` : ''}`,
      params: [...leadingParams, ...chunk.flat()],
    });
  }
  return statements;
}

/**
 * `prefix (values (…), …) as v suffix` statements for many rows, chunked like insertMany:
 * the rows as a table `v` whose columns are `v.column1`, `v.column2`, … (both SQLite and
 * PostgreSQL name them so), for an `update … from` that gives each row its own values in
 * one statement.
 */
export function fromValues(prefix: string, width: number, rows: readonly (readonly unknown[])[], suffix: string): BatchStatement[] {
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / width));
  const tuple = `(${Array.from({ length: width }, () => '?').join(', ')})`;
  const statements: BatchStatement[] = [];
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    statements.push({ sql: `${prefix} (values ${chunk.map(() => tuple).join(', ')}) as v ${suffix}`, params: chunk.flat() });
  }
  return statements;
}
