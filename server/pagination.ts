import { DomainError } from '../engine/errors.js';

/** An opaque cursor for a position in a list. */
export function encodeCursor(position: readonly string[]): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** The position a cursor stands for; a 422 for one this service did not make. */
export function decodeCursor(cursor: string | undefined, arity: number): string[] | undefined {
  if (cursor === undefined) return undefined;
  try {
    const position = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(position) && position.length === arity && position.every((p) => typeof p === 'string')) return position;
  } catch {
    // Fall through to the refusal below.
  }
  throw new DomainError('validation_failed', 'cursor: not a cursor from this list; start again without one.', {
    errors: [{ path: 'cursor', message: 'unknown cursor' }],
  });
}

/** A page of items: one more than `limit` was fetched to tell whether another page exists. */
export function page<T, V>(rows: readonly T[], limit: number, view: (row: T) => V, position: (row: T) => readonly string[]) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map(view), nextCursor: rows.length > limit && last !== undefined ? encodeCursor(position(last)) : null };
}

/** How many rows a filtered page reads at most, and at a time. */
const FILTERED_PAGE_BUDGET = 2_000;
const FILTERED_PAGE_CHUNK = 200;

/**
 * A page of the rows `keep` accepts, for a list whose filter no indexed column holds:
 * rows are read in order after `after`, a chunk at a time, until `limit` are kept or
 * `budget` rows were read. A page cut short by the budget holds fewer than `limit` items
 * (perhaps none) and a cursor after the last row read, so that the next page goes on from
 * there; `nextCursor` is null only once every row has been read.
 */
export async function filteredPage<T, P extends readonly string[], V>(
  read: (after: P | undefined, count: number) => Promise<readonly T[]>,
  keep: (row: T) => boolean,
  options: { after: P | undefined; limit: number; view: (row: T) => V; position: (row: T) => P; budget?: number },
) {
  const { limit, view, position, budget = FILTERED_PAGE_BUDGET } = options;
  const kept: T[] = [];
  let after = options.after;
  for (let scanned = 0; scanned < budget; ) {
    const rows = await read(after, FILTERED_PAGE_CHUNK);
    for (const row of rows) {
      scanned++;
      if (keep(row) && kept.push(row) > limit) return page(kept, limit, view, position);
    }
    if (rows.length < FILTERED_PAGE_CHUNK) return page(kept, limit, view, position);
    after = position(rows.at(-1) as T);
  }
  return { items: kept.map(view), nextCursor: encodeCursor(after as P) };
}
