import { describe, expect } from 'vitest';
import { BACKENDS } from '../helpers/databases.js';
import { activateViaPortal, buyDirect, createProfile } from '../helpers/flows.js';
import { advanceTo, directBody, grantRoles } from '../helpers/scenarios.js';
import { serverTest } from '../helpers/server.js';
import type { AuthedClient } from '../helpers/server.js';
import type { World } from '../helpers/world.js';
import { createWorld } from '../helpers/world.js';

/** Every client event of API.md, each sent by a principal allowed to send it. */
function everyEvent(world: World, billingProfileId: string): [AuthedClient, Record<string, unknown>][] {
  return [
    [world.admin, { type: 'OPEN_PUBLISHER_PORTAL' }],
    [world.publisher, { type: 'ACTIVATE' }],
    [world.publisher, { type: 'ASSIGN_LICENSES', userIds: ['u1'] }],
    [world.publisher, { type: 'UNASSIGN_LICENSES', userIds: ['u1'] }],
    [world.admin, { type: 'CHANGE_QUANTITY', quantity: 4 }],
    [world.admin, { type: 'CHANGE_BILLING_PROFILE', billingProfileId }],
    [world.admin, { type: 'SET_AUTO_RENEW', autoRenew: false }],
    [world.admin, { type: 'CANCEL', reason: 'again' }],
  ];
}

