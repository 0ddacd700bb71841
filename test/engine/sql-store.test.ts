import { describe, expect } from 'vitest';
import type { Changeset } from '../../engine/changeset.js';
import type { EngineStore } from '../../engine/engine-store.js';
import { statementsFor } from '../../engine/sql-store.js';
import { listInstances } from '../../storage/instance-queries.repository.js';
import { databaseTest } from '../helpers/databases.js';
import { activate, buySubscription, manualRuntime } from '../helpers/engine-fixture.js';

const test = databaseTest('sqlite');

const ASSIGNS_PROFILE = 'billing_profile_id = excluded.billing_profile_id';

/** The statements that write instances, for changesets committed together. */
function instanceStatements(changesets: readonly Changeset[]): string[] {
  return statementsFor(changesets)
    .map((statement) => statement.sql)
    .filter((sql) => sql.startsWith('insert into instances'));
}

describe('engine store: instance rows', () => {
  test("an instance's billing profile column is rewritten only by a batch that changes the profile", async ({ database }) => {
    const committed: Changeset[][] = [];
    const wrapStore = (store: EngineStore): EngineStore => ({
      ...store,
      async commit(changesets) {
        committed.push([...changesets]);
        await store.commit(changesets);
      },
    });
    const runtime = await manualRuntime(database, { wrapStore });
    try {
      const id = await buySubscription(runtime);
      await activate(runtime, id);
      const profileOf = async () => (await database.db.selectFrom('instances').select('billing_profile_id').where('id', '=', id).executeTakeFirstOrThrow()).billing_profile_id;

      committed.length = 0;
      await runtime.engine.send(id, { type: 'CHANGE_QUANTITY', quantity: 4 }, { principalId: 'usr_admin' });
      const quantity = committed.flat();
      expect(instanceStatements(quantity).some((sql) => sql.includes(ASSIGNS_PROFILE))).toBe(false);

      committed.length = 0;
      await runtime.engine.send(id, { type: 'CHANGE_BILLING_PROFILE', billingProfileId: 'bp_2' }, { principalId: 'usr_admin' });
      const profile = committed.flat();
      expect(instanceStatements(profile).every((sql) => sql.includes(ASSIGNS_PROFILE))).toBe(true);
      expect(await profileOf()).toBe('bp_2');
      const listed = await listInstances(database.db, { machine: 'subscription', billingProfileId: 'bp_2' }, undefined, 10);
      expect(listed.map((row) => row.id)).toEqual([id]);

      // In one batch, a later unit that leaves the profile alone does not hide an earlier change.
      expect(instanceStatements([...profile, ...quantity]).every((sql) => sql.includes(ASSIGNS_PROFILE))).toBe(true);
      await runtime.engine.send(id, { type: 'CHANGE_QUANTITY', quantity: 3 }, { principalId: 'usr_admin' });
      expect(await profileOf()).toBe('bp_2');
    } finally {
      await runtime.stop();
    }
  });
});
