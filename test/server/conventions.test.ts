import { describe, expect, test as plainTest } from 'vitest';
import { BACKENDS } from '../helpers/databases.js';
import { activateViaPortal, buyDirect, createProfile } from '../helpers/flows.js';
import { directBody, instanceCount, proposalBody } from '../helpers/scenarios.js';
import { OPERATOR_TOKEN, serverTest, startServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import type { World } from '../helpers/world.js';
import { createWorld } from '../helpers/world.js';

const PROBLEM = /^application\/problem\+json/;

/** A problem document of API.md with this status and code. */
function expectProblem(res: { status: number; headers: Record<string, string>; body: Record<string, unknown> }, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(PROBLEM);
  expect(res.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status, code, detail: expect.any(String) });
  expect(JSON.stringify(res.body)).not.toMatch(/\n\s+at /);
}

/** `count` subscriptions of the world's tenant, placed through one proposal. */
async function manySubscriptions(world: World, count: number): Promise<string[]> {
  const profile = await createProfile(world);
  const lines = Array.from({ length: count }, () => ({ appId: world.app.id, planId: world.app.flatPlanId }));
  const proposal = await world.sales.post('/api/purchases', proposalBody(world, lines)).expect(201);
  const placed = await world.admin.post(`/api/purchases/${proposal.body.id}/events`, { type: 'ACCEPT', billingProfileId: profile, acceptAgreement: true }).expect(200);
  return placed.body.subscriptionIds;
}

async function activeSubscription(server: TestServer): Promise<{ world: World; profile: string; id: string }> {
  const world = await createWorld(server);
  const profile = await createProfile(world);
  const id = await buyDirect(world, profile, 3);
  await activateViaPortal(world, id);
  return { world, profile, id };
}

