import type { BatchStatement, Database, InstanceRow } from '../storage/database.js';
import { findInstances, insertJournal, upsertInstances } from '../storage/instances.repository.js';
import { insertOutbox } from '../storage/outbox.repository.js';
import { claimDueTimers, deleteTimers, isTimerPending, markTimersFired, upsertTimers } from '../storage/timers.repository.js';
import type { Changeset, TimerEntry } from './changeset.js';
import type { EngineStore } from './engine-store.js';
import { StaleWriteError } from './engine-store.js';
import { isUniqueViolation } from '../storage/errors.js';
import type { InstanceRecord } from './instance.js';
import type { MachineName } from '../machines/index.js';
import { indexColumnsOf } from './views.js';

/** An instance row as the engine's record. */
export function recordOf(row: InstanceRow): InstanceRecord {
  return {
    id: row.id,
    machine: row.machine as MachineName,
    version: Number(row.version),
    persisted: JSON.parse(row.snapshot),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

type TimerFate = { set?: TimerEntry; cleared: boolean; firedAt?: string };

/**
 * The statements for a batch of changesets: one multi-row statement per kind of write,
 * whatever the number of units, so a batch costs a handful of round trips. Timer changes
 * are folded per timer in order (set, then cleared, then fired…), since only the end
 * state matters.
 */
export function statementsFor(changesets: readonly Changeset[]): BatchStatement[] {
  const instances = new Map<string, InstanceRecord>();
  const timers = new Map<string, { key: readonly [string, string]; fate: TimerFate }>();
  const fate = (instanceId: string, timerId: string) => {
    const k = `${instanceId}\u0000${timerId}`;
    let entry = timers.get(k);
    if (!entry) timers.set(k, (entry = { key: [instanceId, timerId], fate: { cleared: false } }));
    return entry.fate;
  };
  for (const changeset of changesets) {
    for (const record of changeset.created) instances.set(record.id, record);
    for (const { record } of changeset.updated) instances.set(record.id, record);
    // Within a unit the timer that fired is marked first: the unit may set it again (a renewal).
    for (const t of changeset.timersFired) {
      const f = fate(t.instanceId, t.timerId);
      f.firedAt = t.firedAt;
      f.set = undefined;
      f.cleared = false;
    }
    for (const t of changeset.timersCleared) {
      const f = fate(t.instanceId, t.timerId);
      f.set = undefined;
      f.cleared = true;
    }
    for (const t of changeset.timersSet) {
      const f = fate(t.instanceId, t.timerId);
      f.set = t;
      f.cleared = false;
      f.firedAt = undefined;
    }
  }
  const now = changesets.at(-1)?.journal.at(-1)?.at ?? new Date(0).toISOString();
  const rows = [...instances.values()].map((record) => {
    const index = indexColumnsOf(record);
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
  });
  const journal = changesets.flatMap((c) =>
    c.journal.map((j) => ({
      instance_id: j.instanceId,
      seq: j.seq,
      event: JSON.stringify(j.event),
      principal_id: j.principalId,
      from_state: j.from === null ? null : JSON.stringify(j.from),
      to_state: JSON.stringify(j.to),
      at: j.at,
    })),
  );
  const outbox = changesets.flatMap((c) =>
    c.outbox.map((o) => ({ id: o.id, kind: o.kind, instanceId: o.instanceId, payload: JSON.stringify(o.payload), createdAt: o.createdAt, dueMs: Date.parse(o.createdAt) })),
  );
  const set: TimerEntry[] = [];
  const cleared: (readonly [string, string])[] = [];
  const firedByTime = new Map<string, (readonly [string, string])[]>();
  for (const { key, fate: f } of timers.values()) {
    if (f.set) set.push(f.set);
    else if (f.firedAt) firedByTime.set(f.firedAt, [...(firedByTime.get(f.firedAt) ?? []), key]);
    else if (f.cleared) cleared.push(key);
  }
  return [
    ...(rows.length ? upsertInstances(rows) : []),
    ...(journal.length ? insertJournal(journal) : []),
    ...[...firedByTime].flatMap(([at, keys]) => markTimersFired(keys, at)),
    ...(cleared.length ? deleteTimers(cleared) : []),
    ...(set.length
      ? upsertTimers(set.map((t) => ({ instance_id: t.instanceId, timer_id: t.timerId, event: JSON.stringify(t.event), due_ms: t.dueMs, created_at: now })))
      : []),
    ...(outbox.length ? insertOutbox(outbox) : []),
  ];
}

/** The engine's store over an open database. */
export function sqlEngineStore(database: Database): EngineStore {
  return {
    async loadInstances(ids) {
      return (await findInstances(database.db, ids)).map(recordOf);
    },
    async commit(changesets) {
      const statements = statementsFor(changesets);
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
