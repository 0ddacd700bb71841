/**
 * A parameter as sqlite3 should receive it. sqlite3 cannot bind a bigint, and binds any
 * other object as the text '[object Object]' without complaint; catching that here beats
 * finding it in a row later.
 */
export function toBindable(value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : String(value);
  if (value === undefined) return null;
  if (typeof value !== 'object' || value === null || value instanceof Date || Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  throw new TypeError(`cannot bind ${Object.prototype.toString.call(value)} to SQLite: serialise it first`);
}
