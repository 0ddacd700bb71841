import sqlite3 from 'sqlite3';
import type { Tables } from './tables.js';

/**
 * A text of the template rows (an id, a token hash) that each copy replaces with its own:
 * either `prefix` and the number of the copy (or of its group) zero-padded to `digits`,
 * or the copy's entry of `values`.
 */
export type Placeholder =
  | { readonly text: string; readonly prefix: string; readonly digits: number; readonly per: 'copy' | 'group' }
  | { readonly text: string; readonly values: readonly string[] };

/** Template rows: those of `table` whose `column` is one of `keys`. */
export interface TemplateRows {
  readonly table: keyof Tables;
  readonly column: string;
  readonly keys: readonly string[];
}

/**
 * How copies are dealt to groups: `window` groups take turns, one copy each, until each
 * has `perGroup`; then the next `window` groups. Copy n goes to group
 * n mod window + window × ⌊n / (window × perGroup)⌋. Taking turns spreads a group's
 * copies apart in the table, as when many tenants buy over time; keeping the turns within
 * a window keeps the index pages that the inserts touch few enough to stay cached.
 */
export interface Dealing {
  readonly window: number;
  readonly perGroup: number;
}

/** What to copy, how often, and what each copy changes. */
export interface ClonePlan {
  readonly templates: readonly TemplateRows[];
  readonly placeholders: readonly Placeholder[];
  readonly copies: number;
  /** Needed when a placeholder is numbered `per: 'group'`. */
  readonly dealing?: Dealing;
}

type Run = (text: string, params?: readonly unknown[]) => Promise<Record<string, unknown>[]>;

// Page cache while loading: the inserts append, so little of it stays hot; a big cache only
// costs page faults (measured: 50 MB loaded faster than 2 GB).
const LOAD_CACHE_KIB = 64 * 1024;

// SQLite takes up to 32,766 parameters in a statement.
const MAX_PARAMS = 30_000;

/** Writes copies of template rows into the database being loaded. */
export interface BulkLoader {
  /** See {@link ClonePlan}. */
  cloneRows(plan: ClonePlan): Promise<void>;
}

/**
 * Opens an SQLite file on a connection of its own, with the rollback journal, fsync and
 * foreign key checks off, for `load` to fill; then puts the file back in WAL mode (as the
 * service expects it) and closes it. No other connection may be open on the file. For
 * building a fresh database only: without a journal, a failure leaves it unusable.
 *
 * Its own connection, because leaving WAL needs a connection with no statement open, and
 * the service's keeps its prepared statements.
 */
export async function bulkLoad<T>(file: string, load: (loader: BulkLoader) => Promise<T>): Promise<T> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const opened = new sqlite3.Database(file, sqlite3.OPEN_READWRITE, (err) => (err ? reject(err) : resolve(opened)));
  });
  // Each call prepares, runs and finalizes its statement: none stays open.
  const run: Run = (text, params = []) =>
    new Promise((resolve, reject) => db.all(text, [...params], (err, rows) => (err ? reject(err) : resolve(rows as Record<string, unknown>[]))));
  try {
    for (const setting of ['journal_mode = off', 'synchronous = off', 'foreign_keys = off', `cache_size = -${LOAD_CACHE_KIB}`]) await run(`pragma ${setting}`);
    const result = await load({ cloneRows: (plan) => cloneRows(run, plan) });
    const [mode] = await run('pragma journal_mode = wal');
    if (mode?.journal_mode !== 'wal') throw new Error(`${file} did not return to WAL mode`);
    return result;
  } finally {
    await new Promise<void>((resolve, reject) => db.close((err) => (err ? reject(err) : resolve())));
  }
}

/**
 * Writes `copies` copies of the template rows, each with the placeholders replaced,
 * entirely inside SQLite: one `insert … select` per table over a temporary table of copy
 * numbers, so that no row crosses into JavaScript. Copies are written in number order and
 * each copy's rows in primary key order, so that keys that grow with the copy number are
 * appended to their indexes.
 */
async function cloneRows(run: Run, plan: ClonePlan): Promise<void> {
  if (plan.placeholders.some((p) => p.text === '')) throw new Error('a placeholder needs a text to replace');
  const map = mapColumns(plan);
  await run('drop table if exists temp.clone_map');
  await run(`create temp table clone_map (n integer primary key${map.columns.map((c) => `, ${c.name} text`).join('')})`);
  try {
    await fillMap(run, map.columns, integer('copies', plan.copies));
    const columnOf = (index: number) => `m.${map.columnOf[index]!}`;
    for (const template of plan.templates) await cloneTable(run, template, plan.placeholders, columnOf);
  } finally {
    await run('drop table temp.clone_map');
  }
}

/** A column of the copy numbers' table: an SQL expression of `n`, or given values. */
type MapColumn = { name: string; expression: string; params: unknown[] } | { name: string; values: readonly string[] };

/**
 * The columns of the copy numbers' table, one per distinct replacement: the ids of a
 * copy's instances share one number, so they share one column.
 */
