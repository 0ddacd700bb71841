/**
 * Whether a database error is a unique or primary-key violation, on either backend: how
 * the engine learns that another writer took the journal's next `seq` first.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  // PostgreSQL: SQLSTATE unique_violation. SQLite: one code for every constraint kind,
  // told apart only by the message.
  if (code === '23505') return true;
  return code === 'SQLITE_CONSTRAINT' && typeof message === 'string' && /UNIQUE constraint failed/.test(message);
}
