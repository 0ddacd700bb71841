import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { BatchStatement } from './batch-statement.js';
import type { Database } from './database.js';
import { forKeys, insertMany } from './multi-row.js';
import type { OutboxRow, Tables } from './tables.js';

const OUTBOX_COLUMNS = [
  'id', 'kind', 'instance_id', 'payload', 'status', 'attempts', 'next_attempt_ms', 'last_error', 'created_at', 'delivered_at', 'claimed_by', 'claimed_until_ms',
] as const;

/** A process's hold on outbox rows: no other process attempts them before `untilMs` (wall-clock ms). */
export interface OutboxClaim {
  readonly owner: string;
  readonly untilMs: number;
}

/**
 * Statements that add outbox rows, pending and due at once. On PostgreSQL, where several
 * processes may deliver, the committing process claims its rows as it writes them, so it
 * makes their first attempt; SQLite has one process, and no claims.
 */
export function insertOutbox(
  rows: readonly { id: string; kind: string; instanceId: string; payload: string; createdAt: string; dueMs: number }[],
  claim: OutboxClaim | null,
): BatchStatement[] {
  return insertMany(
    'outbox',
    OUTBOX_COLUMNS,
    rows.map((r) => [r.id, r.kind, r.instanceId, r.payload, 'pending', 0, r.dueMs, null, r.createdAt, null, claim?.owner ?? null, claim?.untilMs ?? null]),
  );
}

/** The earliest time after `afterMs` at which a pending outbox row (a retry) falls due, if any. */
export async function nextOutboxDueAfter(database: Database, afterMs: number): Promise<number | undefined> {
  const row = await database.db
    .selectFrom('outbox')
    .select((eb) => eb.fn.min('next_attempt_ms').as('due'))
    .where('status', '=', 'pending')
    .where('next_attempt_ms', '>', afterMs)
    .executeTakeFirst();
  return row?.due === null || row?.due === undefined ? undefined : Number(row.due);
}

/**
 * Pending rows of a kind due by `nowMs`, oldest first, at most `limit`. On PostgreSQL they
 * are claimed for `claim.owner` until `claim.untilMs`: rows nobody holds, rows whose
 * lease ran out before `wallNowMs`, and the owner's own (the caller skips those it is
 * attempting already); rows another process is claiming are skipped, not waited for. On
 * SQLite, the only process is the only dispatcher, and a plain read does.
 */
export async function claimDueOutbox(
  database: Database,
  query: { kind: OutboxRow['kind']; nowMs: number; limit: number; claim: OutboxClaim; wallNowMs: number },
): Promise<OutboxRow[]> {
  const { kind, nowMs, limit, claim, wallNowMs } = query;
  if (database.dialect === 'sqlite') {
    return database.db
      .selectFrom('outbox')
      .selectAll()
      .where('status', '=', 'pending')
      .where('kind', '=', kind)
      .where('next_attempt_ms', '<=', nowMs)
      .orderBy('next_attempt_ms')
      .orderBy('id')
      .limit(limit)
      .execute();
  }
  const { rows } = await sql<OutboxRow>`
    update outbox set claimed_by = ${claim.owner}, claimed_until_ms = ${claim.untilMs}
    where id in (
      select id from outbox
      where status = 'pending' and kind = ${kind} and next_attempt_ms <= ${nowMs}
        and (claimed_by is null or claimed_by = ${claim.owner} or claimed_until_ms < ${wallNowMs})
      order by next_attempt_ms, id
      limit ${limit}
      for update skip locked
    )
    returning *`.execute(database.db);
  // RETURNING keeps no order.
  return rows
    .map((row) => ({ ...row, next_attempt_ms: Number(row.next_attempt_ms), claimed_until_ms: row.claimed_until_ms === null ? null : Number(row.claimed_until_ms) }))
    .sort((a, b) => a.next_attempt_ms - b.next_attempt_ms || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** How an attempt at an outbox row ended, to be recorded. */
export type OutboxOutcome =
  | { readonly id: string; readonly outcome: 'delivered'; readonly at: string }
  | { readonly id: string; readonly outcome: 'retry'; readonly attempts: number; readonly nextAttemptMs: number; readonly error: string }
  | { readonly id: string; readonly outcome: 'failed'; readonly attempts: number; readonly error: string };

const RELEASE = 'claimed_by = null, claimed_until_ms = null';

/**
 * Records the outcomes of many attempts in one transaction: the deliveries in one
 * statement per time, retries and failures (rare) one each. A row whose attempt ended
 * is released, so that any process may make its next attempt.
 */
export async function recordOutboxOutcomes(database: Database, outcomes: readonly OutboxOutcome[]): Promise<void> {
  const deliveredByTime = new Map<string, string[][]>();
  const statements: BatchStatement[] = [];
  for (const o of outcomes) {
    if (o.outcome === 'delivered') deliveredByTime.set(o.at, [...(deliveredByTime.get(o.at) ?? []), [o.id]]);
    else if (o.outcome === 'retry')
      statements.push({ sql: `update outbox set attempts = ?, next_attempt_ms = ?, last_error = ?, ${RELEASE} where id = ?`, params: [o.attempts, o.nextAttemptMs, o.error.slice(0, 1000), o.id] });
    else statements.push({ sql: `update outbox set status = 'failed', attempts = ?, last_error = ?, ${RELEASE} where id = ?`, params: [o.attempts, o.error.slice(0, 1000), o.id] });
  }
  for (const [at, ids] of deliveredByTime) {
    statements.push(...forKeys(`update outbox set status = 'delivered', delivered_at = ?, last_error = null, ${RELEASE}`, ['id'], ids, [at]));
  }
  // Bookkeeping no caller waits on: the dispatcher counts these rows as under way until it is
  // written, so a look at the database in the meantime does not take them again.
  if (statements.length > 0) await database.runBatch(statements, { deferrable: true });
}

/** Put a parked row back in line, due at `nowMs`; false when there is no such failed row. */
export async function requeue(db: Kysely<Tables>, id: string, nowMs: number): Promise<boolean> {
  const result = await db
    .updateTable('outbox')
    .set({ status: 'pending', next_attempt_ms: nowMs, attempts: 0, claimed_by: null, claimed_until_ms: null })
    .where('id', '=', id)
    .where('status', '=', 'failed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Outbox rows of a kind and status, newest first, after a cursor id. */
export function listOutbox(db: Kysely<Tables>, filter: { kind?: string; status?: string; before?: string; limit: number }): Promise<OutboxRow[]> {
  let query = db.selectFrom('outbox').selectAll();
  if (filter.kind) query = query.where('kind', '=', filter.kind as OutboxRow['kind']);
  if (filter.status) query = query.where('status', '=', filter.status as OutboxRow['status']);
  if (filter.before) query = query.where('id', '<', filter.before);
  return query.orderBy('id', 'desc').limit(filter.limit).execute();
}

/** How many rows wait (`pending`) or are parked (`failed`), by kind; kinds with none are absent. */
export async function outboxCounts(db: Kysely<Tables>): Promise<{ kind: OutboxRow['kind']; status: OutboxRow['status']; n: number }[]> {
  const rows = await db
    .selectFrom('outbox')
    .select(['kind', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', 'in', ['pending', 'failed'])
    .groupBy(['kind', 'status'])
    .execute();
  return rows.map((r) => ({ kind: r.kind, status: r.status, n: Number(r.n) }));
}
