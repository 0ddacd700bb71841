import type { BatchStatement, Database } from '../storage/database.js';
import type { NewInstanceRow, NewJournalRow, NewTimerRow } from '../storage/tables.js';
import { findInstances, insertJournal, upsertInstances } from '../storage/instances.repository.js';
import type { InstanceRecordRow } from '../storage/instances.repository.js';
import { insertOutbox } from '../storage/outbox.repository.js';
import type { OutboxClaim } from '../storage/outbox.repository.js';
import { OUTBOX_LEASE_MS } from './outbox.js';
import { claimDueTimers, deleteTimers, isTimerPending, markTimersFired, upsertTimers } from '../storage/timers.repository.js';
import type { Changeset } from './changeset.js';
import type { EngineStore } from './engine-store.js';
import { StaleWriteError } from './engine-store.js';
import { isUniqueViolation } from '../storage/errors.js';
import type { InstanceRecord } from './instance.js';
import type { MachineName } from '../machines/index.js';
import { indexColumnsOf } from './views.js';

/** An instance row as the engine's record. */
export function recordOf(row: InstanceRecordRow): InstanceRecord {
  return {
    id: row.id,
    machine: row.machine as MachineName,
    version: Number(row.version),
    persisted: JSON.parse(row.snapshot),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** An instance row to write; `sameBillingProfile` when an update left its billing profile as it was. */
interface InstanceWrite {
  readonly row: NewInstanceRow;
  readonly sameBillingProfile: boolean;
}

/** A changeset as the rows it writes, its JSON serialised. */
interface ChangesetRows {
  readonly instances: readonly InstanceWrite[];
  readonly journal: readonly NewJournalRow[];
  readonly outbox: readonly Parameters<typeof insertOutbox>[0][number][];
  /** The timer changes in the order they must be folded: fired, then cleared, then set. */
  readonly timers: readonly TimerChange[];
  /** The time of its last journal entry, if any. */
  readonly at: string | undefined;
}

type TimerChange =
  | { readonly kind: 'fired'; readonly key: TimerKey; readonly firedAt: string }
  | { readonly kind: 'cleared'; readonly key: TimerKey }
  | { readonly kind: 'set'; readonly key: TimerKey; readonly event: string; readonly dueMs: number };

type TimerKey = readonly [instanceId: string, timerId: string];

/** Where a timer's changes in a batch leave it. Once fired it stays fired, unless set again. */
interface TimerFate {
  readonly key: TimerKey;
  readonly set?: Extract<TimerChange, { kind: 'set' }>;
  readonly firedAt?: string;
  readonly cleared: boolean;
}

function foldTimer(fate: TimerFate, change: TimerChange): TimerFate {
  switch (change.kind) {
    case 'fired':
      return { key: fate.key, firedAt: change.firedAt, cleared: false };
    case 'cleared':
      return { key: fate.key, firedAt: fate.firedAt, cleared: true };
    case 'set':
      return { key: fate.key, set: change, cleared: false };
  }
}

const serialised = new WeakMap<Changeset, ChangesetRows>();

/**
 * Serialise a changeset's rows now and keep them for its commit. The engine calls this
 * when a unit is queued, while the previous batch's transaction is still open, so that
 * the JSON work is not on the commit's path.
 */
export function prepareChangeset(changeset: Changeset): void {
  rowsOf(changeset);
}

function rowsOf(changeset: Changeset): ChangesetRows {
  let rows = serialised.get(changeset);
  if (!rows) {
    rows = toRows(changeset);
    serialised.set(changeset, rows);
  }
  return rows;
}

function instanceRow(record: InstanceRecord, index: ReturnType<typeof indexColumnsOf>): NewInstanceRow {
  return {
    id: record.id,
    machine: record.machine,
    version: record.version,
    snapshot: JSON.stringify(record.persisted),
    status: index.status,
    tenant_id: index.tenantId,
    publisher_id: index.publisherId,
    partner_id: index.partnerId,
    app_id: index.appId,
    billing_profile_id: index.billingProfileId,
    parent_id: index.parentId,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  };
}

function toRows(changeset: Changeset): ChangesetRows {
  const instances: InstanceWrite[] = changeset.created.map((record) => ({ row: instanceRow(record, indexColumnsOf(record)), sameBillingProfile: false }));
  for (const { record, previous } of changeset.updated) {
    const index = indexColumnsOf(record);
    instances.push({ row: instanceRow(record, index), sameBillingProfile: index.billingProfileId === indexColumnsOf(previous).billingProfileId });
  }
  const journal = changeset.journal.map(
    (j): NewJournalRow => ({
      instance_id: j.instanceId,
      seq: j.seq,
      event: JSON.stringify(j.event),
      principal_id: j.principalId,
      from_state: j.from === null ? null : JSON.stringify(j.from),
      to_state: JSON.stringify(j.to),
      at: j.at,
    }),
  );
  const outbox = changeset.outbox.map((o) => ({
    id: o.id,
    kind: o.kind,
    instanceId: o.instanceId,
    payload: JSON.stringify(o.payload),
    createdAt: o.createdAt,
    dueMs: Date.parse(o.createdAt),
  }));
  // Within a unit the timer that fired is marked first: the unit may set it again (a renewal).
  const timers: TimerChange[] = [
    ...changeset.timersFired.map((t): TimerChange => ({ kind: 'fired', key: [t.instanceId, t.timerId], firedAt: t.firedAt })),
    ...changeset.timersCleared.map((t): TimerChange => ({ kind: 'cleared', key: [t.instanceId, t.timerId] })),
    ...changeset.timersSet.map((t): TimerChange => ({ kind: 'set', key: [t.instanceId, t.timerId], event: JSON.stringify(t.event), dueMs: t.dueMs })),
  ];
  return { instances, journal, outbox, timers, at: changeset.journal.at(-1)?.at };
}

/**
 * The statements for a batch of changesets: one multi-row statement per kind of write,
 * whatever the number of units, so a batch costs a handful of round trips. An instance
 * written by several units is written once, as the last left it; timer changes are folded
 * per timer in order (set, then cleared, then fired…), since only the end state matters.
 */
export function statementsFor(changesets: readonly Changeset[], outboxClaim: OutboxClaim | null = null): BatchStatement[] {
  const batch = changesets.map(rowsOf);
  const instances = new Map<string, InstanceWrite>();
  const timers = new Map<string, TimerFate>();
  for (const rows of batch) {
    for (const write of rows.instances) {
      // Written once, as the last unit left it; its profile is the same only if no unit changed it.
      const earlier = instances.get(write.row.id);
      instances.set(write.row.id, earlier && !earlier.sameBillingProfile ? { row: write.row, sameBillingProfile: false } : write);
    }
    for (const change of rows.timers) {
      const k = `${change.key[0]}\u0000${change.key[1]}`;
      timers.set(k, foldTimer(timers.get(k) ?? { key: change.key, cleared: false }, change));
    }
  }
  const now = batch.findLast((rows) => rows.at !== undefined)?.at ?? new Date(0).toISOString();
  const set: NewTimerRow[] = [];
  const cleared: TimerKey[] = [];
  const fired: { key: TimerKey; firedAt: string }[] = [];
  for (const { key, set: s, firedAt, cleared: isCleared } of timers.values()) {
    if (s) set.push({ instance_id: key[0], timer_id: key[1], event: s.event, due_ms: s.dueMs, created_at: now });
    else if (firedAt) fired.push({ key, firedAt });
    else if (isCleared) cleared.push(key);
  }
  const journal = batch.flatMap((rows) => rows.journal);
  const outbox = batch.flatMap((rows) => rows.outbox);
  const sameProfile: NewInstanceRow[] = [];
  const otherwise: NewInstanceRow[] = [];
  for (const { row, sameBillingProfile } of instances.values()) (sameBillingProfile ? sameProfile : otherwise).push(row);
  return [
    ...(otherwise.length ? upsertInstances(otherwise) : []),
    ...(sameProfile.length ? upsertInstances(sameProfile, true) : []),
    ...(journal.length ? insertJournal(journal) : []),
    ...(fired.length ? markTimersFired(fired) : []),
    ...(cleared.length ? deleteTimers(cleared) : []),
    ...(set.length ? upsertTimers(set) : []),
    ...(outbox.length ? insertOutbox(outbox, outboxClaim) : []),
  ];
}

/**
 * The engine's store over an open database. With `outboxOwner` (several processes on one
 * database), the outbox rows a commit writes are claimed for that process, which makes
 * their first attempt; others take them over only once the lease has run out.
 */
export function sqlEngineStore(database: Database, outboxOwner: string | null = null): EngineStore {
  return {
    async loadInstances(ids) {
      // What the engine has not cached is committed: readers need not queue behind commits.
      return (await findInstances(database.reader, ids)).map(recordOf);
    },
    prepare: prepareChangeset,
    async commit(changesets) {
      const claim = outboxOwner === null ? null : { owner: outboxOwner, untilMs: Date.now() + OUTBOX_LEASE_MS };
      const statements = statementsFor(changesets, claim);
      if (statements.length === 0) return;
      try {
        await database.runBatch(statements);
      } catch (error) {
        // A journal entry for a version someone else already wrote: the unit was computed on stale state.
        if (isUniqueViolation(error)) throw new StaleWriteError(error instanceof Error ? error.message : String(error));
        throw error;
      }
    },
    async claimDueTimers(toMs, limit, owner, nowMs, leaseUntilMs) {
      const rows = await claimDueTimers(database, toMs, limit, owner, nowMs, leaseUntilMs);
      return rows.map((row) => ({ instanceId: row.instance_id, timerId: row.timer_id, event: JSON.parse(row.event), dueMs: row.due_ms }));
    },
    isTimerPending: (instanceId, timerId, dueMs) => isTimerPending(database, instanceId, timerId, dueMs),
  };
}
