import { describe, expect } from 'vitest';
import { BACKENDS } from '../helpers/databases.js';
import { createProfile } from '../helpers/flows.js';
import { advanceTo, directBody, instanceCount, partnerBody, proposalBody } from '../helpers/scenarios.js';
import { serverTest } from '../helpers/server.js';
import { createWorld } from '../helpers/world.js';

const T0_ISO = '2026-01-01T00:00:00.000Z';

for (const backend of BACKENDS) {
  const test = serverTest(backend);

  describe(`${backend}: purchase channels (SPEC §4)`, () => {
    test('direct: placed at once, one subscription in pendingActivation on the chosen profile', async ({ server }) => {
      const world = await createWorld(server);
      const profile = await createProfile(world);
      const res = await world.admin.post('/api/purchases', directBody(world, profile, { quantity: 4 })).expect(201);
      expect(res.headers.location).toBe(`/api/purchases/${res.body.id}`);
      expect(res.headers.etag).toBe(`"${res.body.version}"`);
      expect(res.body).toMatchObject({
        channel: 'direct',
        source: 'azure-marketplace',
        tenantId: world.tenant.id,
        partnerId: null,
        lines: [{ appId: world.app.id, planId: world.app.seatPlanId, quantity: 4 }],
        state: 'placed',
        expiresAt: null,
        allowedEvents: [],
        createdAt: T0_ISO,
      });
      expect(res.body.subscriptionIds).toHaveLength(1);
      const [subscriptionId] = res.body.subscriptionIds;
      const sub = (await world.admin.get(`/api/subscriptions/${subscriptionId}`).expect(200)).body;
      expect(sub).toMatchObject({ status: 'pendingActivation', purchaseId: res.body.id, channel: 'direct', quantity: 4, billingProfileId: profile, appId: world.app.id, planId: world.app.seatPlanId });
      expect((await world.admin.get(`/api/purchases/${res.body.id}`).expect(200)).body).toEqual(res.body);
      // Not billed before activation.
      expect((await world.admin.get(`/api/subscriptions/${subscriptionId}/invoices`).expect(200)).body.items).toEqual([]);
    });

    test('direct without the agreement is refused with agreement_required and creates nothing; with acceptAgreement it is placed and recorded', async ({ server }) => {
      const world = await createWorld(server);
      const profile = await createProfile(world);
      for (const acceptAgreement of [undefined, false]) {
        const refused = await world.admin.post('/api/purchases', directBody(world, profile, { acceptAgreement })).expect(422);
        expect(refused.body.code).toBe('agreement_required');
      }
      expect(await instanceCount(server)).toBe(0);
      expect((await world.admin.get('/api/purchases').expect(200)).body.items).toEqual([]);
      expect((await world.admin.get('/api/tenant').expect(200)).body.agreementAcceptedAt).toBeNull();

      await server.operator.post('/api/clock/advance', { ms: 60_000 }).expect(200);
      const placed = await world.admin.post('/api/purchases', directBody(world, profile, { acceptAgreement: true })).expect(201);
      expect(placed.body.state).toBe('placed');
      const tenant = (await world.admin.get('/api/tenant').expect(200)).body;
      expect(tenant).toMatchObject({ id: world.tenant.id, agreementAcceptedAt: '2026-01-01T00:01:00.000Z' });
      // Once accepted, later purchases need not accept again, and the first acceptance stays.
      await server.operator.post('/api/clock/advance', { ms: 60_000 }).expect(200);
      await world.admin.post('/api/purchases', directBody(world, profile, { acceptAgreement: undefined })).expect(201);
      expect((await world.user.get('/api/tenant').expect(200)).body.agreementAcceptedAt).toBe('2026-01-01T00:01:00.000Z');
    });

    test('direct after POST /api/tenant/agreement needs no acceptAgreement; only a tenant admin accepts the agreement', async ({ server }) => {
      const world = await createWorld(server);
      const profile = await createProfile(world);
      await world.user.post('/api/tenant/agreement', { accept: true }).expect(403);
      const accepted = await world.billingAdmin.post('/api/tenant/agreement', { accept: true }).expect(200);
      expect(accepted.body).toMatchObject({ id: world.tenant.id, agreementAcceptedAt: T0_ISO });
      await world.admin.post('/api/purchases', directBody(world, profile, { acceptAgreement: undefined })).expect(201);
    });

    test('partner: awaitingAgreement until a tenant admin accepts with a profile and the agreement, then placed', async ({ server }) => {
      const world = await createWorld(server);
      const profile = await createProfile(world);
      const order = await world.partner.post('/api/purchases', partnerBody(world, { quantity: 7 })).expect(201);
      expect(order.body).toMatchObject({
        channel: 'partner',
        source: null,
        tenantId: world.tenant.id,
        partnerId: world.partner.partnerId,
        lines: [{ appId: world.app.id, planId: world.app.seatPlanId, quantity: 7 }],
        state: 'awaitingAgreement',
        subscriptionIds: [],
        allowedEvents: [],
      });
      expect(await instanceCount(server, 'subscription')).toBe(0);
      const seen = await world.admin.get(`/api/purchases/${order.body.id}`).expect(200);
      expect(seen.body.allowedEvents).toEqual(['ACCEPT', 'DECLINE']);
      expect((await world.user.get(`/api/purchases/${order.body.id}`).expect(200)).body.allowedEvents).toEqual([]);

      // The tenant has not accepted the customer agreement: declining it refuses the order's acceptance...
      const noAgreement = await world.admin.post(`/api/purchases/${order.body.id}/events`, { type: 'ACCEPT', billingProfileId: profile, acceptAgreement: false }).expect(422);
      expect(noAgreement.body.code).toBe('agreement_required');
      expect((await world.admin.get(`/api/purchases/${order.body.id}`).expect(200)).body).toMatchObject({ state: 'awaitingAgreement', version: seen.body.version });
      expect((await world.admin.get('/api/tenant').expect(200)).body.agreementAcceptedAt).toBeNull();
      expect(await instanceCount(server, 'subscription')).toBe(0);

      // ...and accepting the order as API.md writes it ({ type, billingProfileId }) accepts the agreement too.
      const placed = await world.admin.post(`/api/purchases/${order.body.id}/events`, { type: 'ACCEPT', billingProfileId: profile }).expect(200);
      expect(placed.body).toMatchObject({ state: 'placed', version: seen.body.version + 1, allowedEvents: [] });
      expect(placed.body.subscriptionIds).toHaveLength(1);
      const sub = (await world.admin.get(`/api/subscriptions/${placed.body.subscriptionIds[0]}`).expect(200)).body;
      expect(sub).toMatchObject({ status: 'pendingActivation', channel: 'partner', purchaseId: order.body.id, quantity: 7, billingProfileId: profile });
      expect((await world.admin.get('/api/tenant').expect(200)).body.agreementAcceptedAt).toBe(T0_ISO);
    });

    test('partner: a tenant that accepted the agreement before accepts the order with a profile alone', async ({ server }) => {
      const world = await createWorld(server);
      const profile = await createProfile(world);
      await world.admin.post('/api/tenant/agreement', { accept: true }).expect(200);
      const order = await world.partner.post('/api/purchases', partnerBody(world, { planId: world.app.flatPlanId, quantity: undefined })).expect(201);
      // The billing admin is a tenant admin but has no role on the admin's profile: it may not buy with it.
      const notOwner = await world.billingAdmin.post(`/api/purchases/${order.body.id}/events`, { type: 'ACCEPT', billingProfileId: profile }).expect(403);
      expect(notOwner.body.code).toBe('forbidden');
      const ok = await world.admin.post(`/api/purchases/${order.body.id}/events`, { type: 'ACCEPT', billingProfileId: profile }).expect(200);
      expect(ok.body.state).toBe('placed');
      const sub = (await world.admin.get(`/api/subscriptions/${ok.body.subscriptionIds[0]}`).expect(200)).body;
      expect(sub).toMatchObject({ status: 'pendingActivation', pricingModel: 'flat', quantity: null });
    });

    test('partner: DECLINE ends the order declined; nothing is created and it accepts nothing more', async ({ server }) => {
      const world = await createWorld(server);
      const profile = await createProfile(world);
      const order = await world.partner.post('/api/purchases', partnerBody(world)).expect(201);
      const declined = await world.admin.post(`/api/purchases/${order.body.id}/events`, { type: 'DECLINE' }).expect(200);
      expect(declined.body).toMatchObject({ state: 'declined', subscriptionIds: [], allowedEvents: [] });
      expect(await instanceCount(server, 'subscription')).toBe(0);
      expect((await world.admin.get('/api/subscriptions').expect(200)).body.items).toEqual([]);
      const late = await world.admin.post(`/api/purchases/${order.body.id}/events`, { type: 'ACCEPT', billingProfileId: profile, acceptAgreement: true }).expect(409);
      expect(late.body).toMatchObject({ code: 'event_not_allowed', state: 'declined', allowedEvents: [] });
      await world.admin.post(`/api/purchases/${order.body.id}/events`, { type: 'DECLINE' }).expect(409);
      expect(await instanceCount(server, 'subscription')).toBe(0);
      // A refused ACCEPT accepted no agreement.
      expect((await world.admin.get('/api/tenant').expect(200)).body.agreementAcceptedAt).toBeNull();
    });

    test('partner: an ACCEPT refused for a stale If-Match accepts no agreement; the next one does, at its time', async ({ server }) => {
      const world = await createWorld(server);
      const profile = await createProfile(world);
      const order = await world.partner.post('/api/purchases', partnerBody(world)).expect(201);
      const stale = `"${order.body.version - 1}"`;
      const conflict = await world.admin.post(`/api/purchases/${order.body.id}/events`, { type: 'ACCEPT', billingProfileId: profile }).set('If-Match', stale).expect(412);
      expect(conflict.body.code).toBe('version_conflict');
      expect((await world.admin.get('/api/tenant').expect(200)).body.agreementAcceptedAt).toBeNull();
      const placed = await world.admin.post(`/api/purchases/${order.body.id}/events`, { type: 'ACCEPT', billingProfileId: profile }).set('If-Match', `"${order.body.version}"`).expect(200);
      expect(placed.body.state).toBe('placed');
      expect((await world.admin.get('/api/tenant').expect(200)).body.agreementAcceptedAt).toBe(T0_ISO);
    });

    test('sales lists the proposals only, in full pages with a cursor while more remain, whatever other purchases sit between them', async ({ server }) => {
      const world = await createWorld(server);
      const profile = await createProfile(world);
      const line = [{ appId: world.app.id, planId: world.app.flatPlanId }];
      const proposals: string[] = [];
      for (let i = 0; i < 3; i++) {
        await world.admin.post('/api/purchases', directBody(world, profile)).expect(201);
        await world.partner.post('/api/purchases', partnerBody(world)).expect(201);
        proposals.push((await world.sales.post('/api/purchases', proposalBody(world, line)).expect(201)).body.id);
      }
      for (const limit of [1, 2, 3]) {
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const page = (await world.sales.get(`/api/purchases?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`).expect(200)).body as { items: { id: string; channel: string }[]; nextCursor: string | null };
          expect(page.items.every((p) => p.channel === 'proposal')).toBe(true);
          expect(page.items.length).toBe(Math.min(limit, proposals.length - seen.length));
          seen.push(...page.items.map((p) => p.id));
          cursor = page.nextCursor;
        } while (cursor !== null);
        expect(seen).toEqual(proposals);
      }
    });

    test('proposal with several lines: ACCEPT places one subscription per line', async ({ server }) => {
      const world = await createWorld(server);
      const profile = await createProfile(world);
      const lines = [
        { appId: world.app.id, planId: world.app.flatPlanId },
        { appId: world.app.id, planId: world.app.seatPlanId, quantity: 10 },
        { appId: world.app.id, planId: world.app.seatPlanId, quantity: 1 },
      ];
      const proposal = await world.sales.post('/api/purchases', proposalBody(world, lines)).expect(201);
      expect(proposal.body).toMatchObject({
        channel: 'proposal',
        source: null,
        partnerId: null,
        state: 'awaitingAgreement',
        expiresAt: '2026-01-08T00:00:00.000Z',
        subscriptionIds: [],
        lines: [
          { appId: world.app.id, planId: world.app.flatPlanId, quantity: null },
          { appId: world.app.id, planId: world.app.seatPlanId, quantity: 10 },
          { appId: world.app.id, planId: world.app.seatPlanId, quantity: 1 },
        ],
      });
      expect((await world.sales.get(`/api/purchases/${proposal.body.id}`).expect(200)).body.state).toBe('awaitingAgreement');

      const placed = await world.admin.post(`/api/purchases/${proposal.body.id}/events`, { type: 'ACCEPT', billingProfileId: profile, acceptAgreement: true }).expect(200);
      expect(placed.body.state).toBe('placed');
      expect(placed.body.subscriptionIds).toHaveLength(3);
      expect(new Set(placed.body.subscriptionIds).size).toBe(3);
      const subs = await Promise.all(placed.body.subscriptionIds.map(async (id: string) => (await world.admin.get(`/api/subscriptions/${id}`).expect(200)).body));
      expect(subs.map((s) => [s.planId, s.quantity, s.status, s.channel, s.billingProfileId])).toEqual([
        [world.app.flatPlanId, null, 'pendingActivation', 'proposal', profile],
        [world.app.seatPlanId, 10, 'pendingActivation', 'proposal', profile],
        [world.app.seatPlanId, 1, 'pendingActivation', 'proposal', profile],
      ]);
      const listed = (await world.admin.get('/api/subscriptions').expect(200)).body.items.map((s: { id: string }) => s.id);
      expect(listed.sort()).toEqual([...placed.body.subscriptionIds].sort());
    });

    test('proposal: DECLINE ends it declined with nothing created', async ({ server }) => {
      const world = await createWorld(server);
      const proposal = await world.sales.post('/api/purchases', proposalBody(world, [{ appId: world.app.id, planId: world.app.flatPlanId }])).expect(201);
      const declined = await world.billingAdmin.post(`/api/purchases/${proposal.body.id}/events`, { type: 'DECLINE' }).expect(200);
      expect(declined.body).toMatchObject({ state: 'declined', subscriptionIds: [] });
      expect(await instanceCount(server, 'subscription')).toBe(0);
    });

    test('proposal: expiry time reached → expired; ACCEPT after is event_not_allowed and creates nothing', async ({ server }) => {
      const world = await createWorld(server);
      const profile = await createProfile(world);
      const proposal = await world.sales.post('/api/purchases', proposalBody(world, [{ appId: world.app.id, planId: world.app.flatPlanId }], '2026-01-03T12:00:00.000Z')).expect(201);

      // A moment before expiry it is still open.
      await advanceTo(server, '2026-01-03T11:59:59.999Z');
      expect((await world.admin.get(`/api/purchases/${proposal.body.id}`).expect(200)).body).toMatchObject({ state: 'awaitingAgreement', allowedEvents: ['ACCEPT', 'DECLINE'] });

      const advanced = await server.operator.post('/api/clock/advance', { to: '2026-01-05T00:00:00.000Z' }).expect(200);
      expect(advanced.body.fired).toBe(1);
      const expired = (await world.admin.get(`/api/purchases/${proposal.body.id}`).expect(200)).body;
      expect(expired).toMatchObject({ state: 'expired', subscriptionIds: [], allowedEvents: [], version: proposal.body.version + 1 });
      const accept = await world.admin.post(`/api/purchases/${proposal.body.id}/events`, { type: 'ACCEPT', billingProfileId: profile, acceptAgreement: true }).expect(409);
      expect(accept.body).toMatchObject({ code: 'event_not_allowed', state: 'expired', allowedEvents: [] });
      expect(await instanceCount(server, 'subscription')).toBe(0);
      const history = await server.database.db.selectFrom('journal').selectAll().where('instance_id', '=', proposal.body.id).orderBy('seq').execute();
      expect(history.at(-1)).toMatchObject({ principal_id: 'system', at: '2026-01-03T12:00:00.000Z' });
    });

    test('proposal: an accepted proposal is not expired later by its timer', async ({ server }) => {
      const world = await createWorld(server);
      const profile = await createProfile(world);
      const proposal = await world.sales.post('/api/purchases', proposalBody(world, [{ appId: world.app.id, planId: world.app.flatPlanId }])).expect(201);
      await world.admin.post(`/api/purchases/${proposal.body.id}/events`, { type: 'ACCEPT', billingProfileId: profile, acceptAgreement: true }).expect(200);
      await advanceTo(server, '2026-01-10T00:00:00.000Z');
      expect((await world.admin.get(`/api/purchases/${proposal.body.id}`).expect(200)).body.state).toBe('placed');
    });

    test('proposal: an expiry time not in the future is refused at expiresAt', async ({ server }) => {
      const world = await createWorld(server);
      const res = await world.sales.post('/api/purchases', proposalBody(world, [{ appId: world.app.id, planId: world.app.flatPlanId }], T0_ISO)).expect(422);
      expect(res.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'expiresAt' }] });
      expect(await instanceCount(server)).toBe(0);
    });
  });
}
