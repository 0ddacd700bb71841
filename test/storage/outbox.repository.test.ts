import { describe, expect } from 'vitest';
import { OutboxDispatcher } from '../../engine/outbox.js';
import type { OutboxRow as DispatchedRow } from '../../engine/outbox.js';
import type { Database, NewInstanceRow } from '../../storage/database.js';
import { upsertInstances } from '../../storage/instances.repository.js';
import type { OutboxClaim } from '../../storage/outbox.repository.js';
import { claimDueOutbox, insertOutbox, recordOutboxOutcomes } from '../../storage/outbox.repository.js';
import { BACKENDS, databaseTest } from '../helpers/databases.js';

const AT = '2026-01-01T00:00:00.000Z';
const NOW = Date.parse(AT);
const WALL = 1_000_000;

function instance(id: string): NewInstanceRow {
  return { id, machine: 'invoice', version: 1, snapshot: '{}', status: 'open', created_at: AT, updated_at: AT };
}

/** Webhook rows `ids` of one instance, due now, claimed as the engine's commit would. */
async function seedOutbox(database: Database, ids: readonly string[], claim: OutboxClaim | null): Promise<void> {
  await database.runBatch([
    ...upsertInstances([instance('inv_1')]),
    ...insertOutbox(ids.map((id) => ({ id, kind: 'webhook', instanceId: 'inv_1', payload: '{}', createdAt: AT, dueMs: NOW })), claim),
  ]);
}

const idsOf = (rows: readonly { id: string }[]) => rows.map((row) => row.id);

for (const backend of BACKENDS) {
  const test = databaseTest(backend);

  describe(`${backend}: outbox repository`, () => {
    test('outcomes of many attempts are recorded in one go, and release the rows', async ({ database }) => {
      await seedOutbox(database, ['dlv_a', 'dlv_b', 'dlv_c', 'dlv_d'], backend === 'postgres' ? { owner: 'p1', untilMs: WALL + 60_000 } : null);
      await recordOutboxOutcomes(database, [
        { id: 'dlv_a', outcome: 'delivered', at: AT },
        { id: 'dlv_b', outcome: 'delivered', at: AT },
        { id: 'dlv_c', outcome: 'retry', attempts: 1, nextAttemptMs: NOW + 10_000, error: 'receiver answered 503' },
        { id: 'dlv_d', outcome: 'failed', attempts: 9, error: 'gone' },
      ]);
      const rows = await database.db.selectFrom('outbox').select(['id', 'status', 'attempts', 'next_attempt_ms', 'delivered_at', 'last_error', 'claimed_by']).orderBy('id').execute();
      expect(rows.map((r) => ({ ...r, next_attempt_ms: Number(r.next_attempt_ms) }))).toEqual([
        { id: 'dlv_a', status: 'delivered', attempts: 0, next_attempt_ms: NOW, delivered_at: AT, last_error: null, claimed_by: null },
        { id: 'dlv_b', status: 'delivered', attempts: 0, next_attempt_ms: NOW, delivered_at: AT, last_error: null, claimed_by: null },
        { id: 'dlv_c', status: 'pending', attempts: 1, next_attempt_ms: NOW + 10_000, delivered_at: null, last_error: 'receiver answered 503', claimed_by: null },
        { id: 'dlv_d', status: 'failed', attempts: 9, next_attempt_ms: NOW, delivered_at: null, last_error: 'gone', claimed_by: null },
      ]);
    });

    if (backend === 'postgres') {
      test('rows claimed by the committing process go to it alone until its lease runs out', async ({ database }) => {
        await seedOutbox(database, ['dlv_a', 'dlv_b'], { owner: 'p1', untilMs: WALL + 60_000 });
        const claim = (owner: string, wallNowMs: number) =>
          claimDueOutbox(database, { kind: 'webhook', nowMs: NOW, limit: 10, claim: { owner, untilMs: wallNowMs + 60_000 }, wallNowMs });
        expect(await claim('p2', WALL)).toEqual([]);
        expect(idsOf(await claim('p1', WALL))).toEqual(['dlv_a', 'dlv_b']);
        // p1 stopped looking (it died): once its lease has run out, p2 takes the rows over.
        expect(idsOf(await claim('p2', WALL + 120_001))).toEqual(['dlv_a', 'dlv_b']);
        expect(await claim('p1', WALL + 120_001)).toEqual([]);
      });

      test('two processes delivering one outbox attempt each row once', async ({ sandbox }) => {
        const databases = [await sandbox.open(), await sandbox.open()];
        const ids = Array.from({ length: 60 }, (_, i) => `dlv_${String(i).padStart(3, '0')}`);
        await seedOutbox(databases[0]!, ids, null);
        const attempts: string[] = [];
        const dispatchers = databases.map(
          (database, n) =>
            new OutboxDispatcher({
              clock: { mode: 'manual', now: () => NOW },
              concurrency: 4,
              store: {
                due: async (nowMs, limit, kind) =>
                  (await claimDueOutbox(database, { kind, nowMs, limit, claim: { owner: `p${n}`, untilMs: Date.now() + 60_000 }, wallNowMs: Date.now() })).map(
                    (r): DispatchedRow => ({ id: r.id, kind: r.kind, instanceId: r.instance_id, payload: {}, attempts: r.attempts, createdAt: r.created_at }),
                  ),
                record: (outcomes) => recordOutboxOutcomes(database, outcomes),
              },
              handlers: {
                webhook: async (row) => {
                  attempts.push(row.id);
                  await new Promise((resolve) => setTimeout(resolve, 1));
                },
                charge: async () => undefined,
              },
            }),
        );
        await Promise.all(dispatchers.map((d) => d.runDue()));
        expect([...attempts].sort()).toEqual(ids);
        const pending = await databases[0]!.db.selectFrom('outbox').select('id').where('status', '<>', 'delivered').execute();
        expect(pending).toEqual([]);
      });
    } else {
      test('with one process there are no claims: every due row is read', async ({ database }) => {
        await seedOutbox(database, ['dlv_a', 'dlv_b'], null);
        const rows = await claimDueOutbox(database, { kind: 'webhook', nowMs: NOW, limit: 10, claim: { owner: 'p1', untilMs: WALL }, wallNowMs: WALL });
        expect(idsOf(rows)).toEqual(['dlv_a', 'dlv_b']);
        expect(rows.every((r) => r.claimed_by === null)).toBe(true);
      });
    }
  });
}
