import type { Kysely } from 'kysely';
import type { BatchStatement } from './batch-statement.js';
import { insertMany } from './multi-row.js';
import type { OutboxRow, Tables } from './tables.js';

const OUTBOX_COLUMNS = ['id', 'kind', 'instance_id', 'payload', 'status', 'attempts', 'next_attempt_ms', 'last_error', 'created_at', 'delivered_at'] as const;

/** Statements that add outbox rows, pending and due at once. */
export function insertOutbox(rows: readonly { id: string; kind: string; instanceId: string; payload: string; createdAt: string; dueMs: number }[]): BatchStatement[] {
  return insertMany(
    'outbox',
    OUTBOX_COLUMNS,
    rows.map((r) => [r.id, r.kind, r.instanceId, r.payload, 'pending', 0, r.dueMs, null, r.createdAt, null]),
  );
}

/** Pending rows due by `nowMs` (of one kind when told), oldest first. */
export function dueOutbox(db: Kysely<Tables>, nowMs: number, limit: number, kind?: OutboxRow['kind']): Promise<OutboxRow[]> {
  let query = db.selectFrom('outbox').selectAll().where('status', '=', 'pending').where('next_attempt_ms', '<=', nowMs);
  if (kind) query = query.where('kind', '=', kind);
  return query.orderBy('next_attempt_ms').orderBy('id').limit(limit).execute();
}

/** Record a successful delivery. */
export async function markDelivered(db: Kysely<Tables>, id: string, at: string): Promise<void> {
  await db.updateTable('outbox').set({ status: 'delivered', delivered_at: at, last_error: null }).where('id', '=', id).execute();
}

/** Record a failed attempt and when to try again. */
export async function scheduleRetry(db: Kysely<Tables>, id: string, attempts: number, nextAttemptMs: number, error: string): Promise<void> {
  await db.updateTable('outbox').set({ attempts, next_attempt_ms: nextAttemptMs, last_error: error.slice(0, 1000) }).where('id', '=', id).execute();
}

/** Park a row that ran out of retries. */
export async function markFailed(db: Kysely<Tables>, id: string, attempts: number, error: string): Promise<void> {
  await db.updateTable('outbox').set({ status: 'failed', attempts, last_error: error.slice(0, 1000) }).where('id', '=', id).execute();
}

/** Put a parked row back in line, due at `nowMs`; false when there is no such failed row. */
export async function requeue(db: Kysely<Tables>, id: string, nowMs: number): Promise<boolean> {
  const result = await db
    .updateTable('outbox')
    .set({ status: 'pending', next_attempt_ms: nowMs, attempts: 0 })
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
