import { describe, expect } from 'vitest';
import { BACKENDS } from '../helpers/databases.js';
import { createProfile } from '../helpers/flows.js';
import { addUser, directBody, grantRoles, instanceCount, partnerBody, proposalBody } from '../helpers/scenarios.js';
import { serverTest } from '../helpers/server.js';
import { createWorld } from '../helpers/world.js';

for (const backend of BACKENDS) {
  const test = serverTest(backend);

  describe(`${backend}: what a purchase must name (SPEC §4 checks at placement)`, () => {
    test('per-license quantity: missing or not an integer is validation_failed at quantity; outside min/max is quantity_out_of_range', async ({ server }) => {
      const world = await createWorld(server);
      const profile = await createProfile(world);
      for (const quantity of [undefined, null, 2.5, '3']) {
        const res = await world.admin.post('/api/purchases', directBody(world, profile, { quantity })).expect(422);
        expect(res.body).toMatchObject({ code: 'validation_failed', errors: [expect.objectContaining({ path: 'quantity' })] });
        expect(res.body.errors[0].message).toEqual(expect.any(String));
      }
      for (const quantity of [0, -1, 51]) {
        const res = await world.admin.post('/api/purchases', directBody(world, profile, { quantity })).expect(422);
        expect(res.body.code).toBe('quantity_out_of_range');
      }
      // The bounds themselves are in range.
      await world.admin.post('/api/purchases', directBody(world, profile, { quantity: 1 })).expect(201);
      await world.admin.post('/api/purchases', directBody(world, profile, { quantity: 50 })).expect(201);
      expect(await instanceCount(server, 'purchase')).toBe(2);
    });

    test('the same quantity rules hold for partner orders and for each proposal line, with the line in the path', async ({ server }) => {
      const world = await createWorld(server);
      expect((await world.partner.post('/api/purchases', partnerBody(world, { quantity: undefined })).expect(422)).body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'quantity' }] });
      expect((await world.partner.post('/api/purchases', partnerBody(world, { quantity: 51 })).expect(422)).body.code).toBe('quantity_out_of_range');
      const flat = { appId: world.app.id, planId: world.app.flatPlanId };
      const missing = await world.sales.post('/api/purchases', proposalBody(world, [flat, { appId: world.app.id, planId: world.app.seatPlanId }])).expect(422);
      expect(missing.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'lines.1.quantity' }] });
      const fraction = await world.sales.post('/api/purchases', proposalBody(world, [flat, { appId: world.app.id, planId: world.app.seatPlanId, quantity: 1.5 }])).expect(422);
      expect(fraction.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'lines.1.quantity' }] });
      const outside = await world.sales.post('/api/purchases', proposalBody(world, [flat, { appId: world.app.id, planId: world.app.seatPlanId, quantity: 0 }])).expect(422);
      expect(outside.body.code).toBe('quantity_out_of_range');
      const flatWithQuantity = await world.sales.post('/api/purchases', proposalBody(world, [{ ...flat, quantity: 2 }])).expect(422);
      expect(flatWithQuantity.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'lines.0.quantity' }] });
      expect(await instanceCount(server)).toBe(0);
    });

    test('flat plans take no quantity: a number is validation_failed, absent or null is fine', async ({ server }) => {
      const world = await createWorld(server);
      const profile = await createProfile(world);
      for (const quantity of [1, 5]) {
        const res = await world.admin.post('/api/purchases', directBody(world, profile, { planId: world.app.flatPlanId, quantity })).expect(422);
        expect(res.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'quantity' }] });
      }
      expect(await instanceCount(server)).toBe(0);
      const withNull = await world.admin.post('/api/purchases', directBody(world, profile, { planId: world.app.flatPlanId, quantity: null })).expect(201);
      expect(withNull.body.lines).toEqual([{ appId: world.app.id, planId: world.app.flatPlanId, quantity: null }]);
      await world.admin.post('/api/purchases', directBody(world, profile, { planId: world.app.flatPlanId, quantity: undefined })).expect(201);
    });

    test('a per-license plan created without bounds takes 1 to 100,000 seats (SPEC.md defaults)', async ({ server }) => {
      const world = await createWorld(server);
      const profile = await createProfile(world);
      const app = (
        await world.publisher
          .post('/api/apps', { name: 'Unbounded', plans: [{ name: 'Seats', pricingModel: 'per-license', billingTerm: 'P1M', price: { amount: 1, currency: 'USD' } }] })
          .expect(201)
      ).body;
      const plan = app.plans[0];
      expect(plan).toMatchObject({ minQuantity: 1, maxQuantity: 100_000 });
      const buy = (quantity: number) => world.admin.post('/api/purchases', directBody(world, profile, { appId: app.id, planId: plan.id, quantity }));
      for (const quantity of [0, 100_001]) expect((await buy(quantity).expect(422)).body.code, String(quantity)).toBe('quantity_out_of_range');
      for (const quantity of [1, 100_000]) await buy(quantity).expect(201);
    });

    test('an unknown app or plan is validation_failed naming the field; a plan of another app is unknown too', async ({ server }) => {
      const world = await createWorld(server);
      const profile = await createProfile(world);
      const other = (await world.publisher.post('/api/apps', { name: 'Other', plans: [{ name: 'Site', pricingModel: 'flat', billingTerm: 'P1M', price: { amount: 100, currency: 'USD' } }] }).expect(201)).body;

      const noApp = await world.admin.post('/api/purchases', directBody(world, profile, { appId: 'app_nope' })).expect(422);
      expect(noApp.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'appId' }] });
      const noPlan = await world.admin.post('/api/purchases', directBody(world, profile, { planId: 'pln_nope' })).expect(422);
      expect(noPlan.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'planId' }] });
      const foreignPlan = await world.partner.post('/api/purchases', partnerBody(world, { planId: other.plans[0].id, quantity: undefined })).expect(422);
      expect(foreignPlan.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'planId' }] });
      const line = await world.sales
        .post('/api/purchases', proposalBody(world, [{ appId: world.app.id, planId: world.app.flatPlanId }, { appId: 'app_nope', planId: world.app.flatPlanId }]))
        .expect(422);
      expect(line.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'lines.1.appId' }] });
      const unknownTenant = await world.partner.post('/api/purchases', partnerBody(world, { tenantId: 'tnt_nope' })).expect(422);
      expect(unknownTenant.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'tenantId' }] });
      expect(await instanceCount(server)).toBe(0);
    });

    test('a billing profile unknown or of another tenant is invalid_billing_profile, for a direct purchase and for ACCEPT', async ({ server }) => {
      const world = await createWorld(server);
      const elsewhere = await createWorld(server);
      const foreign = await createProfile(elsewhere);
      await createProfile(world);
      for (const billingProfileId of [foreign, 'bpr_nope']) {
        const res = await world.admin.post('/api/purchases', directBody(world, billingProfileId)).expect(422);
        expect(res.body.code).toBe('invalid_billing_profile');
      }
      expect(await instanceCount(server)).toBe(0);
      const order = await world.partner.post('/api/purchases', partnerBody(world)).expect(201);
      const accept = await world.admin.post(`/api/purchases/${order.body.id}/events`, { type: 'ACCEPT', billingProfileId: foreign, acceptAgreement: true }).expect(422);
      expect(accept.body.code).toBe('invalid_billing_profile');
      expect((await world.admin.get(`/api/purchases/${order.body.id}`).expect(200)).body.state).toBe('awaitingAgreement');
      expect((await world.admin.get('/api/tenant').expect(200)).body.agreementAcceptedAt).toBeNull();
    });

    test("a profile of the buyer's tenant on which the buyer is only reader (or has no role) is 403; a contributor may buy", async ({ server }) => {
      const world = await createWorld(server);
      const profile = await createProfile(world);
      await grantRoles(world.admin, profile, world.billingAdmin.id, ['reader', 'invoice-manager']);
      const reader = await world.billingAdmin.post('/api/purchases', directBody(world, profile)).expect(403);
      expect(reader.body.code).toBe('forbidden');
      const otherAdmin = await addUser(server, world.tenant.id, ['global-admin']);
      expect((await otherAdmin.post('/api/purchases', directBody(world, profile)).expect(403)).body.code).toBe('forbidden');
      expect(await instanceCount(server)).toBe(0);
      const order = await world.partner.post('/api/purchases', partnerBody(world)).expect(201);
      await world.billingAdmin.post(`/api/purchases/${order.body.id}/events`, { type: 'ACCEPT', billingProfileId: profile, acceptAgreement: true }).expect(403);
      expect(await instanceCount(server, 'subscription')).toBe(0);

      await grantRoles(world.admin, profile, world.billingAdmin.id, ['contributor']);
      const placed = await world.billingAdmin.post(`/api/purchases/${order.body.id}/events`, { type: 'ACCEPT', billingProfileId: profile, acceptAgreement: true }).expect(200);
      expect(placed.body.state).toBe('placed');
      await world.billingAdmin.post('/api/purchases', directBody(world, profile)).expect(201);
    });
  });

  describe(`${backend}: who buys, accepts and reads purchases`, () => {
    test('each channel has its one kind of buyer: everyone else is 403 and nothing is created', async ({ server }) => {
      const world = await createWorld(server);
      const profile = await createProfile(world);
      await world.sales.post('/api/purchases', directBody(world, profile)).expect(403);
      await world.partner.post('/api/purchases', directBody(world, profile)).expect(403);
      await world.user.post('/api/purchases', directBody(world, profile)).expect(403);
      await world.publisher.post('/api/purchases', directBody(world, profile)).expect(403);
      await world.admin.post('/api/purchases', partnerBody(world)).expect(403);
      await world.sales.post('/api/purchases', partnerBody(world)).expect(403);
      await world.partner.post('/api/purchases', proposalBody(world, [{ appId: world.app.id, planId: world.app.flatPlanId }])).expect(403);
      await world.admin.post('/api/purchases', proposalBody(world, [{ appId: world.app.id, planId: world.app.flatPlanId }])).expect(403);
      expect(await instanceCount(server)).toBe(0);
    });

    test('only a tenant admin accepts or declines: the partner, sales and a user without roles are 403', async ({ server }) => {
      const world = await createWorld(server);
      const profile = await createProfile(world);
      const order = await world.partner.post('/api/purchases', partnerBody(world)).expect(201);
      const proposal = await world.sales.post('/api/purchases', proposalBody(world, [{ appId: world.app.id, planId: world.app.flatPlanId }])).expect(201);
      const accept = { type: 'ACCEPT', billingProfileId: profile, acceptAgreement: true };
      const byPartner = await world.partner.post(`/api/purchases/${order.body.id}/events`, accept).expect(403);
      expect(byPartner.body.code).toBe('forbidden');
      await world.partner.post(`/api/purchases/${order.body.id}/events`, { type: 'DECLINE' }).expect(403);
      await world.sales.post(`/api/purchases/${proposal.body.id}/events`, accept).expect(403);
      await world.user.post(`/api/purchases/${order.body.id}/events`, accept).expect(403);
      await world.user.post(`/api/purchases/${proposal.body.id}/events`, { type: 'DECLINE' }).expect(403);
      for (const id of [order.body.id, proposal.body.id]) {
        expect((await world.admin.get(`/api/purchases/${id}`).expect(200)).body).toMatchObject({ state: 'awaitingAgreement', version: 1 });
      }
      // Authorization comes before state: a placed purchase is still 403 for the partner.
      await world.admin.post(`/api/purchases/${order.body.id}/events`, accept).expect(200);
      await world.partner.post(`/api/purchases/${order.body.id}/events`, { type: 'DECLINE' }).expect(403);
    });

    test('the partner reads its order and the subscriptions it created; another partner, tenant or publisher sees none of it', async ({ server }) => {
      const world = await createWorld(server);
      const elsewhere = await createWorld(server);
      const profile = await createProfile(world);
      const direct = await world.admin.post('/api/purchases', directBody(world, profile)).expect(201);
      const order = await world.partner.post('/api/purchases', partnerBody(world)).expect(201);
      const placed = await world.admin.post(`/api/purchases/${order.body.id}/events`, { type: 'ACCEPT', billingProfileId: profile }).expect(200);
      const [subscriptionId] = placed.body.subscriptionIds;

      const own = await world.partner.get(`/api/purchases/${order.body.id}`).expect(200);
      expect(own.body).toMatchObject({ state: 'placed', subscriptionIds: [subscriptionId], allowedEvents: [] });
      expect((await world.partner.get('/api/purchases').expect(200)).body.items.map((p: { id: string }) => p.id)).toEqual([order.body.id]);
      const sub = await world.partner.get(`/api/subscriptions/${subscriptionId}`).expect(200);
      expect(sub.body).toMatchObject({ id: subscriptionId, channel: 'partner', allowedEvents: [] });
      expect((await world.partner.get('/api/subscriptions').expect(200)).body.items.map((s: { id: string }) => s.id)).toEqual([subscriptionId]);
      // The tenant's direct purchase is not the partner's.
      await world.partner.get(`/api/purchases/${direct.body.id}`).expect(404);
      await world.partner.get(`/api/subscriptions/${direct.body.subscriptionIds[0]}`).expect(404);

      for (const stranger of [elsewhere.partner, elsewhere.admin]) {
        const notFound = await stranger.get(`/api/purchases/${order.body.id}`).expect(404);
        expect(notFound.body.code).toBe('not_found');
        await stranger.get(`/api/subscriptions/${subscriptionId}`).expect(404);
        expect((await stranger.get('/api/purchases').expect(200)).body.items).toEqual([]);
        expect((await stranger.get('/api/subscriptions').expect(200)).body.items).toEqual([]);
      }
      await elsewhere.publisher.get(`/api/subscriptions/${subscriptionId}`).expect(404);
      // Sales reads proposals only.
      await world.sales.get(`/api/purchases/${order.body.id}`).expect(404);
    });
  });
}
