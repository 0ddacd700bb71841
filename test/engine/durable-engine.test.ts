import { describe, expect } from 'vitest';
import { EventRefusedError, VersionConflictError } from '../../engine/errors.js';
import { activationIdOf, invoiceIdOf } from '../../machines/index.js';
import { journalOf } from '../../storage/instances.repository.js';
import { BACKENDS, databaseTest } from '../helpers/databases.js';
import { activate, buySubscription, manualRuntime } from '../helpers/engine-fixture.js';

for (const backend of BACKENDS) {
  const test = databaseTest(backend);

  describe(`${backend}: durable engine`, () => {
    test('placing a purchase creates its subscription and handoff in the same transaction, each at version 1', async ({ database }) => {
      const runtime = await manualRuntime(database);
      const subscriptionId = await buySubscription(runtime);
      const [subscription, activation] = await runtime.engine.getMany([subscriptionId, activationIdOf(subscriptionId)]);
      expect(subscription?.version).toBe(1);
      expect(subscription?.persisted.value).toBe('pendingActivation');
      expect(activation?.persisted.value).toBe('idle');
      const journal = await journalOf(database.db, subscriptionId);
      expect(journal.map((j) => [j.seq, j.from_state, JSON.parse(j.to_state)])).toEqual([[1, null, 'pendingActivation']]);
      expect(JSON.parse(journal[0]!.event)).toMatchObject({ type: 'xstate.init' });
    });

    test('an accepted event writes the snapshot, a journal entry and the next version', async ({ database }) => {
      const runtime = await manualRuntime(database);
      const id = await buySubscription(runtime);
      await activate(runtime, id);
      const row = await database.db.selectFrom('instances').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      expect(row.status).toBe('active');
      expect(row.version).toBe(4); // created, OPEN_PUBLISHER_PORTAL, HANDOFF_RESOLVED, ACTIVATE
      const journal = await journalOf(database.db, id);
      expect(journal.map((j) => j.seq)).toEqual([1, 2, 3, 4]);
      expect(journal.map((j) => JSON.parse(j.event).type)).toEqual(['xstate.init', 'OPEN_PUBLISHER_PORTAL', 'HANDOFF_RESOLVED', 'ACTIVATE']);
      expect(journal[3]!.principal_id).toBe('pub_key');
      // Activation issued the first invoice in the same transaction.
      const invoice = await runtime.engine.get(invoiceIdOf(id, 1));
      expect(invoice?.persisted.value).toBe('open');
    });

    test('a refused event writes nothing and names its reason, state and accepted events', async ({ database }) => {
      const runtime = await manualRuntime(database);
      const id = await buySubscription(runtime);
      const before = await database.db.selectFrom('journal').select('seq').execute();
      const refusal = await runtime.engine.send(id, { type: 'CHANGE_QUANTITY', quantity: 3 }, { principalId: 'usr' }).catch((e: unknown) => e);
      expect(refusal).toBeInstanceOf(EventRefusedError);
      expect(refusal).toMatchObject({ refusal: 'event_not_allowed', state: 'pendingActivation', allowedEvents: ['OPEN_PUBLISHER_PORTAL', 'CANCEL'] });
      expect(await database.db.selectFrom('journal').select('seq').execute()).toEqual(before);
      expect((await runtime.engine.get(id))?.version).toBe(1);
    });

    test('a stale expected version is refused with the current version', async ({ database }) => {
      const runtime = await manualRuntime(database);
      const id = await buySubscription(runtime);
      const error = await runtime.engine.send(id, { type: 'CANCEL' }, { principalId: 'usr', expectedVersion: 7 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VersionConflictError);
      expect(error).toMatchObject({ currentVersion: 1 });
      await runtime.engine.send(id, { type: 'CANCEL' }, { principalId: 'usr', expectedVersion: 1 });
      expect((await runtime.engine.get(id))?.persisted.value).toBe('deactivated');
    });

    test('50 concurrent sends to one instance: no lost update, gap-free seq, version = start + accepted', async ({ database }) => {
      const runtime = await manualRuntime(database);
      const id = await buySubscription(runtime, { quantity: 30 });
      await activate(runtime, id);
      const start = (await runtime.engine.get(id))!.version;
      const outcomes = await Promise.allSettled(
        Array.from({ length: 50 }, (_, i) => runtime.engine.send(id, { type: 'ASSIGN_LICENSES', userIds: [`user-${i}`] }, { principalId: 'pub' })),
      );
      const accepted = outcomes.filter((o) => o.status === 'fulfilled').length;
      const refused = outcomes.filter((o) => o.status === 'rejected');
      expect(accepted).toBe(30);
      for (const r of refused) expect((r as PromiseRejectedResult).reason).toMatchObject({ refusal: 'license_limit_exceeded' });
      const record = (await runtime.engine.get(id))!;
      expect(record.version).toBe(start + accepted);
      expect((record.persisted.context.assignedUserIds as string[]).length).toBe(30);
      const seqs = (await journalOf(database.db, id)).map((j) => j.seq);
      expect(seqs).toEqual(Array.from({ length: record.version }, (_, i) => i + 1));
      const row = await database.db.selectFrom('instances').select('version').where('id', '=', id).executeTakeFirstOrThrow();
      expect(row.version).toBe(record.version);
    });

    test('a failure between the snapshot write and the journal write leaves neither, and the version unchanged', async ({ database }) => {
      let inject = false;
      const runtime = await manualRuntime(database);
      const id = await buySubscription(runtime);
      const original = database.runBatch;
      // Inject a failing statement right after the instances upsert, inside the transaction.
      Object.defineProperty(database, 'runBatch', {
        value: async (statements: Parameters<typeof original>[0]) => {
          if (!inject) return original(statements);
          const at = statements.findIndex((s) => s.sql.startsWith('insert into journal'));
          expect(at).toBeGreaterThan(0);
          return original([...statements.slice(0, at), { sql: 'insert into no_such_table (x) values (?)', params: [1] }, ...statements.slice(at)]);
        },
      });
      inject = true;
      await expect(runtime.engine.send(id, { type: 'CANCEL' }, { principalId: 'usr' })).rejects.toThrow(/no_such_table|no such table|does not exist/);
      inject = false;
      const row = await database.db.selectFrom('instances').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      expect(row.version).toBe(1);
      expect(row.status).toBe('pendingActivation');
      expect((await journalOf(database.db, id)).length).toBe(1);
      expect(await database.db.selectFrom('outbox').selectAll().execute()).toEqual([]);
      // The engine forgot its speculative state and serves what the database holds.
      expect((await runtime.engine.get(id))?.version).toBe(1);
      await runtime.engine.send(id, { type: 'CANCEL' }, { principalId: 'usr' });
      expect((await runtime.engine.get(id))?.version).toBe(2);
    });

    test('side effects are written to the outbox only for accepted, committed events', async ({ database }) => {
      const runtime = await manualRuntime(database);
      const id = await buySubscription(runtime);
      await runtime.engine.send(id, { type: 'ACTIVATE' }, { principalId: 'pub' }).catch(() => undefined);
      expect(await database.db.selectFrom('outbox').selectAll().execute()).toEqual([]);
      await activate(runtime, id);
      const rows = await database.db.selectFrom('outbox').select(['kind', 'instance_id']).orderBy('kind').execute();
      expect(rows).toEqual([
        { kind: 'charge', instance_id: invoiceIdOf(id, 1) },
        { kind: 'webhook', instance_id: id },
      ]);
      const webhook = await database.db.selectFrom('outbox').select('payload').where('kind', '=', 'webhook').executeTakeFirstOrThrow();
      expect(JSON.parse(webhook.payload)).toMatchObject({ type: 'subscription.activated', subscriptionId: id, version: 4, data: { status: 'active', version: 4 } });
    });
  });
}
