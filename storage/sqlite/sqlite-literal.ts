import { toBindable } from './sqlite-bindable.js';

/**
 * Renders a parameter as an SQLite literal of the same value and type that binding it
 * through sqlite3 would give, or `undefined` when that cannot be guaranteed and the
 * caller must bind it.
 */
export function toSqliteLiteral(param: unknown): string | undefined {
  let value: unknown;
  try {
    value = toBindable(param);
  } catch {
    return undefined; // binding will report it
  }
  if (value === null) return 'NULL';
  switch (typeof value) {
    case 'string':
      // sqlite3_exec reads the SQL as a C string, so a NUL would cut the batch short.
      return value.includes('\0') ? undefined : `'${value.replaceAll("'", "''")}'`;
    case 'number':
      // sqlite3 binds a number as an integer only if it fits 32 bits, else as a double:
      // `.0` makes the literal a double too. Fractions are left to binding, because
      // SQLite's decimal parser is not guaranteed to round them to the same double.
      if ((value | 0) === value) return String(value);
      return Number.isSafeInteger(value) ? `${value}.0` : undefined;
    case 'boolean':
      return value ? '1' : '0';
    default:
      return Buffer.isBuffer(value) ? `X'${value.toString('hex')}'` : undefined;
  }
}
