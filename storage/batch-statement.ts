/**
 * One statement of a {@link RunBatch} call: a single SQL statement with `?` placeholders
 * (on every backend) and one parameter per placeholder.
 */
export interface BatchStatement {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/**
 * Runs statements in one transaction, all or nothing, outside Kysely. The engine's group
 * commit writes through this; it returns nothing per statement, so conflicts surface as
 * constraint violations (see `isUniqueViolation`) that fail the whole batch.
 */
export type RunBatch = (statements: readonly BatchStatement[], options?: RunBatchOptions) => Promise<void>;

/** How soon a batch must be written. */
export interface RunBatchOptions {
  /**
   * Bookkeeping that no caller needs committed at once (the outbox's outcomes): a backend
   * with one writer may hold it for a few milliseconds, so that it commits with the next
   * batch and shares its sync of the WAL instead of paying for one of its own.
   */
  readonly deferrable?: boolean;
}

/**
 * Throws unless every parameter means the same on both backends: string (without NUL,
 * which PostgreSQL's text refuses), number, bigint, boolean, null (or undefined) or
 * bytes. A Date would be a float on SQLite and a timestamp on PostgreSQL; an object,
 * '[object Object]' on one and JSON on the other.
 */
export function checkPortableParams({ sql, params }: BatchStatement): void {
  for (const value of params) {
    const type = typeof value;
    if (type === 'string' && !(value as string).includes('\0')) continue;
    if (value == null || type === 'number' || type === 'bigint' || type === 'boolean') continue;
    if (value instanceof Uint8Array) continue;
    const shown = type === 'string' ? 'string with NUL' : Object.prototype.toString.call(value);
    throw new TypeError(`batch parameter (${shown}) is not portable: ${sql}`);
  }
}
