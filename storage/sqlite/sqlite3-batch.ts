import { checkPortableParams } from '../batch-statement.js';
import type { BatchStatement } from '../batch-statement.js';
import { checkParameterCount, splitOnPlaceholders } from '../sql-placeholders.js';
import { toSqliteLiteral } from './sqlite-literal.js';
import type { Sqlite3Database } from './sqlite3-dialect-config.js';
import { runStatement } from './sqlite3-statement-calls.js';
import type { Sqlite3StatementCache } from './sqlite3-statement-cache.js';

/**
 * Runs statements in one `BEGIN IMMEDIATE … COMMIT`, rolled back on any error. The
 * caller must hold the connection mutex.
 *
 * Every sqlite3 call is a trip through libuv's pool that costs more than a small insert,
 * and `db.serialize()` does not help: it orders `db.*` calls but not calls on prepared
 * statements, which then overtake one another. So when every parameter can be written
 * as an exact literal, the whole transaction goes to SQLite as one `db.exec` script
 * (one trip); otherwise each statement runs as a cached prepared statement.
 */
export async function runSqlite3Batch(
  db: Sqlite3Database,
  statements: readonly BatchStatement[],
  cache: Sqlite3StatementCache,
): Promise<void> {
  if (statements.length === 0) return;
  for (const statement of statements) {
    // The same checks as PostgreSQL's, so a batch that works here works there; made
    // before BEGIN, so a malformed batch never opens a transaction.
    checkPortableParams(statement);
    checkParameterCount(splitOnPlaceholders(statement.sql), statement.params, statement.sql);
  }
  const script = toScript(statements);
  if (script !== undefined) await execScript(db, script);
  else await runPrepared(statements, cache);
}

function toScript(statements: readonly BatchStatement[]): string | undefined {
  const parts = ['BEGIN IMMEDIATE'];
  for (const { sql, params } of statements) {
    const fragments = splitOnPlaceholders(sql);
    let text = fragments[0] as string;
    for (let i = 0; i < params.length; i++) {
      const literal = toSqliteLiteral(params[i]);
      if (literal === undefined) return undefined;
      text += literal + (fragments[i + 1] as string);
    }
    parts.push(text);
  }
  parts.push('COMMIT');
  // The newline ends any trailing `--` comment before the separator.
  return parts.join('\n;\n');
}

async function execScript(db: Sqlite3Database, script: string): Promise<void> {
  try {
    await exec(db, script);
  } catch (error) {
    // exec stops at the failing statement and leaves the transaction open. ROLLBACK
    // fails only when no transaction is left (BEGIN failed), so nothing is lost.
    await exec(db, 'ROLLBACK').catch(() => undefined);
    throw error;
  }
}

async function runPrepared(statements: readonly BatchStatement[], cache: Sqlite3StatementCache): Promise<void> {
  await runStatement(await cache.get('BEGIN IMMEDIATE'), []);
  try {
    for (const { sql, params } of statements) await runStatement(await cache.get(sql), params);
    await runStatement(await cache.get('COMMIT'), []);
  } catch (error) {
    await runStatement(await cache.get('ROLLBACK'), []).catch(() => undefined);
    throw error;
  }
}

function exec(db: Sqlite3Database, sql: string): Promise<void> {
  return new Promise((resolve, reject) => db.exec(sql, (err) => (err ? reject(err) : resolve())));
}
