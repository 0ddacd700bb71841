import { describe, expect } from 'vitest';
import { createProfile, grant, otherTenant } from '../helpers/billing-profiles.js';
import { BACKENDS } from '../helpers/databases.js';
import { DAY, T0, buySubscription } from '../helpers/engine-fixture.js';
import { activateViaPortal, buyDirect } from '../helpers/flows.js';
import { serverTest } from '../helpers/server.js';
import type { AuthedClient, TestServer } from '../helpers/server.js';
import { createWorld } from '../helpers/world.js';

// Who sees a billing profile (404 when not), who may only look (403 on changes), and the lists.

/** Every route of one profile that a visible-but-not-allowed caller may only read. */
function readRoutes(id: string): string[] {
  return [`/api/billing-profiles/${id}`, `/api/billing-profiles/${id}/roles`, `/api/billing-profiles/${id}/invoices`];
}

async function expectNotFoundEverywhere(client: AuthedClient, id: string, someUserId: string): Promise<void> {
  for (const path of readRoutes(id)) expect((await client.get(path).expect(404)).body.code).toBe('not_found');
  await client.patch(`/api/billing-profiles/${id}`, { name: 'X' }).expect(404);
  await client.put(`/api/billing-profiles/${id}/roles/${someUserId}`, { roles: ['owner'] }).expect(404);
  expect((await client.get('/api/billing-profiles').expect(200)).body.items.map((p: { id: string }) => p.id)).not.toContain(id);
}

/**
 * An invoice of a profile with an id of the test's choosing, issued through the engine at
 * the clock's time as a subscription would; the ids let a test tell issue order from id order.
 */
async function issueInvoice(server: TestServer, id: string, subscriptionId: string, tenantId: string, billingProfileId: string): Promise<void> {
  const at = new Date(server.service.ctx.runtime.clock.now()).toISOString();
  const amount = { amount: 1000, currency: 'USD' };
  const lines = [{ description: 'Sketchbook Team', quantity: 1, amount, periodStart: at, periodEnd: at }];
  await server.service.ctx.runtime.engine.create('invoice', id, { id, subscriptionId, tenantId, billingProfileId, lines, issuedAt: at, at }, 'system');
}

