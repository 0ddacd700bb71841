import { describe, expect } from 'vitest';
import { BACKENDS } from '../helpers/databases.js';
import { activateViaPortal, buyDirect, createProfile } from '../helpers/flows.js';
import { advanceTo } from '../helpers/scenarios.js';
import { serverTest } from '../helpers/server.js';
import { createWorld } from '../helpers/world.js';

type Invoice = { id: string; status: string; issuedAt: string; paidAt: string | null; dueAt: string; total: { amount: number }; lines: { periodStart: string; periodEnd: string }[] };

for (const backend of BACKENDS) {
  const test = serverTest(backend);

  describe(`${backend}: term end (SPEC §5, §8)`, () => {
    test('with auto-renew, a new term starts at the old term end, fired late or not, and its invoice is issued and charged', async ({ server }) => {
      const world = await createWorld(server);
      const profile = await createProfile(world);
      const id = await buyDirect(world, profile, 3);
      await activateViaPortal(world, id);
      const before = (await world.admin.get(`/api/subscriptions/${id}`).expect(200)).body;
      expect(before).toMatchObject({ termStart: '2026-01-01T00:00:00.000Z', termEnd: '2026-02-01T00:00:00.000Z', autoRenew: true });

      // The clock jumps well past the term end: the renewal still happens at the term end.
      const advanced = await server.operator.post('/api/clock/advance', { to: '2026-02-10T00:00:00.000Z' }).expect(200);
      expect(advanced.body).toMatchObject({ now: '2026-02-10T00:00:00.000Z' });
      expect(advanced.body.fired).toBeGreaterThanOrEqual(1);
      const renewed = (await world.admin.get(`/api/subscriptions/${id}`).expect(200)).body;
      expect(renewed).toMatchObject({
        status: 'active',
        billingStatus: 'current',
        termStart: '2026-02-01T00:00:00.000Z',
        termEnd: '2026-03-01T00:00:00.000Z',
        activatedAt: '2026-01-01T00:00:00.000Z',
        version: before.version + 1,
      });
      const invoices: Invoice[] = (await world.admin.get(`/api/subscriptions/${id}/invoices`).expect(200)).body.items;
      expect(invoices).toHaveLength(2);
      expect(invoices[1]).toMatchObject({
        status: 'paid',
        // Charged at issue, not when the clock came to rest.
        paidAt: '2026-02-01T00:00:00.000Z',
        billingProfileId: profile,
        issuedAt: '2026-02-01T00:00:00.000Z',
        dueAt: '2026-03-03T00:00:00.000Z',
        total: { amount: 3000, currency: 'USD' },
        lines: [{ quantity: 3, amount: { amount: 3000, currency: 'USD' }, periodStart: '2026-02-01T00:00:00.000Z', periodEnd: '2026-03-01T00:00:00.000Z' }],
      });
      const history = (await world.admin.get(`/api/subscriptions/${id}/history`).expect(200)).body.items;
      expect(history.at(-1)).toMatchObject({ principalId: 'system', at: '2026-02-01T00:00:00.000Z', event: { type: 'TERM_ENDED' } });
    });

    test('one long advance renews every term that falls due on the way, each at its own boundary', async ({ server }) => {
      const world = await createWorld(server);
      const id = await buyDirect(world, await createProfile(world), 2);
      await activateViaPortal(world, id);
      await advanceTo(server, '2026-04-15T00:00:00.000Z');
      const sub = (await world.admin.get(`/api/subscriptions/${id}`).expect(200)).body;
      expect(sub).toMatchObject({ status: 'active', termStart: '2026-04-01T00:00:00.000Z', termEnd: '2026-05-01T00:00:00.000Z' });
      const invoices: Invoice[] = (await world.admin.get(`/api/subscriptions/${id}/invoices`).expect(200)).body.items;
      // Each renewal invoice is charged at its issue, so none ever falls overdue on a good card.
      expect(invoices.map((i) => [i.issuedAt, i.status, i.paidAt, i.total.amount])).toEqual([
        ['2026-01-01T00:00:00.000Z', 'paid', '2026-01-01T00:00:00.000Z', 2000],
        ['2026-02-01T00:00:00.000Z', 'paid', '2026-02-01T00:00:00.000Z', 2000],
        ['2026-03-01T00:00:00.000Z', 'paid', '2026-03-01T00:00:00.000Z', 2000],
        ['2026-04-01T00:00:00.000Z', 'paid', '2026-04-01T00:00:00.000Z', 2000],
      ]);
      expect(sub.billingStatus).toBe('current');
    });

    test('without auto-renew, the term end deactivates it with reason expired: licenses released, no new invoice, no more events', async ({ server }) => {
      const world = await createWorld(server);
      const id = await buyDirect(world, await createProfile(world), 3);
      await activateViaPortal(world, id);
      await world.publisher.post(`/api/subscriptions/${id}/events`, { type: 'ASSIGN_LICENSES', userIds: ['u1', 'u2'] }).expect(200);
      const off = await world.admin.post(`/api/subscriptions/${id}/events`, { type: 'SET_AUTO_RENEW', autoRenew: false }).expect(200);
      expect(off.body.autoRenew).toBe(false);
      // A moment before the term end nothing has happened yet.
      await advanceTo(server, '2026-01-31T23:59:59.999Z');
      expect((await world.admin.get(`/api/subscriptions/${id}`).expect(200)).body.status).toBe('active');

      await advanceTo(server, '2026-03-15T00:00:00.000Z');
      const gone = (await world.admin.get(`/api/subscriptions/${id}`).expect(200)).body;
      expect(gone).toMatchObject({
        status: 'deactivated',
        deactivationReason: 'expired',
        deactivatedAt: '2026-02-01T00:00:00.000Z',
        billingStatus: null,
        assignedLicenses: 0,
        allowedEvents: [],
        value: 'deactivated',
      });
      expect((await world.publisher.get(`/api/subscriptions/${id}/licenses`).expect(200)).body.assigned).toEqual([]);
      expect((await world.admin.get(`/api/subscriptions/${id}/invoices`).expect(200)).body.items).toHaveLength(1);
      expect((await world.admin.get('/api/subscriptions?status=deactivated').expect(200)).body.items.map((s: { id: string }) => s.id)).toEqual([id]);
    });

    test('auto-renew turned off and on again before the term end renews', async ({ server }) => {
      const world = await createWorld(server);
      const id = await buyDirect(world, await createProfile(world), 1);
      await activateViaPortal(world, id);
      await world.admin.post(`/api/subscriptions/${id}/events`, { type: 'SET_AUTO_RENEW', autoRenew: false }).expect(200);
      await advanceTo(server, '2026-01-20T00:00:00.000Z');
      await world.billingAdmin.post(`/api/subscriptions/${id}/events`, { type: 'SET_AUTO_RENEW', autoRenew: true }).expect(200);
      await advanceTo(server, '2026-02-01T00:00:00.000Z');
      expect((await world.admin.get(`/api/subscriptions/${id}`).expect(200)).body).toMatchObject({ status: 'active', termStart: '2026-02-01T00:00:00.000Z' });
    });

    test('a flat annual plan renews a year later at its flat price', async ({ server }) => {
      const world = await createWorld(server);
      const id = await buyDirect(world, await createProfile(world), 0, 'flat');
      await activateViaPortal(world, id);
      expect((await world.admin.get(`/api/subscriptions/${id}`).expect(200)).body).toMatchObject({ termEnd: '2027-01-01T00:00:00.000Z', quantity: null });
      await advanceTo(server, '2026-12-31T23:59:59.999Z');
      expect((await world.admin.get(`/api/subscriptions/${id}/invoices`).expect(200)).body.items).toHaveLength(1);
      await advanceTo(server, '2027-01-01T00:00:00.000Z');
      const invoices: Invoice[] = (await world.admin.get(`/api/subscriptions/${id}/invoices`).expect(200)).body.items;
      expect(invoices.map((i) => [i.issuedAt, i.total.amount, i.status])).toEqual([
        ['2026-01-01T00:00:00.000Z', 120_000, 'paid'],
        ['2027-01-01T00:00:00.000Z', 120_000, 'paid'],
      ]);
    });

    test('a canceled subscription is not renewed by its old term timer', async ({ server }) => {
      const world = await createWorld(server);
      const id = await buyDirect(world, await createProfile(world), 1);
      await activateViaPortal(world, id);
      const canceled = (await world.admin.post(`/api/subscriptions/${id}/events`, { type: 'CANCEL' }).expect(200)).body;
      await advanceTo(server, '2026-03-01T00:00:00.000Z');
      expect((await world.admin.get(`/api/subscriptions/${id}`).expect(200)).body).toMatchObject({ deactivationReason: 'canceled', version: canceled.version });
      expect((await world.admin.get(`/api/subscriptions/${id}/invoices`).expect(200)).body.items).toHaveLength(1);
    });
  });
}
