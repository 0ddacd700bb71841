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
