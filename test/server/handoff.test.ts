import { describe, expect } from 'vitest';
import { BACKENDS } from '../helpers/databases.js';
import { buyDirect, createProfile } from '../helpers/flows.js';
import { advanceTo } from '../helpers/scenarios.js';
import { serverTest } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import type { World } from '../helpers/world.js';
import { createWorld } from '../helpers/world.js';

/** A world with one seat subscription in pendingActivation. */
async function pending(server: TestServer): Promise<{ world: World; id: string }> {
  const world = await createWorld(server);
  const id = await buyDirect(world, await createProfile(world), 3);
  return { world, id };
}

async function openPortal(world: World, id: string): Promise<{ token: string; url: string; expiresAt: string }> {
  const res = await world.admin.post(`/api/subscriptions/${id}/events`, { type: 'OPEN_PUBLISHER_PORTAL' }).expect(200);
  expect(res.body.status).toBe('pendingActivation');
  return res.body.handoff;
}

for (const backend of BACKENDS) {
  const test = serverTest(backend);

  describe(`${backend}: the publisher handoff (SPEC §5, activation machine)`, () => {
    test('a token is good until its 24 h are over, then resolve answers 410 token_expired', async ({ server }) => {
      const { world, id } = await pending(server);
      const first = await openPortal(world, id);
      expect(first.expiresAt).toBe('2026-01-02T00:00:00.000Z');
      await advanceTo(server, '2026-01-02T00:00:00.000Z');
      const expired = await world.publisher.post('/api/publisher/resolve', { token: first.token }).expect(410);
      expect(expired.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(expired.body).toMatchObject({ status: 410, code: 'token_expired' });
      expect((await world.publisher.get(`/api/subscriptions/${id}`).expect(200)).body.allowedEvents).toEqual([]);
      await world.publisher.post(`/api/subscriptions/${id}/events`, { type: 'ACTIVATE' }).expect(409);

      // An expired token sends the handoff back to idle: opening the portal again works.
      const second = await openPortal(world, id);
      expect(second.expiresAt).toBe('2026-01-03T00:00:00.000Z');
      expect(second.token).not.toBe(first.token);
      await world.publisher.post('/api/publisher/resolve', { token: second.token }).expect(200);
      expect((await world.publisher.post('/api/publisher/resolve', { token: first.token }).expect(410)).body.code).toBe('token_expired');
    });

    test('a moment before its 24 h are over, the token still resolves', async ({ server }) => {
      const { world, id } = await pending(server);
      const { token } = await openPortal(world, id);
      await advanceTo(server, '2026-01-01T23:59:59.999Z');
      const resolved = await world.publisher.post('/api/publisher/resolve', { token }).expect(200);
      expect(resolved.body).toMatchObject({ subscriptionId: id, tenantId: world.tenant.id, quantity: 3 });
      // Resolved tokens do not expire into token_expired: they are used.
      await advanceTo(server, '2026-01-03T00:00:00.000Z');
      expect((await world.publisher.post('/api/publisher/resolve', { token }).expect(410)).body.code).toBe('token_used');
      await world.publisher.post(`/api/subscriptions/${id}/events`, { type: 'ACTIVATE' }).expect(200);
    });

    test('opening the portal again issues a fresh token; the replaced one answers token_expired', async ({ server }) => {
      const { world, id } = await pending(server);
      const first = await openPortal(world, id);
      await advanceTo(server, '2026-01-01T06:00:00.000Z');
      const second = await openPortal(world, id);
      expect(second.token).not.toBe(first.token);
      expect(second.url).toBe(`https://fabrikam.example/landing?token=${encodeURIComponent(second.token)}`);
      expect(second.expiresAt).toBe('2026-01-02T06:00:00.000Z');
      const replaced = await world.publisher.post('/api/publisher/resolve', { token: first.token }).expect(410);
      expect(replaced.body.code).toBe('token_expired');
      // The fresh token lives its own 24 h, not the replaced one's.
      await advanceTo(server, '2026-01-02T03:00:00.000Z');
      await world.publisher.post('/api/publisher/resolve', { token: second.token }).expect(200);
      expect((await world.publisher.post('/api/publisher/resolve', { token: first.token }).expect(410)).body.code).toBe('token_expired');
    });

    test('after resolve the same token is token_used, also once the subscription is active', async ({ server }) => {
      const { world, id } = await pending(server);
      const { token } = await openPortal(world, id);
      await world.publisher.post('/api/publisher/resolve', { token }).expect(200);
      expect((await world.publisher.post('/api/publisher/resolve', { token }).expect(410)).body.code).toBe('token_used');
      await world.publisher.post(`/api/subscriptions/${id}/events`, { type: 'ACTIVATE' }).expect(200);
      expect((await world.publisher.post('/api/publisher/resolve', { token }).expect(410)).body.code).toBe('token_used');
    });

    test('another publisher resolving the token gets 404 and does not use it up; an unknown token is 404', async ({ server }) => {
      const { world, id } = await pending(server);
      const elsewhere = await createWorld(server);
      const { token } = await openPortal(world, id);
      const foreign = await elsewhere.publisher.post('/api/publisher/resolve', { token }).expect(404);
      expect(foreign.body.code).toBe('not_found');
      expect((await world.publisher.post('/api/publisher/resolve', { token: 'hdf_not_a_token' }).expect(404)).body.code).toBe('not_found');
      // Only publishers resolve tokens.
      await world.admin.post('/api/publisher/resolve', { token }).expect(403);
      await world.partner.post('/api/publisher/resolve', { token }).expect(403);
      await world.publisher.post('/api/publisher/resolve', { token }).expect(200);
    });

    test("ACTIVATE before the token is resolved is 409, naming the subscription's state; the publisher's view offers no ACTIVATE yet", async ({ server }) => {
      const { world, id } = await pending(server);
      await openPortal(world, id);
      const view = await world.publisher.get(`/api/subscriptions/${id}`).expect(200);
      expect(view.body.allowedEvents).toEqual([]);
      const early = await world.publisher.post(`/api/subscriptions/${id}/events`, { type: 'ACTIVATE' }).expect(409);
      expect(early.body).toMatchObject({ code: 'event_not_allowed', state: 'pendingActivation' });
      // The refusal names what the state accepts from this caller, as its view does: nothing
      // yet (ACTIVATE waits for the token; CANCEL is the tenant admin's, not the publisher's).
      expect(early.body.allowedEvents).toEqual(view.body.allowedEvents);
      // The tenant admin's refusal in the same state names the admin's events.
      const adminView = (await world.admin.get(`/api/subscriptions/${id}`).expect(200)).body;
      expect(adminView.allowedEvents).toEqual(expect.arrayContaining(['CANCEL']));
      const adminEarly = await world.admin.post(`/api/subscriptions/${id}/events`, { type: 'SET_AUTO_RENEW', autoRenew: false }).expect(409);
      expect(adminEarly.body).toMatchObject({ code: 'event_not_allowed', state: 'pendingActivation', allowedEvents: adminView.allowedEvents });
      const after = await world.publisher.get(`/api/subscriptions/${id}`).expect(200);
      expect(after.body).toMatchObject({ status: 'pendingActivation', version: view.body.version });
      expect(after.headers.etag).toBe(view.headers.etag);
      // The admin may never ACTIVATE, resolved or not.
      await world.admin.post(`/api/subscriptions/${id}/events`, { type: 'ACTIVATE' }).expect(403);
    });

    test('a token of a canceled subscription can no longer be resolved', async ({ server }) => {
      const { world, id } = await pending(server);
      const { token } = await openPortal(world, id);
      await world.admin.post(`/api/subscriptions/${id}/events`, { type: 'CANCEL' }).expect(200);
      const res = await world.publisher.post('/api/publisher/resolve', { token }).expect(410);
      expect(res.body.code).toBe('token_expired');
      expect((await world.publisher.get(`/api/subscriptions/${id}`).expect(200)).body).toMatchObject({ status: 'deactivated', allowedEvents: [] });
    });
  });
}
