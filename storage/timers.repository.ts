import { sql } from 'kysely';
import type { BatchStatement } from './batch-statement.js';
import type { Database } from './database.js';
import { forKeys, insertMany } from './multi-row.js';
import type { NewTimerRow, TimerRow } from './tables.js';

type TimerKey = readonly [instanceId: string, timerId: string];

const TIMER_COLUMNS = ['instance_id', 'timer_id', 'event', 'due_ms', 'claimed_by', 'claimed_until_ms', 'fired_at', 'created_at'] as const;

/** Statements that set timers, replacing any earlier timer of the same instance and id. */
export function upsertTimers(rows: readonly NewTimerRow[]): BatchStatement[] {
  return insertMany(
    'timers',
    TIMER_COLUMNS,
    rows.map((row) => [row.instance_id, row.timer_id, row.event, row.due_ms, null, null, null, row.created_at]),
    'on conflict (instance_id, timer_id) do update set event = excluded.event, due_ms = excluded.due_ms, ' +
      'claimed_by = null, claimed_until_ms = null, fired_at = null, created_at = excluded.created_at',
  );
}

/** Statements that remove timers that have not fired. */
export function deleteTimers(keys: readonly TimerKey[]): BatchStatement[] {
  return forKeys('delete from timers', ['instance_id', 'timer_id'], keys, [], 'and fired_at is null');
}

/** Statements that record timers as fired. */
export function markTimersFired(keys: readonly TimerKey[], firedAt: string): BatchStatement[] {
  return forKeys('update timers set fired_at = ?, claimed_by = null, claimed_until_ms = null', ['instance_id', 'timer_id'], keys, [firedAt], 'and fired_at is null');
}

/**
 * Claim up to `limit` unfired timers due by `toMs` whose lease is free (or already ours),
 * earliest first. On PostgreSQL, rows another process is claiming are skipped, not waited for.
 */
export async function claimDueTimers(database: Database, toMs: number, limit: number, owner: string, nowMs: number, leaseUntilMs: number): Promise<TimerRow[]> {
  const lock = database.dialect === 'postgres' ? sql`for update skip locked` : sql``;
  const result = await sql<TimerRow>`
    update timers set claimed_by = ${owner}, claimed_until_ms = ${leaseUntilMs}
    where (instance_id, timer_id) in (
      select instance_id, timer_id from timers
      where fired_at is null and due_ms <= ${toMs}
        and (claimed_until_ms is null or claimed_until_ms < ${nowMs} or claimed_by = ${owner})
      order by due_ms, instance_id, timer_id
      limit ${limit}
      ${lock}
    )
    returning instance_id, timer_id, event, due_ms, claimed_by, claimed_until_ms, fired_at, created_at`.execute(database.db);
  const rows = result.rows.map((row) => ({ ...row, due_ms: Number(row.due_ms) }));
  // RETURNING keeps no order.
  return rows.sort((a, b) => a.due_ms - b.due_ms || cmp(a.instance_id, b.instance_id) || cmp(a.timer_id, b.timer_id));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether a timer with this due time still waits to fire. */
export async function isTimerPending(database: Database, instanceId: string, timerId: string, dueMs: number): Promise<boolean> {
  const row = await database.db
    .selectFrom('timers')
    .select('instance_id')
    .where('instance_id', '=', instanceId)
    .where('timer_id', '=', timerId)
    .where('due_ms', '=', dueMs)
    .where('fired_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

/** Unfired timers of an instance, earliest first. */
export function pendingTimersOf(database: Database, instanceId: string): Promise<TimerRow[]> {
  return database.db.selectFrom('timers').selectAll().where('instance_id', '=', instanceId).where('fired_at', 'is', null).orderBy('due_ms').execute();
}

/** The earliest due time, later than `afterMs`, of a timer that has not fired; undefined when none. */
export async function nextTimerDueAfter(database: Database, afterMs: number): Promise<number | undefined> {
  const row = await database.db
    .selectFrom('timers')
    .select((eb) => eb.fn.min('due_ms').as('due'))
    .where('fired_at', 'is', null)
    .where('due_ms', '>', afterMs)
    .executeTakeFirst();
  return row?.due === null || row?.due === undefined ? undefined : Number(row.due);
}