for (const backend of BACKENDS) {
  const test = serverTest(backend);

  describe(`${backend}: billing profiles — visibility`, () => {
    test('a reader and an invoice-manager see the profile, its roles and its invoices, but may not edit (403)', async ({ server }) => {
      const w = await createWorld(server);
      const profile = await createProfile(w.admin);
      for (const role of ['reader', 'invoice-manager']) {
        await grant(w.admin, profile.id, w.user.id, [role]);
        for (const path of readRoutes(profile.id)) await w.user.get(path).expect(200);
        expect((await w.user.patch(`/api/billing-profiles/${profile.id}`, { name: 'X' }).expect(403)).body.code).toBe('forbidden');
        await w.user.put(`/api/billing-profiles/${profile.id}/roles/${w.user.id}`, { roles: ['owner'] }).expect(403);
      }
      expect((await w.admin.get(`/api/billing-profiles/${profile.id}`).expect(200)).body.name).toBe('Main');
    });

    test('a user with no role on it who is not a tenant admin gets 404 and does not see it listed', async ({ server }) => {
      const w = await createWorld(server);
      const profile = await createProfile(w.admin);
      await expectNotFoundEverywhere(w.user, profile.id, w.user.id);
    });

    test("another tenant's admin gets 404 on every route of the profile and does not see it listed", async ({ server }) => {
      const w = await createWorld(server);
      const profile = await createProfile(w.admin);
      const other = await otherTenant(server);
      await expectNotFoundEverywhere(other.admin, profile.id, other.admin.id);
    });

    test('a tenant admin without a role sees every profile of its tenant; a member lists only its own', async ({ server }) => {
      const w = await createWorld(server);
      const profiles = [await createProfile(w.admin), await createProfile(w.admin), await createProfile(w.admin)];
      await grant(w.admin, profiles[1]!.id, w.user.id, ['reader']);
      const ids = (client: AuthedClient) => client.get('/api/billing-profiles').expect(200).then((r) => r.body.items.map((p: { id: string }) => p.id));
      expect(await ids(w.billingAdmin)).toEqual(profiles.map((p) => p.id));
      expect(await ids(w.user)).toEqual([profiles[1]!.id]);
      await w.billingAdmin.get(`/api/billing-profiles/${profiles[0]!.id}/roles`).expect(200);
    });
  });

  describe(`${backend}: billing profiles — lists`, () => {
    test('the list pages with limit and nextCursor, each profile once, then null', async ({ server }) => {
      const w = await createWorld(server);
      const created: string[] = [];
      for (let i = 0; i < 5; i++) created.push((await createProfile(w.admin, { name: `P${i}` })).id);
      const seen: number[] = [];
      const ids: string[] = [];
      let cursor: string | null = '';
      while (cursor !== null) {
        const res = await w.admin.get(`/api/billing-profiles?limit=2${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
        const body = res.body as { items: { id: string }[]; nextCursor: string | null };
        seen.push(body.items.length);
        ids.push(...body.items.map((p) => p.id));
        cursor = body.nextCursor;
      }
      expect(seen).toEqual([2, 2, 1]);
      expect(ids).toEqual(created);
      expect((await w.admin.get('/api/billing-profiles?cursor=nonsense').expect(422)).body.code).toBe('validation_failed');
    });

    test('?limit=0 and ?limit=201 are 422 validation_failed; 1 and 200 are fine', async ({ server }) => {
      const w = await createWorld(server);
      const profile = await createProfile(w.admin);
      for (const path of ['/api/billing-profiles', `/api/billing-profiles/${profile.id}/invoices`]) {
        for (const limit of [0, 201]) {
          const res = await w.admin.get(`${path}?limit=${limit}`).expect(422);
          expect(res.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'limit' }] });
        }
        for (const limit of [1, 200]) await w.admin.get(`${path}?limit=${limit}`).expect(200);
      }
    });

    test("a profile's invoices are listed by issue time then id, paged, and only that profile's", async ({ server }) => {
      const w = await createWorld(server);
      const profile = await createProfile(w.admin, { paymentMethod: { type: 'check-wire' } });
      const otherProfile = await createProfile(w.admin, { paymentMethod: { type: 'check-wire' } });
      // An invoice's instance needs its subscription's; the engine makes one without the purchase routes.
      const sub = await buySubscription(server.service.ctx.runtime, { tenantId: w.tenant.id });
      // inv_c is issued first, so it comes first although its id sorts last: the cursor is (created_at, id).
      await issueInvoice(server, 'inv_c', sub, w.tenant.id, profile.id);
      await issueInvoice(server, 'inv_x', sub, w.tenant.id, otherProfile.id);
      await server.service.ctx.runtime.advance(T0 + DAY);
      await issueInvoice(server, 'inv_b', sub, w.tenant.id, profile.id);
      await issueInvoice(server, 'inv_a', sub, w.tenant.id, profile.id);
      await grant(w.admin, profile.id, w.user.id, ['invoice-manager']);
      const first = await w.user.get(`/api/billing-profiles/${profile.id}/invoices?limit=2`).expect(200);
      expect(first.body.items.map((i: { id: string }) => i.id)).toEqual(['inv_c', 'inv_a']);
      expect(first.body.items[0]).toMatchObject({
        id: 'inv_c',
        billingProfileId: profile.id,
        tenantId: w.tenant.id,
        subscriptionId: sub,
        total: { amount: 1000, currency: 'USD' },
        status: 'open',
        issuedAt: new Date(T0).toISOString(),
        dueAt: new Date(T0 + 30 * DAY).toISOString(),
        paidAt: null,
        version: 1,
      });
      const second = await w.user.get(`/api/billing-profiles/${profile.id}/invoices?limit=2&cursor=${first.body.nextCursor}`).expect(200);
      expect(second.body).toMatchObject({ items: [{ id: 'inv_b' }], nextCursor: null });
    });

    test('the invoice issued at activation is listed on the profile the subscription is on', async ({ server }) => {
      const w = await createWorld(server);
      const profile = await createProfile(w.admin, { paymentMethod: { type: 'check-wire' } });
      const subscriptionId = await buyDirect(w, profile.id);
      await activateViaPortal(w, subscriptionId);
      const res = await w.admin.get(`/api/billing-profiles/${profile.id}/invoices`).expect(200);
      expect(res.body).toMatchObject({ items: [{ subscriptionId, billingProfileId: profile.id, status: 'open', total: { amount: 5000, currency: 'USD' } }], nextCursor: null });
    });
  });
}
