import { describe, expect } from 'vitest';
import { TimerScheduler } from '../../engine/timers.js';
import { activationIdOf, invoiceIdOf } from '../../machines/index.js';
import { journalOf } from '../../storage/instances.repository.js';
import { pendingTimersOf } from '../../storage/timers.repository.js';
import { BACKENDS, databaseTest } from '../helpers/databases.js';
import { DAY, T0, activate, buySubscription, manualRuntime } from '../helpers/engine-fixture.js';
import type { Runtime } from '../../engine/runtime.js';

const iso = (ms: number) => new Date(ms).toISOString();

for (const backend of BACKENDS) {
  const test = databaseTest(backend);

  describe(`${backend}: durable timers`, () => {
    test('a term end fired late still starts the next term at the old term end', async ({ database }) => {
      const runtime = await manualRuntime(database);
      const id = await buySubscription(runtime);
      await activate(runtime, id);
      const first = (await runtime.engine.get(id))!.persisted.context;
      expect(first.termEnd).toBe('2026-02-01T00:00:00.000Z');
      // Ten days late: the renewal is stamped with the due time, not with "now".
      const { fired } = await runtime.advance(Date.parse(first.termEnd as string) + 10 * DAY);
      expect(fired).toBe(2); // the first invoice's due date (31 Jan), then the term end (1 Feb)
      const renewed = (await runtime.engine.get(id))!.persisted.context;
      expect(renewed.termStart).toBe('2026-02-01T00:00:00.000Z');
      expect(renewed.termEnd).toBe('2026-03-01T00:00:00.000Z');
      const last = (await journalOf(database.db, id)).at(-1)!;
      expect(JSON.parse(last.event)).toMatchObject({ type: 'TERM_ENDED', at: '2026-02-01T00:00:00.000Z' });
      expect(last.principal_id).toBe('system');
      expect(last.at).toBe('2026-02-01T00:00:00.000Z');
      const invoice = await runtime.engine.get(invoiceIdOf(id, 2));
      expect(invoice?.persisted.context.issuedAt).toBe('2026-02-01T00:00:00.000Z');
    });

    test('timers created while firing fire in the same advance when due by its end', async ({ database }) => {
      const runtime = await manualRuntime(database);
      const id = await buySubscription(runtime);
      await activate(runtime, id);
      // Nothing is paid: 31 Jan the invoice is overdue (pastDue starts, raising the grace end
      // of 2 Mar); 1 Feb the term renews (raising 1 Mar); 1 Mar it renews again; 2 Mar the
      // grace ends. Every one of these but the first was created while firing.
      const { fired } = await runtime.advance(Date.parse('2026-04-15T00:00:00.000Z'));
      const journal = await journalOf(database.db, id);
      const system = journal.filter((j) => j.principal_id === 'system').map((j) => `${j.at.slice(0, 10)} ${JSON.parse(j.event).type}`);
      expect(system).toEqual(['2026-01-31 INVOICE_OVERDUE', '2026-02-01 TERM_ENDED', '2026-03-01 TERM_ENDED', '2026-03-02 GRACE_PERIOD_ENDED']);
      expect((await runtime.engine.get(id))!.persisted.context.deactivationReason).toBe('nonpayment');
      // Exactly those four: the renewal invoices' due dates (3 and 31 Mar) were cancelled when
      // the deactivation voided them.
      expect(fired).toBe(4);
      const voided = await runtime.engine.getMany([invoiceIdOf(id, 2), invoiceIdOf(id, 3)]);
      expect(voided.map((r) => r.persisted.value)).toEqual(['void', 'void']);
      expect(runtime.clock.now()).toBe(Date.parse('2026-04-15T00:00:00.000Z'));
    });

    test('due timers fire in due order across instances, each exactly once', async ({ database }) => {
      const runtime = await manualRuntime(database);
      const renewing = await buySubscription(runtime);
      const expiring = await buySubscription(runtime, { quantity: 2 });
      await activate(runtime, renewing);
      await runtime.advance(T0 + 5 * DAY);
      await activate(runtime, expiring);
      await runtime.engine.send(expiring, { type: 'SET_AUTO_RENEW', autoRenew: false }, { principalId: 'u' });
      const times: number[] = [];
      runtime.engine.onCommit((results) => {
        for (const r of results) for (const j of r.changeset.journal) if (j.principalId === 'system') times.push(Date.parse(j.at));
      });
      const { fired } = await runtime.advance(Date.parse('2026-02-20T00:00:00.000Z'));
      expect(times.length).toBeGreaterThanOrEqual(4);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect((await runtime.engine.get(expiring))!.persisted.context.deactivationReason).toBe('expired');
      expect((await runtime.engine.get(renewing))!.persisted.context.termEnd).toBe('2026-03-01T00:00:00.000Z');
      expect(fired).toBeGreaterThan(0);
      const again = await runtime.advance(Date.parse('2026-02-20T00:00:00.000Z'));
      expect(again.fired).toBe(0);
    });

    test('cancelling clears pending timers; nothing fires for a deactivated subscription', async ({ database }) => {
      const runtime = await manualRuntime(database);
      const id = await buySubscription(runtime);
      await activate(runtime, id);
      expect((await pendingTimersOf(database, id)).map((t) => t.timer_id)).toEqual(['termEnd']);
      await runtime.engine.send(id, { type: 'CANCEL' }, { principalId: 'u' });
      expect(await pendingTimersOf(database, id)).toEqual([]);
      const version = (await runtime.engine.get(id))!.version;
      await runtime.advance(T0 + 400 * DAY);
      expect((await runtime.engine.get(id))!.version).toBe(version);
      // The first invoice was voided by the cancellation, so its due date is gone too.
      expect((await runtime.engine.get(invoiceIdOf(id, 1)))!.persisted.value).toBe('void');
    });

    test('unpaid past the due date: pastDue, and 30 days later deactivated for nonpayment', async ({ database }) => {
      const runtime = await manualRuntime(database);
      const id = await buySubscription(runtime);
      await activate(runtime, id);
      await runtime.engine.send(id, { type: 'SET_AUTO_RENEW', autoRenew: true }, { principalId: 'u' });
      await runtime.advance(T0 + 31 * DAY);
      expect((await runtime.engine.get(id))!.persisted.value).toEqual({ active: { billing: 'pastDue' } });
      await runtime.advance(T0 + 30 * DAY + 30 * DAY + 1);
      const record = (await runtime.engine.get(id))!;
      expect(record.persisted.value).toBe('deactivated');
      expect(record.persisted.context.deactivationReason).toBe('nonpayment');
      const last = (await journalOf(database.db, id)).at(-1)!;
      expect(JSON.parse(last.event)).toMatchObject({ type: 'GRACE_PERIOD_ENDED', at: iso(T0 + 30 * DAY + 30 * DAY) });
    });

    // Only PostgreSQL is shared by several processes; on SQLite the service is the only writer.
    (backend === 'postgres' ? test : test.skip)('two processes firing the same due timers at once fire each exactly once', async ({ sandbox }) => {
      const first = await manualRuntime(await sandbox.open());
      const subscriptions = await Promise.all(Array.from({ length: 12 }, () => buySubscription(first)));
      for (const id of subscriptions) await first.engine.send(id, { type: 'OPEN_PUBLISHER_PORTAL', tokenHash: `hash-${id}` }, { principalId: 'u' });
      const second = await manualRuntime(await sandbox.open());
      // Small pages, so that the two interleave their claims. Leases are in the service clock's
      // time, which a manual clock jumps by a day here as it fires: they must outlast that.
      const scheduler = (runtime: Runtime, owner: string) =>
        new TimerScheduler({ engine: runtime.engine, store: runtime.store, clock: runtime.clock, owner, pageSize: 3, leaseMs: 7 * DAY });
      const toMs = T0 + 2 * DAY;
      const fired = await Promise.all([scheduler(first, 'first').fireDue(toMs), scheduler(second, 'second').fireDue(toMs)]);
      // Neither claimed what the other held.
      expect(fired[0] + fired[1]).toBe(subscriptions.length);
      for (const id of subscriptions) {
        const expiries = (await journalOf(first.database.db, activationIdOf(id))).filter((j) => JSON.parse(j.event).type === 'TOKEN_EXPIRED');
        expect(expiries.map((j) => j.principal_id)).toEqual(['system']);
      }
      await Promise.all([first.stop(), second.stop()]);
    });

    test('after a restart: versions, snapshots, pending timers and the manual clock are intact, and a term end still renews', async ({ sandbox }) => {
      const first = await sandbox.open();
      const runtime = await manualRuntime(first);
      const id = await buySubscription(runtime);
      await activate(runtime, id);
      await runtime.advance(T0 + 10 * DAY);
      const before = (await runtime.engine.get(id))!;
      const timersBefore = await pendingTimersOf(first, id);
      await runtime.stop();
      await first.close();

      const second = await sandbox.open();
      const restarted = await manualRuntime(second, { clockStart: Date.parse('2030-01-01T00:00:00.000Z') });
      expect(restarted.clock.now()).toBe(T0 + 10 * DAY);
      const after = (await restarted.engine.get(id))!;
      expect(after.version).toBe(before.version);
      expect(after.persisted).toEqual(before.persisted);
      expect(await pendingTimersOf(second, id)).toEqual(timersBefore);
      await restarted.advance(Date.parse('2026-02-02T00:00:00.000Z'));
      expect((await restarted.engine.get(id))!.persisted.context.termEnd).toBe('2026-03-01T00:00:00.000Z');
    });
  });
}
