import { describe, expect } from 'vitest';
import type { Database, NewInstanceRow } from '../../storage/database.js';
import { upsertInstances } from '../../storage/instances.repository.js';
import { claimDueTimers, markTimersFired, pendingTimersOf, upsertTimers } from '../../storage/timers.repository.js';
import { BACKENDS, databaseTest } from '../helpers/databases.js';

const AT = '2026-01-01T00:00:00.000Z';
const DUE = Date.parse('2026-01-02T00:00:00.000Z');

function instance(id: string): NewInstanceRow {
  return { id, machine: 'activation', version: 1, snapshot: '{}', status: 'tokenIssued', created_at: AT, updated_at: AT };
}

/** Instances `ids`, each with a token expiry due one millisecond after the one before. */
async function seedTimers(database: Database, ids: readonly string[]): Promise<void> {
  await database.runBatch([
    ...upsertInstances(ids.map(instance)),
    ...upsertTimers(ids.map((id, i) => ({ instance_id: id, timer_id: 'tokenExpiry', event: '{"type":"TOKEN_EXPIRED"}', due_ms: DUE + i, created_at: AT }))),
  ]);
}

for (const backend of BACKENDS) {
  const test = databaseTest(backend);

  describe(`${backend}: timers repository`, () => {
    test('timers fired in one batch keep each its own time; one fired before keeps its first', async ({ database }) => {
      await seedTimers(database, ['act_a', 'act_b', 'act_c']);
      const at = (i: number) => new Date(DUE + i).toISOString();
      await database.runBatch(markTimersFired([{ key: ['act_c', 'tokenExpiry'], firedAt: at(2) }]));
      await database.runBatch(
        markTimersFired([
          { key: ['act_a', 'tokenExpiry'], firedAt: at(0) },
          { key: ['act_b', 'tokenExpiry'], firedAt: at(1) },
          { key: ['act_c', 'tokenExpiry'], firedAt: at(9) },
        ]),
      );
      const rows = await database.db.selectFrom('timers').select(['instance_id', 'fired_at', 'claimed_by']).orderBy('instance_id').execute();
      expect(rows).toEqual([
        { instance_id: 'act_a', fired_at: at(0), claimed_by: null },
        { instance_id: 'act_b', fired_at: at(1), claimed_by: null },
        { instance_id: 'act_c', fired_at: at(2), claimed_by: null },
      ]);
      expect(await pendingTimersOf(database, 'act_a')).toEqual([]);
    });

    test('a pass claims each timer once; a later pass of the process takes back what it left; other processes wait for the lease', async ({ database }) => {
      await seedTimers(database, ['act_a', 'act_b', 'act_c']);
      const ids = (rows: readonly { instance_id: string }[]) => rows.map((row) => row.instance_id);
      const claim = (owner: string, pass: number, limit: number, nowMs = DUE) => claimDueTimers(database, DUE + 10, limit, { owner, pass }, nowMs, nowMs + 60_000);
      expect(ids(await claim('p1', 1, 2))).toEqual(['act_a', 'act_b']);
      // The same pass asks again while a and b are firing: only what it does not hold yet.
      expect(ids(await claim('p1', 1, 2))).toEqual(['act_c']);
      expect(ids(await claim('p1', 1, 2))).toEqual([]);
      // Another process waits for the lease to run out.
      expect(ids(await claim('p2', 1, 10))).toEqual([]);
      // The pass ended without firing them (a failed commit): the process's next pass takes them back at once.
      expect(ids(await claim('p1', 2, 10))).toEqual(['act_a', 'act_b', 'act_c']);
      expect(ids(await claim('p2', 1, 10, DUE + 60_001))).toEqual(['act_a', 'act_b', 'act_c']);
      // A process whose name begins like another's is another process.
      expect(ids(await claim('p', 1, 10, DUE + 60_001))).toEqual([]);
    });
  });
}
