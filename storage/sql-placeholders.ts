// Splitting is done once per distinct SQL text: the hot path repeats a handful of texts.
const cache = new Map<string, readonly string[]>();
const CACHE_LIMIT = 1000;

/**
 * Splits one SQL statement at its `?` placeholders, skipping quoted strings, quoted
 * identifiers and comments: n placeholders give n + 1 fragments. Throws on a second
 * statement, because the backends disagree on what they would do with it.
 */
export function splitOnPlaceholders(sql: string): readonly string[] {
  const cached = cache.get(sql);
  if (cached) return cached;
  const fragments = split(sql);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(sql, fragments);
  return fragments;
}

/** The placeholder count of `sql` must match `params`; a mismatch is a programming error. */
export function checkParameterCount(fragments: readonly string[], params: readonly unknown[], sql: string): void {
  if (fragments.length - 1 !== params.length) {
    throw new Error(`expected ${fragments.length - 1} parameters, got ${params.length}: ${sql}`);
  }
}

const CLOSERS: Readonly<Record<string, string>> = { "'": "'", '"': '"', '`': '`', '[': ']' };

function split(sql: string): readonly string[] {
  const fragments: string[] = [];
  let start = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i] as string;
    const closer = CLOSERS[c];
    if (closer !== undefined) {
      // A doubled quote inside a quoted run is an escaped quote, and scanning on from the
      // second one handles it without a special case.
      const end = sql.indexOf(closer, i + 1);
      i = end === -1 ? sql.length : end + 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? sql.length : end + 2;
    } else if (c === '?') {
      if (/[0-9]/.test(sql[i + 1] ?? '')) throw new Error(`numbered placeholders are not supported: ${sql}`);
      fragments.push(sql.slice(start, i));
      start = i + 1;
      i += 1;
    } else if (c === ';') {
      if (sql.slice(i + 1).trim() !== '') throw new Error(`one statement per batch entry: ${sql}`);
      i += 1;
    } else {
      i += 1;
    }
  }
  fragments.push(sql.slice(start));
  return fragments;
}
