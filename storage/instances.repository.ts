import type { Kysely } from 'kysely';
import type { BatchStatement } from './batch-statement.js';
import { insertMany } from './multi-row.js';
import type { InstanceRow, JournalRow, NewInstanceRow, NewJournalRow, Tables } from './tables.js';

const INSTANCE_COLUMNS = [
  'id',
  'machine',
  'version',
  'snapshot',
  'status',
  'tenant_id',
  'publisher_id',
  'partner_id',
  'app_id',
  'billing_profile_id',
  'parent_id',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof NewInstanceRow)[];

// Only what an event can change: rewriting the owner columns (which never change) would
// rewrite their index entries on every event. The billing profile is indexed too and
// changes seldom, so it is rewritten only by the statements for rows whose profile changed:
// SQLite rewrites an index entry whenever its column is assigned, even to the same value
// (a quarter of the pages a batch of seat changes writes, measured).
const UPDATED_ON_CONFLICT = ['version', 'snapshot', 'status', 'updated_at'] as const;
const UPDATED_ON_CONFLICT_WITH_PROFILE = [...UPDATED_ON_CONFLICT, 'billing_profile_id'] as const;
const onConflict = (columns: readonly string[]) => `on conflict (id) do update set ${columns.map((c) => `${c} = excluded.${c}`).join(', ')}`;
const ON_CONFLICT = onConflict(UPDATED_ON_CONFLICT);
const ON_CONFLICT_WITH_PROFILE = onConflict(UPDATED_ON_CONFLICT_WITH_PROFILE);

/**
 * The columns of `instances` that make an instance's record: the others (status, owners,
 * parent) are index columns derived from its snapshot.
 */
const INSTANCE_RECORD_COLUMNS = ['id', 'machine', 'version', 'snapshot', 'created_at', 'updated_at'] as const satisfies readonly (keyof InstanceRow)[];

/** A row of `instances` read for its record alone. */
export type InstanceRecordRow = Pick<InstanceRow, (typeof INSTANCE_RECORD_COLUMNS)[number]>;

/**
 * Instances by id (in no particular order; unknown ids are absent), their record columns
 * only: the engine reads here on every cache miss, and each column sqlite3 hands back is a
 * JavaScript value made on the event loop (measured: ~10 µs less per miss than `select *`).
 */
export async function findInstances(db: Kysely<Tables>, ids: readonly string[]): Promise<InstanceRecordRow[]> {
  const rows: InstanceRecordRow[] = [];
  for (let start = 0; start < ids.length; start += 500) {
    rows.push(...(await db.selectFrom('instances').select(INSTANCE_RECORD_COLUMNS).where('id', 'in', ids.slice(start, start + 500)).execute()));
  }
  return rows;
}

/**
 * Statements that write instances as they now are, new or updated, one row per instance.
 * With `sameBillingProfile` the rows are of instances whose billing profile has not changed,
 * and their column is left alone. Stale writes are caught by the journal: its
 * (instance_id, seq) key refuses a second entry for the same version, failing the whole
 * transaction.
 */
export function upsertInstances(rows: readonly NewInstanceRow[], sameBillingProfile = false): BatchStatement[] {
  const values = rows.map((row) => INSTANCE_COLUMNS.map((c) => row[c] ?? null));
  return insertMany('instances', INSTANCE_COLUMNS, values, sameBillingProfile ? ON_CONFLICT : ON_CONFLICT_WITH_PROFILE);
}

const JOURNAL_COLUMNS = ['instance_id', 'seq', 'event', 'principal_id', 'from_state', 'to_state', 'at'] as const satisfies readonly (keyof NewJournalRow)[];

/** Statements that append journal entries. */
export function insertJournal(rows: readonly NewJournalRow[]): BatchStatement[] {
  return insertMany('journal', JOURNAL_COLUMNS, rows.map((row) => JOURNAL_COLUMNS.map((c) => row[c] ?? null)));
}

/** An instance's journal, oldest first, from `afterSeq` on. */
export function journalOf(db: Kysely<Tables>, instanceId: string, afterSeq = 0, limit = 10_000): Promise<JournalRow[]> {
  return db
    .selectFrom('journal')
    .selectAll()
    .where('instance_id', '=', instanceId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}
