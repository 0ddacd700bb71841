import type { BatchStatement } from './batch-statement.js';

// SQLite allows 32766 parameters per statement; PostgreSQL 65535. Stay well below both.
const MAX_PARAMS = 30_000;

// Insert texts of up to CACHED_ROWS rows are kept: the engine's group commits repeat a few
// tables at a few batch sizes (~25 events), and one string per shape is also found at once
// in the SQLite batch runner's placeholder cache. Bounded to ~1.5 MB of text.
const insertTexts = new Map<string, string>();
const CACHED_ROWS = 64;
const INSERT_TEXTS_LIMIT = 512;

/**
 * `INSERT INTO table (columns) VALUES (…), (…) [suffix]` for many rows, split into as
 * few statements as the parameter limits allow. One statement per chunk is the point:
 * each statement is a round trip on the write path.
 */
export function insertMany(table: string, columns: readonly string[], rows: readonly (readonly unknown[])[], suffix = ''): BatchStatement[] {
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  const statements: BatchStatement[] = [];
  for (let start = 0; start < rows.length; start += perStatement) {
    const end = Math.min(rows.length, start + perStatement);
    const params: unknown[] = [];
    for (let i = start; i < end; i++) for (const value of rows[i]!) params.push(value);
    statements.push({ sql: insertText(table, columns, end - start, suffix), params });
  }
  return statements;
}

function insertText(table: string, columns: readonly string[], count: number, suffix: string): string {
  if (count > CACHED_ROWS) return buildInsertText(table, columns, count, suffix);
  const key = `${table}\u0000${columns.join(',')}\u0000${count}\u0000${suffix}`;
  let text = insertTexts.get(key);
  if (text === undefined) {
    text = buildInsertText(table, columns, count, suffix);
    if (insertTexts.size >= INSERT_TEXTS_LIMIT) insertTexts.clear();
    insertTexts.set(key, text);
  }
  return text;
}

function buildInsertText(table: string, columns: readonly string[], count: number, suffix: string): string {
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  return `insert into ${table} (${columns.join(', ')}) values ${Array.from({ length: count }, () => tuple).join(', ')}${suffix ? ` ${suffix}` : ''}`;
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
