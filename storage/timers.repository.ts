import { sql } from 'kysely';
import type { BatchStatement } from './batch-statement.js';
import type { Database } from './database.js';
import { forKeys, fromValues, insertMany } from './multi-row.js';
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

/**
 * Statements that record timers as fired, each at its own time, in one statement (up to
 * the parameter limit): timers fired together mostly have different due times, and one
 * statement per time made marking a batch of 500 fired cost about three times the CPU.
 */
export function markTimersFired(fired: readonly { key: TimerKey; firedAt: string }[]): BatchStatement[] {
  return fromValues(
    'update timers set fired_at = v.column3, claimed_by = null, claimed_until_ms = null from',
    3,
    fired.map(({ key, firedAt }) => [key[0], key[1], firedAt]),
    'where timers.instance_id = v.column1 and timers.timer_id = v.column2 and timers.fired_at is null',
  );
}

/**
 * Claim up to `limit` unfired timers due by `toMs`, earliest first, for `claimant` until
 * `leaseUntilMs`. A timer is free when unclaimed, when its lease ran out by `nowMs`, or when
 * an earlier pass of the same process left it claimed (that pass failed before firing it).
 * Timers the claimant's own pass holds are never returned again: they are firing, and
 * claiming them twice would write each row twice and hand the pass pages of timers it
 * already has while it waits for their commits. On PostgreSQL, rows another process is
 * claiming are skipped, not waited for.
 */
export async function claimDueTimers(database: Database, toMs: number, limit: number, claimant: { readonly owner: string; readonly pass: number }, nowMs: number, leaseUntilMs: number): Promise<TimerRow[]> {
  const lock = database.dialect === 'postgres' ? sql`for update skip locked` : sql``;
  // The process's name, then its pass: a prefix tells its claims from other processes'.
  const ownPrefix = `${claimant.owner}#`;
  const claimedBy = `${ownPrefix}${claimant.pass}`;
  const result = await sql<TimerRow>`
    update timers set claimed_by = ${claimedBy}, claimed_until_ms = ${leaseUntilMs}
    where (instance_id, timer_id) in (
      select instance_id, timer_id from timers
      where fired_at is null and due_ms <= ${toMs}
        and (claimed_by is null or claimed_by <> ${claimedBy})
        and (claimed_until_ms is null or claimed_until_ms < ${nowMs} or substr(claimed_by, 1, ${ownPrefix.length}) = ${ownPrefix})
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