function mapColumns(plan: ClonePlan): { columns: MapColumn[]; columnOf: string[] } {
  const columns: MapColumn[] = [];
  const byKey = new Map<string, string>();
  const columnOf = plan.placeholders.map((placeholder, i) => {
    if ('values' in placeholder) {
      if (placeholder.values.length !== plan.copies) throw new Error(`placeholder ${i} has ${placeholder.values.length} values for ${plan.copies} copies`);
      const name = `c${columns.length}`;
      columns.push({ name, values: placeholder.values });
      return name;
    }
    const key = JSON.stringify([placeholder.prefix, placeholder.digits, placeholder.per]);
    const known = byKey.get(key);
    if (known) return known;
    let number = 'n';
    if (placeholder.per === 'group') {
      if (!plan.dealing) throw new Error(`placeholder ${i} is numbered per group, but the plan deals no groups`);
      const window = integer('window', plan.dealing.window);
      const perGroup = integer('perGroup', plan.dealing.perGroup);
      number = `(n % ${window} + ${window} * (n / ${window * perGroup}))`;
    }
    const name = `c${columns.length}`;
    columns.push({ name, expression: `? || printf(?, ${number})`, params: [placeholder.prefix, `%0${integer('digits', placeholder.digits)}d`] });
    byKey.set(key, name);
    return name;
  });
  return { columns, columnOf };
}

/** One row per copy: its number and each column's replacement. */
async function fillMap(run: Run, columns: readonly MapColumn[], copies: number): Promise<void> {
  const numbered = columns.filter((c) => 'expression' in c);
  const given = columns.filter((c) => 'values' in c);
  if (given.length === 0) {
    await run(
      `with recursive copy(n) as (select 0 union all select n + 1 from copy where n < ?)
       insert into clone_map (n${numbered.map((c) => `, ${c.name}`).join('')}) select n${numbered.map((c) => `, ${c.expression}`).join('')} from copy`,
      // In the order of the placeholders in the text: the bound of the numbers first.
      [copies - 1, ...numbered.flatMap((c) => c.params)],
    );
    return;
  }
  const tuple = `(?${given.map(() => ', ?').join('')})`;
  const perStatement = Math.floor(MAX_PARAMS / (1 + given.length));
  for (let start = 0; start < copies; start += perStatement) {
    const count = Math.min(perStatement, copies - start);
    const params = Array.from({ length: count }, (_, k) => [start + k, ...given.map((c) => c.values[start + k])]).flat();
    await run(`insert into clone_map (n${given.map((c) => `, ${c.name}`).join('')}) values ${Array.from({ length: count }, () => tuple).join(', ')}`, params);
  }
  if (numbered.length > 0) {
    await run(`update clone_map set ${numbered.map((c) => `${c.name} = ${c.expression}`).join(', ')}`, numbered.flatMap((c) => c.params));
  }
}

function integer(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, not ${value}`);
  return value;
}

/**
 * Copies one table's template rows once per copy: `insert … select` from the copy numbers
 * crossed with the template rows, each column an expression that rebuilds the template's
 * value around the copy's replacements.
 */
async function cloneTable(run: Run, template: TemplateRows, placeholders: readonly Placeholder[], columnOf: (index: number) => string): Promise<void> {
  const info = await run(`pragma table_info(${quoteIdentifier(template.table)})`);
  const columns = info.map((c) => String(c.name));
  if (!columns.includes(template.column)) throw new Error(`${template.table} has no column ${template.column}`);
  const key = info.filter((c) => Number(c.pk) > 0).sort((a, b) => Number(a.pk) - Number(b.pk)).map((c) => quoteIdentifier(String(c.name)));
  const rows = await run(
    `select ${columns.map(quoteIdentifier).join(', ')} from ${quoteIdentifier(template.table)} where ${quoteIdentifier(template.column)} in (${template.keys.map(() => '?').join(', ')}) order by ${key.length > 0 ? key.join(', ') : 'rowid'}`,
    template.keys,
  );
  if (rows.length === 0) return;
  const params: unknown[] = [];
  const expression = (value: unknown) => valueExpression(value, placeholders, columnOf, params);
  const select = columns.map((column) =>
    rows.length === 1 ? expression(rows[0]![column]) : `case t.k ${rows.map((row, k) => `when ${k} then ${expression(row[column])}`).join(' ')} end`,
  );
  // The copy numbers outside, the template rows inside: each copy's rows come together.
  const from = rows.length === 1 ? 'clone_map m' : `clone_map m cross join (${rows.map((_, k) => `select ${k} as k`).join(' union all ')}) t`;
  await run(`insert into ${quoteIdentifier(template.table)} (${columns.map(quoteIdentifier).join(', ')}) select ${select.join(', ')} from ${from}`, params);
}

/** SQL for one template value: a parameter, or `concat` of its pieces and the copy's replacements. */
function valueExpression(value: unknown, placeholders: readonly Placeholder[], columnOf: (index: number) => string, params: unknown[]): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value !== 'string') {
    params.push(value);
    return '?';
  }
  const pieces: string[] = [];
  let rest = value;
  for (;;) {
    // The earliest placeholder in what is left, the longest one when two start together.
    let found: { at: number; index: number } | undefined;
    placeholders.forEach((p, index) => {
      const at = rest.indexOf(p.text);
      if (at === -1) return;
      if (!found || at < found.at || (at === found.at && p.text.length > placeholders[found.index]!.text.length)) found = { at, index };
    });
    if (!found) break;
    if (found.at > 0) {
      params.push(rest.slice(0, found.at));
      pieces.push('?');
    }
    pieces.push(columnOf(found.index));
    rest = rest.slice(found.at + placeholders[found.index]!.text.length);
  }
  if (rest.length > 0 || pieces.length === 0) {
    params.push(rest);
    pieces.push('?');
  }
  return pieces.length === 1 ? pieces[0]! : `concat(${pieces.join(', ')})`;
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