for (const backend of BACKENDS) {
  const test = serverTest(backend);

  describe(`${backend}: flat (site-based) subscriptions`, () => {
    test('licenses are unlimited: quantity null, CHANGE_QUANTITY is not_seat_based, any number of users may be assigned', async ({ server }) => {
      const world = await createWorld(server);
      const profile = await createProfile(world);
      const id = await buyDirect(world, profile, 0, 'flat');
      await activateViaPortal(world, id);
      const active = (await world.admin.get(`/api/subscriptions/${id}`).expect(200)).body;
      expect(active).toMatchObject({ pricingModel: 'flat', quantity: null, assignedLicenses: 0 });
      expect(active.allowedEvents).not.toContain('CHANGE_QUANTITY');

      const refused = await world.admin.post(`/api/subscriptions/${id}/events`, { type: 'CHANGE_QUANTITY', quantity: 10 }).expect(422);
      expect(refused.body.code).toBe('not_seat_based');
      expect((await world.admin.get(`/api/subscriptions/${id}`).expect(200)).body.version).toBe(active.version);

      const many = Array.from({ length: 1000 }, (_, i) => `user-${i}`);
      await world.publisher.post(`/api/subscriptions/${id}/events`, { type: 'ASSIGN_LICENSES', userIds: many }).expect(200);
      const more = await world.publisher.post(`/api/subscriptions/${id}/events`, { type: 'ASSIGN_LICENSES', userIds: ['user-0', 'late-1', 'late-2'] }).expect(200);
      expect(more.body).toMatchObject({ quantity: null, assignedLicenses: 1002 });
      const licenses = (await world.publisher.get(`/api/subscriptions/${id}/licenses`).expect(200)).body;
      expect(licenses.quantity).toBeNull();
      expect(licenses.assigned).toHaveLength(1002);
      expect(new Set(licenses.assigned).size).toBe(1002);
      // Only the first term's flat price was invoiced, whatever the number of users.
      const [invoice] = (await world.admin.get(`/api/subscriptions/${id}/invoices`).expect(200)).body.items;
      expect(invoice.total).toEqual({ amount: 120_000, currency: 'USD' });
    });

    test('user ids are strings of 1–200 characters, 1 to 1,000 a request: others are validation_failed and assign nothing', async ({ server }) => {
      const world = await createWorld(server);
      const profile = await createProfile(world);
      const id = await buyDirect(world, profile, 0, 'flat');
      await activateViaPortal(world, id);
      const before = (await world.admin.get(`/api/subscriptions/${id}`).expect(200)).body;
      for (const type of ['ASSIGN_LICENSES', 'UNASSIGN_LICENSES']) {
        for (const userIds of [[''], ['x'.repeat(201)], ['ok', 7], [], Array.from({ length: 1001 }, (_, i) => `u${i}`)]) {
          const refused = await world.publisher.post(`/api/subscriptions/${id}/events`, { type, userIds }).expect(422);
          expect(refused.body.code, `${type} ${JSON.stringify(userIds).slice(0, 40)}`).toBe('validation_failed');
        }
      }
      expect((await world.admin.get(`/api/subscriptions/${id}`).expect(200)).body.version).toBe(before.version);
      const longest = 'x'.repeat(200);
      const assigned = await world.publisher.post(`/api/subscriptions/${id}/events`, { type: 'ASSIGN_LICENSES', userIds: [longest, 'y'] }).expect(200);
      expect(assigned.body.assignedLicenses).toBe(2);
      expect((await world.publisher.get(`/api/subscriptions/${id}/licenses`).expect(200)).body.assigned).toEqual([longest, 'y']);
    });
  });

  describe(`${backend}: moving a subscription to another billing profile`, () => {
    test('CHANGE_BILLING_PROFILE moves later invoices to the new profile; earlier ones stay where they were', async ({ server }) => {
      const world = await createWorld(server);
      const first = await createProfile(world);
      const second = await createProfile(world);
      const id = await buyDirect(world, first, 2);
      await activateViaPortal(world, id);
      const moved = await world.admin.post(`/api/subscriptions/${id}/events`, { type: 'CHANGE_BILLING_PROFILE', billingProfileId: second }).expect(200);
      expect(moved.body.billingProfileId).toBe(second);

      await advanceTo(server, '2026-01-16T12:00:00.000Z');
      await world.admin.post(`/api/subscriptions/${id}/events`, { type: 'CHANGE_QUANTITY', quantity: 4 }).expect(200);
      await advanceTo(server, '2026-02-01T00:00:00.000Z');

      const invoices = (await world.admin.get(`/api/subscriptions/${id}/invoices`).expect(200)).body.items;
      expect(invoices.map((i: { billingProfileId: string; issuedAt: string }) => [i.issuedAt, i.billingProfileId])).toEqual([
        ['2026-01-01T00:00:00.000Z', first],
        ['2026-01-16T12:00:00.000Z', second],
        ['2026-02-01T00:00:00.000Z', second],
      ]);
      const onFirst = (await world.admin.get(`/api/billing-profiles/${first}/invoices`).expect(200)).body.items;
      const onSecond = (await world.admin.get(`/api/billing-profiles/${second}/invoices`).expect(200)).body.items;
      expect(onFirst.map((i: { id: string }) => i.id)).toEqual([invoices[0].id]);
      expect(onSecond.map((i: { id: string }) => i.id).sort()).toEqual([invoices[1].id, invoices[2].id].sort());
    });

    test("the target must be the tenant's and the caller its owner or contributor", async ({ server }) => {
      const world = await createWorld(server);
      const elsewhere = await createWorld(server);
      const first = await createProfile(world);
      const readOnly = await createProfile(world, undefined, world.billingAdmin);
      await grantRoles(world.billingAdmin, readOnly, world.admin.id, ['reader']);
      const foreign = await createProfile(elsewhere);
      const id = await buyDirect(world, first, 2);
      await activateViaPortal(world, id);
      const version = (await world.admin.get(`/api/subscriptions/${id}`).expect(200)).body.version;

      const other = await world.admin.post(`/api/subscriptions/${id}/events`, { type: 'CHANGE_BILLING_PROFILE', billingProfileId: foreign }).expect(422);
      expect(other.body.code).toBe('invalid_billing_profile');
      const unknown = await world.admin.post(`/api/subscriptions/${id}/events`, { type: 'CHANGE_BILLING_PROFILE', billingProfileId: 'bpr_nope' }).expect(422);
      expect(unknown.body.code).toBe('invalid_billing_profile');
      const reader = await world.admin.post(`/api/subscriptions/${id}/events`, { type: 'CHANGE_BILLING_PROFILE', billingProfileId: readOnly }).expect(403);
      expect(reader.body.code).toBe('forbidden');
      // The publisher may never move it; a tenant user without admin role neither.
      await world.publisher.post(`/api/subscriptions/${id}/events`, { type: 'CHANGE_BILLING_PROFILE', billingProfileId: first }).expect(403);
      await world.user.post(`/api/subscriptions/${id}/events`, { type: 'CHANGE_BILLING_PROFILE', billingProfileId: first }).expect(403);
      expect((await world.admin.get(`/api/subscriptions/${id}`).expect(200)).body).toMatchObject({ billingProfileId: first, version });

      await grantRoles(world.billingAdmin, readOnly, world.admin.id, ['contributor']);
      await world.admin.post(`/api/subscriptions/${id}/events`, { type: 'CHANGE_BILLING_PROFILE', billingProfileId: readOnly }).expect(200);
    });
  });

  describe(`${backend}: deactivated is final`, () => {
    test('after cancel, every event is 409 event_not_allowed with allowedEvents [] and writes nothing', async ({ server }) => {
      const world = await createWorld(server);
      const profile = await createProfile(world);
      const id = await buyDirect(world, profile, 3);
      await activateViaPortal(world, id);
      const canceled = await world.admin.post(`/api/subscriptions/${id}/events`, { type: 'CANCEL' }).expect(200);
      expect(canceled.body).toMatchObject({ status: 'deactivated', deactivationReason: 'canceled', allowedEvents: [] });
      const historyLength = (await world.admin.get(`/api/subscriptions/${id}/history`).expect(200)).body.items.length;
      const tokens = () => server.database.db.selectFrom('handoff_tokens').selectAll().execute();
      const tokensBefore = await tokens();

      for (const [sender, event] of everyEvent(world, profile)) {
        const res = await sender.post(`/api/subscriptions/${id}/events`, event).expect(409);
        expect(res.body, String(event.type)).toMatchObject({ code: 'event_not_allowed', state: 'deactivated', allowedEvents: [] });
        expect(res.body.detail).toEqual(expect.any(String));
      }
      const after = await world.admin.get(`/api/subscriptions/${id}`).expect(200);
      expect(after.body).toMatchObject({ version: canceled.body.version, allowedEvents: [] });
      expect(after.headers.etag).toBe(canceled.headers.etag);
      expect((await world.admin.get(`/api/subscriptions/${id}/history`).expect(200)).body.items).toHaveLength(historyLength);
      expect((await world.publisher.get(`/api/subscriptions/${id}`).expect(200)).body.allowedEvents).toEqual([]);
      // Not even the handoff token of a refused OPEN_PUBLISHER_PORTAL.
      expect(await tokens()).toEqual(tokensBefore);
    });

    test('a subscription canceled before activation is deactivated with no invoice and refuses everything', async ({ server }) => {
      const world = await createWorld(server);
      const profile = await createProfile(world);
      const id = await buyDirect(world, profile, 3);
      const canceled = await world.billingAdmin.post(`/api/subscriptions/${id}/events`, { type: 'CANCEL' }).expect(200);
      expect(canceled.body).toMatchObject({ status: 'deactivated', deactivationReason: 'canceled', billingStatus: null, activatedAt: null, deactivatedAt: '2026-01-01T00:00:00.000Z' });
      for (const [sender, event] of everyEvent(world, profile)) {
        const res = await sender.post(`/api/subscriptions/${id}/events`, event).expect(409);
        expect(res.body.allowedEvents, String(event.type)).toEqual([]);
      }
      expect((await world.admin.get(`/api/subscriptions/${id}/invoices`).expect(200)).body.items).toEqual([]);
    });

    test('a new purchase may name the deactivated subscription in replaces; an unknown or foreign one is validation_failed', async ({ server }) => {
      const world = await createWorld(server);
      const elsewhere = await createWorld(server);
      const profile = await createProfile(world);
      const old = await buyDirect(world, profile, 3);
      await world.admin.post(`/api/subscriptions/${old}/events`, { type: 'CANCEL' }).expect(200);

      const copy = await world.admin.post('/api/purchases', directBody(world, profile, { replaces: old })).expect(201);
      expect(copy.body).toMatchObject({ state: 'placed', replaces: old });
      const fresh = (await world.admin.get(`/api/subscriptions/${copy.body.subscriptionIds[0]}`).expect(200)).body;
      expect(fresh).toMatchObject({ status: 'pendingActivation', replaces: old });
      expect(fresh.id).not.toBe(old);
      expect((await world.admin.get(`/api/subscriptions/${old}`).expect(200)).body.status).toBe('deactivated');

      const foreignId = await buyDirect(elsewhere, await createProfile(elsewhere), 1);
      for (const replaces of ['sub_nope', foreignId, copy.body.id]) {
        const res = await world.admin.post('/api/purchases', directBody(world, profile, { replaces })).expect(422);
        expect(res.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'replaces' }] });
      }
    });
  });
}