for (const backend of BACKENDS) {
  const test = serverTest(backend);

  describe(`${backend}: Idempotency-Key`, () => {
    test('a purchase POSTed twice with one key is made once; the second answer is the first, replayed', async ({ server }) => {
      const world = await createWorld(server);
      const profile = await createProfile(world);
      const body = directBody(world, profile);
      const first = await world.admin.post('/api/purchases', body).set('Idempotency-Key', 'buy-1').expect(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      const second = await world.admin.post('/api/purchases', body).set('Idempotency-Key', 'buy-1').expect(201);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(second.body).toEqual(first.body);
      expect(second.headers.etag).toBe(first.headers.etag);
      expect(second.headers.location).toBe(first.headers.location);
      expect(second.headers['content-type']).toMatch(/^application\/json/);
      expect((await world.admin.get('/api/purchases').expect(200)).body.items).toHaveLength(1);
      expect(await instanceCount(server, 'subscription')).toBe(1);

      const reused = await world.admin.post('/api/purchases', { ...body, quantity: 4 }).set('Idempotency-Key', 'buy-1');
      expectProblem(reused, 422, 'idempotency_key_reused');
      expect((await world.admin.get('/api/purchases').expect(200)).body.items).toHaveLength(1);
    });

    test('keys are per principal, and a key is free again after 24 hours', async ({ server }) => {
      const world = await createWorld(server);
      const profile = await createProfile(world);
      await createProfile(world, undefined, world.billingAdmin);
      await world.admin.post('/api/purchases', directBody(world, profile)).set('Idempotency-Key', 'k').expect(201);
      // Another principal's identical key is its own: a refusal here, not a replay of the admin's answer.
      const other = await world.billingAdmin.post('/api/purchases', directBody(world, profile)).set('Idempotency-Key', 'k').expect(403);
      expect(other.headers['idempotent-replayed']).toBeUndefined();

      await server.operator.post('/api/clock/advance', { ms: 24 * 3_600_000 + 1 }).expect(200);
      const later = await world.admin.post('/api/purchases', directBody(world, profile)).set('Idempotency-Key', 'k').expect(201);
      expect(later.headers['idempotent-replayed']).toBeUndefined();
      expect((await world.admin.get('/api/purchases').expect(200)).body.items).toHaveLength(2);
    });

    test('two identical requests with one key at the same time are made once', async ({ server }) => {
      const world = await createWorld(server);
      const profile = await createProfile(world);
      const body = directBody(world, profile);
      const [a, b] = await Promise.all([
        world.admin.post('/api/purchases', body).set('Idempotency-Key', 'race'),
        world.admin.post('/api/purchases', body).set('Idempotency-Key', 'race'),
      ]);
      expect([a.status, b.status]).toEqual([201, 201]);
      expect(a.body.id).toBe(b.body.id);
      expect([a.headers['idempotent-replayed'], b.headers['idempotent-replayed']].filter((h) => h === 'true')).toHaveLength(1);
      expect(await instanceCount(server, 'purchase')).toBe(1);
    });

    test('an event replayed by key is applied once; a key over 255 characters is refused', async ({ server }) => {
      const { world, id } = await activeSubscription(server);
      const first = await world.publisher.post(`/api/subscriptions/${id}/events`, { type: 'ASSIGN_LICENSES', userIds: ['a'] }).set('Idempotency-Key', 'assign-a').expect(200);
      const again = await world.publisher.post(`/api/subscriptions/${id}/events`, { type: 'ASSIGN_LICENSES', userIds: ['a'] }).set('Idempotency-Key', 'assign-a').expect(200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body.version).toBe(first.body.version);
      expect((await world.admin.get(`/api/subscriptions/${id}`).expect(200)).body.version).toBe(first.body.version);
      const long = await world.publisher.post(`/api/subscriptions/${id}/events`, { type: 'ASSIGN_LICENSES', userIds: ['b'] }).set('Idempotency-Key', 'x'.repeat(256));
      expectProblem(long, 422, 'validation_failed');
      await world.publisher.post(`/api/subscriptions/${id}/events`, { type: 'ASSIGN_LICENSES', userIds: ['b'] }).set('Idempotency-Key', 'x'.repeat(255)).expect(200);
    });
  });

  describe(`${backend}: versions, ETag and If-Match`, () => {
    test('views carry ETag "<version>"; an event answers with the next one', async ({ server }) => {
      const { world, id } = await activeSubscription(server);
      const view = await world.admin.get(`/api/subscriptions/${id}`).expect(200);
      expect(view.headers.etag).toBe(`"${view.body.version}"`);
      const changed = await world.admin.post(`/api/subscriptions/${id}/events`, { type: 'SET_AUTO_RENEW', autoRenew: false }).expect(200);
      expect(changed.body.version).toBe(view.body.version + 1);
      expect(changed.headers.etag).toBe(`"${view.body.version + 1}"`);
      expect((await world.publisher.get(`/api/subscriptions/${id}`).expect(200)).headers.etag).toBe(changed.headers.etag);

      const purchaseId = view.body.purchaseId;
      const purchase = await world.admin.get(`/api/purchases/${purchaseId}`).expect(200);
      expect(purchase.headers.etag).toBe(`"${purchase.body.version}"`);
      const [invoice] = (await world.admin.get(`/api/subscriptions/${id}/invoices`).expect(200)).body.items;
      const invoiceView = await world.admin.get(`/api/invoices/${invoice.id}`).expect(200);
      expect(invoiceView.headers.etag).toBe(`"${invoiceView.body.version}"`);
      // version equals the number of journal entries (SPEC §9).
      expect((await world.admin.get(`/api/subscriptions/${id}/history`).expect(200)).body.items).toHaveLength(changed.body.version);
    });

    test('a stale If-Match is 412 version_conflict with currentVersion, and changes nothing; a current one succeeds', async ({ server }) => {
      const { world, id } = await activeSubscription(server);
      const view = await world.admin.get(`/api/subscriptions/${id}`).expect(200);
      const stale = `"${view.body.version - 1}"`;
      const conflict = await world.admin.post(`/api/subscriptions/${id}/events`, { type: 'SET_AUTO_RENEW', autoRenew: false }).set('If-Match', stale);
      expectProblem(conflict, 412, 'version_conflict');
      expect(conflict.body.currentVersion).toBe(view.body.version);
      const garbage = await world.admin.post(`/api/subscriptions/${id}/events`, { type: 'SET_AUTO_RENEW', autoRenew: false }).set('If-Match', '"not-a-version"');
      expectProblem(garbage, 412, 'version_conflict');
      expect((await world.admin.get(`/api/subscriptions/${id}`).expect(200)).body).toMatchObject({ version: view.body.version, autoRenew: true });

      const ok = await world.admin.post(`/api/subscriptions/${id}/events`, { type: 'SET_AUTO_RENEW', autoRenew: false }).set('If-Match', `"${view.body.version}"`).expect(200);
      expect(ok.body.autoRenew).toBe(false);
      // The same If-Match once more is now stale.
      const late = await world.admin.post(`/api/subscriptions/${id}/events`, { type: 'SET_AUTO_RENEW', autoRenew: true }).set('If-Match', `"${view.body.version}"`).expect(412);
      expect(late.body.currentVersion).toBe(view.body.version + 1);
    });

    test('If-Match holds for purchase events too', async ({ server }) => {
      const world = await createWorld(server);
      const profile = await createProfile(world);
      const order = await world.partner.post('/api/purchases', { channel: 'partner', tenantId: world.tenant.id, appId: world.app.id, planId: world.app.flatPlanId }).expect(201);
      const conflict = await world.admin
        .post(`/api/purchases/${order.body.id}/events`, { type: 'ACCEPT', billingProfileId: profile, acceptAgreement: true })
        .set('If-Match', `"${order.body.version + 1}"`)
        .expect(412);
      expect(conflict.body).toMatchObject({ code: 'version_conflict', currentVersion: order.body.version });
      expect(await instanceCount(server, 'subscription')).toBe(0);
      await world.admin.post(`/api/purchases/${order.body.id}/events`, { type: 'ACCEPT', billingProfileId: profile, acceptAgreement: true }).set('If-Match', `"${order.body.version}"`).expect(200);
    });
  });

  describe(`${backend}: lists`, () => {
    test('limit and cursor page through every subscription exactly once; nextCursor is null on the last page', async ({ server }) => {
      const world = await createWorld(server);
      const ids = await manySubscriptions(world, 5);
      const seen: string[] = [];
      const sizes: number[] = [];
      let cursor: string | null = null;
      do {
        const path: string = `/api/subscriptions?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const page = (await world.admin.get(path).expect(200)).body as { items: { id: string }[]; nextCursor: string | null };
        sizes.push(page.items.length);
        seen.push(...page.items.map((s) => s.id));
        cursor = page.nextCursor;
      } while (cursor !== null);
      expect(sizes).toEqual([2, 2, 1]);
      expect(seen).toHaveLength(5);
      expect([...seen].sort()).toEqual([...ids].sort());

      const whole = (await world.admin.get('/api/subscriptions?limit=5').expect(200)).body;
      expect(whole.items).toHaveLength(5);
      expect(whole.nextCursor).toBeNull();
      expect((await world.admin.get('/api/subscriptions').expect(200)).body).toMatchObject({ nextCursor: null });
      expect((await world.admin.get('/api/subscriptions?limit=200').expect(200)).body.items).toHaveLength(5);
      expect((await world.publisher.get('/api/subscriptions?limit=1').expect(200)).body.nextCursor).toEqual(expect.any(String));
      expect((await world.admin.get(`/api/subscriptions?status=active`).expect(200)).body.items).toEqual([]);
      expect((await world.admin.get(`/api/subscriptions?status=pendingActivation&appId=${world.app.id}`).expect(200)).body.items).toHaveLength(5);
    });

    test('purchases page the same way', async ({ server }) => {
      const world = await createWorld(server);
      const profile = await createProfile(world);
      for (let i = 0; i < 3; i++) await world.admin.post('/api/purchases', directBody(world, profile)).expect(201);
      const first = (await world.admin.get('/api/purchases?limit=2').expect(200)).body;
      expect(first.items).toHaveLength(2);
      const second = (await world.admin.get(`/api/purchases?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`).expect(200)).body;
      expect(second).toMatchObject({ nextCursor: null });
      expect(second.items).toHaveLength(1);
      expect(new Set([...first.items, ...second.items].map((p: { id: string }) => p.id)).size).toBe(3);
    });

    test('limit outside 1–200, or not a number, and an unknown cursor are 422 validation_failed', async ({ server }) => {
      const world = await createWorld(server);
      for (const limit of ['0', '201', '-1', 'ten', '2.5']) {
        for (const path of ['/api/subscriptions', '/api/purchases', '/api/billing-profiles']) {
          const res = await world.admin.get(`${path}?limit=${limit}`);
          expectProblem(res, 422, 'validation_failed');
          expect(res.body.errors, `${path}?limit=${limit}`).toEqual([expect.objectContaining({ path: 'limit' })]);
        }
      }
      const cursor = await world.admin.get('/api/subscriptions?cursor=bm90LWEtY3Vyc29y');
      expectProblem(cursor, 422, 'validation_failed');
      expect(cursor.body.errors).toEqual([expect.objectContaining({ path: 'cursor' })]);
    });

    test('an empty query parameter is as if absent: ?status=&appId=&limit=&cursor= is the first page of everything', async ({ server }) => {
      const { world, id } = await activeSubscription(server);
      const all = (await world.admin.get('/api/subscriptions').expect(200)).body;
      const empty = (await world.admin.get('/api/subscriptions?status=&appId=&limit=&cursor=').expect(200)).body;
      expect(empty).toEqual(all);
      expect(empty.items.map((s: { id: string }) => s.id)).toContain(id);
      expect((await world.admin.get('/api/purchases?limit=&cursor=').expect(200)).body).toEqual((await world.admin.get('/api/purchases').expect(200)).body);
    });
  });

  describe(`${backend}: what another tenant or publisher may not see`, () => {
    test("another tenant's or publisher's principals get 404 for a subscription's reads and events, and nothing changes", async ({ server }) => {
      const { world, id } = await activeSubscription(server);
      const elsewhere = await createWorld(server);
      const before = (await world.admin.get(`/api/subscriptions/${id}`).expect(200)).body;
      for (const path of ['', '/history', '/licenses', '/invoices']) {
        expectProblem(await elsewhere.admin.get(`/api/subscriptions/${id}${path}`), 404, 'not_found');
      }
      for (const path of ['', '/history', '/licenses']) {
        expectProblem(await elsewhere.publisher.get(`/api/subscriptions/${id}${path}`), 404, 'not_found');
      }
      for (const event of [{ type: 'CANCEL' }, { type: 'SET_AUTO_RENEW', autoRenew: false }, { type: 'CHANGE_QUANTITY', quantity: 5 }, { type: 'OPEN_PUBLISHER_PORTAL' }]) {
        expectProblem(await elsewhere.admin.post(`/api/subscriptions/${id}/events`, event), 404, 'not_found');
      }
      for (const event of [{ type: 'ASSIGN_LICENSES', userIds: ['intruder'] }, { type: 'UNASSIGN_LICENSES', userIds: ['u1'] }, { type: 'ACTIVATE' }]) {
        expectProblem(await elsewhere.publisher.post(`/api/subscriptions/${id}/events`, event), 404, 'not_found');
      }
      expect((await world.admin.get(`/api/subscriptions/${id}`).expect(200)).body).toMatchObject({ version: before.version, status: 'active', autoRenew: true, quantity: 3 });
      expect((await world.admin.get(`/api/subscriptions/${id}/licenses`).expect(200)).body.assigned).toEqual([]);
      // An id that exists nowhere answers the same.
      expectProblem(await world.admin.get('/api/subscriptions/sub_nope'), 404, 'not_found');
      expectProblem(await world.admin.post('/api/subscriptions/sub_nope/events', { type: 'CANCEL' }), 404, 'not_found');
    });

    test('404 for what a principal may not see comes before 403 for what the table refuses it; 403 only for what it sees', async ({ server }) => {
      const { world, id } = await activeSubscription(server);
      const elsewhere = await createWorld(server);
      const [invoice] = (await world.admin.get(`/api/subscriptions/${id}/invoices`).expect(200)).body.items;
      // Another tenant's plain user, another partner: not theirs, whatever the route.
      for (const path of ['', '/history', '/licenses', '/invoices']) {
        expectProblem(await elsewhere.user.get(`/api/subscriptions/${id}${path}`), 404, 'not_found');
        expectProblem(await elsewhere.partner.get(`/api/subscriptions/${id}${path}`), 404, 'not_found');
      }
      expectProblem(await elsewhere.user.post(`/api/subscriptions/${id}/events`, { type: 'CANCEL' }), 404, 'not_found');
      // Another tenant's admin, with an event only publishers send: not theirs first.
      expectProblem(await elsewhere.admin.post(`/api/subscriptions/${id}/events`, { type: 'ACTIVATE' }), 404, 'not_found');
      // No publisher or partner sees an invoice, nor another tenant's user a billing profile.
      expectProblem(await world.publisher.get(`/api/invoices/${invoice.id}`), 404, 'not_found');
      expectProblem(await world.partner.post(`/api/invoices/${invoice.id}/pay`), 404, 'not_found');
      expectProblem(await world.publisher.get(`/api/billing-profiles/${invoice.billingProfileId}`), 404, 'not_found');
      // Its own tenant's plain user sees the subscription but may not read its history or cancel it.
      expectProblem(await world.user.get(`/api/subscriptions/${id}/history`), 403, 'forbidden');
      expectProblem(await world.user.post(`/api/subscriptions/${id}/events`, { type: 'CANCEL' }), 403, 'forbidden');
      // The publisher sees it too, and may not read its invoices.
      expectProblem(await world.publisher.get(`/api/subscriptions/${id}/invoices`), 403, 'forbidden');
    });

    test("another tenant's admin gets 404 for a purchase and its events", async ({ server }) => {
      const world = await createWorld(server);
      const elsewhere = await createWorld(server);
      const foreignProfile = await createProfile(elsewhere);
      const order = await world.partner.post('/api/purchases', { channel: 'partner', tenantId: world.tenant.id, appId: world.app.id, planId: world.app.flatPlanId }).expect(201);
      expectProblem(await elsewhere.admin.get(`/api/purchases/${order.body.id}`), 404, 'not_found');
      expectProblem(await elsewhere.admin.post(`/api/purchases/${order.body.id}/events`, { type: 'DECLINE' }), 404, 'not_found');
      expectProblem(await elsewhere.admin.post(`/api/purchases/${order.body.id}/events`, { type: 'ACCEPT', billingProfileId: foreignProfile, acceptAgreement: true }), 404, 'not_found');
      expect((await world.admin.get(`/api/purchases/${order.body.id}`).expect(200)).body).toMatchObject({ state: 'awaitingAgreement', version: order.body.version });
    });
  });

  describe(`${backend}: the clock`, () => {
    test('GET /api/clock tells the mode and time; the operator advances it by ms or to an instant, never backwards', async ({ server }) => {
      const world = await createWorld(server);
      expect((await world.user.get('/api/clock').expect(200)).body).toEqual({ mode: 'manual', now: '2026-01-01T00:00:00.000Z' });
      const byMs = await server.operator.post('/api/clock/advance', { ms: 90_000 }).expect(200);
      expect(byMs.body).toEqual({ now: '2026-01-01T00:01:30.000Z', fired: 0 });
      const to = await server.operator.post('/api/clock/advance', { to: '2026-01-05T00:00:00Z' }).expect(200);
      expect(to.body).toEqual({ now: '2026-01-05T00:00:00.000Z', fired: 0 });
      // Standing still is not going back.
      await server.operator.post('/api/clock/advance', { to: '2026-01-05T00:00:00.000Z' }).expect(200);
      await server.operator.post('/api/clock/advance', { ms: 0 }).expect(200);

      const past = await server.operator.post('/api/clock/advance', { to: '2026-01-04T23:59:59.999Z' });
      expectProblem(past, 422, 'validation_failed');
      expect(past.body.errors).toEqual([expect.objectContaining({ path: 'to' })]);
      for (const body of [{ ms: -1 }, { ms: 1.5 }, { to: 'tomorrow' }, { ms: 1, to: '2026-02-01T00:00:00Z' }, {}]) {
        expectProblem(await server.operator.post('/api/clock/advance', body), 422, 'validation_failed');
      }
      expectProblem(await world.admin.post('/api/clock/advance', { ms: 1000 }), 403, 'forbidden');
      expect((await world.admin.get('/api/clock').expect(200)).body.now).toBe('2026-01-05T00:00:00.000Z');
    });
  });

  describe(`${backend}: the system clock`, () => {
    const onSystemClock = serverTest(backend, { clock: 'system' });

    onSystemClock('tells its mode, and refuses to be moved by hand with 409 clock_not_manual', async ({ server }) => {
      const clock = (await server.operator.get('/api/clock').expect(200)).body;
      expect(clock.mode).toBe('system');
      expect(Number.isNaN(Date.parse(clock.now))).toBe(false);
      expectProblem(await server.operator.post('/api/clock/advance', { ms: 1000 }), 409, 'clock_not_manual');
    });
  });

  describe(`${backend}: health, routes and request problems`, () => {
    test('/healthz answers 200 without a token', async ({ server }) => {
      const res = await server.http().get('/healthz').expect(200);
      expect(res.body).toEqual({ status: 'ok' });
    });

    test('an unknown route is 404 problem+json, inside /api and outside', async ({ server }) => {
      expectProblem(await server.http().get('/no-such-page'), 404, 'not_found');
      expectProblem(await server.operator.get('/api/no-such-thing'), 404, 'not_found');
      const inResource = await server.operator.post('/api/subscriptions/sub_x/nothing', {});
      expectProblem(inResource, 404, 'not_found');
      // Routes live in a router per resource: the answer still names the whole path asked for.
      expect(inResource.body.detail).toBe('There is no POST /api/subscriptions/sub_x/nothing.');
      expect((await server.operator.get('/api/subscriptions/sub_x/licenses/extra')).body.detail).toBe('There is no GET /api/subscriptions/sub_x/licenses/extra.');
    });

    test('no token or an unknown one is 401; a body that is not JSON is 400; a body over 100 kB is 413', async ({ server }) => {
      expectProblem(await server.http().get('/api/tenant'), 401, 'unauthenticated');
      expectProblem(await server.as('nobody').get('/api/tenant'), 401, 'unauthenticated');
      const malformed = await server.http().post('/api/operator/partners').set('Authorization', `Bearer ${OPERATOR_TOKEN}`).set('Content-Type', 'application/json').send('{"name": ');
      expectProblem(malformed, 400, 'malformed_json');
      const huge = await server.operator.post('/api/operator/partners', { name: 'x'.repeat(120_000) });
      expectProblem(huge, 413, 'payload_too_large');
      // 100 kB is 100,000 bytes: a body of 100,001 is too large, one of 100,000 is read.
      const sized = (bytes: number) => JSON.stringify({ name: 'x'.repeat(bytes - '{"name":""}'.length) });
      const over = await server.http().post('/api/operator/partners').set('Authorization', `Bearer ${OPERATOR_TOKEN}`).set('Content-Type', 'application/json').send(sized(100_001));
      expectProblem(over, 413, 'payload_too_large');
      const at = await server.http().post('/api/operator/partners').set('Authorization', `Bearer ${OPERATOR_TOKEN}`).set('Content-Type', 'application/json').send(sized(100_000));
      expect(at.status).not.toBe(413);
      // JSON in: a body is read as JSON whatever its Content-Type says (a client that sends a
      // string without one, as supertest's and curl's form default, gets 400, not 422).
      for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
        const notJson = await server.http().post('/api/operator/partners').set('Authorization', `Bearer ${OPERATOR_TOKEN}`).set('Content-Type', type).send('not json');
        expectProblem(notJson, 400, 'malformed_json');
        const json = await server.http().post('/api/operator/partners').set('Authorization', `Bearer ${OPERATOR_TOKEN}`).set('Content-Type', type).send('{"name":"Plain partner"}');
        expect(json.status, type).toBe(201);
      }
    });
  });

  describe(`${backend}: rate limit`, () => {
    const limited = serverTest(backend, { rateLimit: 5 });

    limited('the 6th request of a principal in a minute is 429 rate_limited with Retry-After; others and the operator go on', async ({ server }) => {
      const world = await createWorld(server);
      for (let i = 0; i < 5; i++) await world.admin.get('/api/tenant').expect(200);
      const sixth = await world.admin.get('/api/tenant');
      expectProblem(sixth, 429, 'rate_limited');
      expect(Number(sixth.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      // Refused requests are refused whatever they are.
      expectProblem(await world.admin.post('/api/tenant/agreement', { accept: true }), 429, 'rate_limited');
      expect((await world.billingAdmin.get('/api/tenant').expect(200)).body.agreementAcceptedAt).toBeNull();
      for (let i = 0; i < 12; i++) await server.operator.get('/api/clock').expect(200);
      await server.http().get('/healthz').expect(200);
    });
  });
}

describe('the test harness', () => {
  for (const backend of BACKENDS) {
    plainTest(`${backend}: records every 500 and every logged error, for serverTest to fail on`, async () => {
      const server = await startServer(backend);
      try {
        await server.http().get('/healthz').expect(200);
        expect(server.faults()).toEqual([]);
        await server.database.close();
        await server.http().get('/healthz').expect(500);
        // Whatever else noticed the closed database logged too; the request's own fault is there.
        expect(server.faults()).toContain('GET /healthz answered 500');
        expect(server.faults()).toContainEqual(expect.stringMatching(/^logged error: /));
      } finally {
        await server.stop();
      }
    });
  }
});
