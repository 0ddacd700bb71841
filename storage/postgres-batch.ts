import type pg from 'pg';
import { checkPortableParams } from './batch-statement.js';
import type { BatchStatement } from './batch-statement.js';
import { checkParameterCount, splitOnPlaceholders } from './sql-placeholders.js';

/**
 * Runs statements in one transaction on one pooled client, rolled back on any error.
 * The pool must be in pg's pipeline mode: BEGIN, the statements and COMMIT then go out
 * together and cost one round trip, not one each.
 */
export async function runPostgresBatch(pool: pg.Pool, statements: readonly BatchStatement[]): Promise<void> {
  if (statements.length === 0) return;
  // Checked before connecting: with the queries in flight together, pg throwing on a
  // value it cannot serialise would leave the transaction half sent.
  const queries = statements.map((statement) => {
    checkPortableParams(statement);
    return { text: toNumbered(statement.sql, statement.params), values: [...statement.params] };
  });
  const client = await pool.connect();
  // Once a statement fails, PostgreSQL refuses the rest and turns COMMIT into ROLLBACK,
  // so every query settles and nothing is committed.
  const results = await Promise.allSettled([
    client.query('begin'),
    ...queries.map((query) => client.query(query.text, query.values)),
    client.query('commit'),
  ]);
  const rejected = results.find((result) => result.status === 'rejected');
  // Only a connection lost mid-batch leaves the client inside a transaction; it is
  // destroyed rather than handed to the next caller.
  const idle = client.getTransactionStatus() === 'I';
  client.release(idle ? undefined : new Error('batch left its connection inside a transaction'));
  if (rejected) throw rejected.reason;
  if (!idle) throw new Error('batch ended inside a transaction');
}

// `?` placeholders, which both backends' statements use, to PostgreSQL's `$1, $2, …`.
function toNumbered(sql: string, params: readonly unknown[]): string {
  const fragments = splitOnPlaceholders(sql);
  checkParameterCount(fragments, params, sql);
  return fragments.reduce((text, fragment, i) => `${text}$${i}${fragment}`);
}
