import { describe, expect } from 'vitest';
import { BACKENDS } from '../helpers/databases.js';
import { DECLINED_CARD, activateViaPortal, buyDirect, createProfile } from '../helpers/flows.js';
import { serverTest } from '../helpers/server.js';
import { createWorld } from '../helpers/world.js';

for (const backend of BACKENDS) {
  const test = serverTest(backend);

  describe(`${backend}: a subscription's life through HTTP`, () => {
    test('buy, hand off to the publisher, activate, license, resize, cancel', async ({ server }) => {
      const world = await createWorld(server);
      const profile = await createProfile(world);
      const id = await buyDirect(world, profile, 5);

      const pending = await world.admin.get(`/api/subscriptions/${id}`).expect(200);
      expect(pending.headers.etag).toBe('"1"');
      expect(pending.body).toMatchObject({ status: 'pendingActivation', billingStatus: null, quantity: 5, assignedLicenses: 0, pricingModel: 'per-license', autoRenew: true, value: 'pendingActivation' });
      expect(pending.body.allowedEvents).toEqual(['OPEN_PUBLISHER_PORTAL', 'CANCEL']);
      const publisherView = await world.publisher.get(`/api/subscriptions/${id}`).expect(200);
      expect(publisherView.body.allowedEvents).toEqual([]);

      // No licenses before activation, and no activation before the handoff resolves.
      const early = await world.publisher.post(`/api/subscriptions/${id}/events`, { type: 'ASSIGN_LICENSES', userIds: ['u1'] }).expect(409);
      expect(early.body).toMatchObject({ code: 'event_not_allowed', state: 'pendingActivation' });
      await world.publisher.post(`/api/subscriptions/${id}/events`, { type: 'ACTIVATE' }).expect(409);

      const opened = await world.admin.post(`/api/subscriptions/${id}/events`, { type: 'OPEN_PUBLISHER_PORTAL' }).expect(200);
      const { url, token, expiresAt } = opened.body.handoff;
      expect(url).toBe(`https://fabrikam.example/landing?token=${encodeURIComponent(token)}`);
      expect(expiresAt).toBe('2026-01-02T00:00:00.000Z');
      const resolved = await world.publisher.post('/api/publisher/resolve', { token }).expect(200);
      expect(resolved.body).toEqual({ subscriptionId: id, tenantId: world.tenant.id, appId: world.app.id, planId: world.app.seatPlanId, pricingModel: 'per-license', quantity: 5 });
      expect((await world.publisher.post('/api/publisher/resolve', { token }).expect(410)).body.code).toBe('token_used');
      const afterResolve = await world.publisher.get(`/api/subscriptions/${id}`).expect(200);
      expect(afterResolve.body.allowedEvents).toEqual(['ACTIVATE']);

      const active = await world.publisher.post(`/api/subscriptions/${id}/events`, { type: 'ACTIVATE' }).expect(200);
      expect(active.body).toMatchObject({ status: 'active', billingStatus: 'current', value: { active: { billing: 'current' } }, termStart: '2026-01-01T00:00:00.000Z', termEnd: '2026-02-01T00:00:00.000Z' });
      const invoices = await world.admin.get(`/api/subscriptions/${id}/invoices`).expect(200);
      expect(invoices.body.items).toHaveLength(1);
      expect(invoices.body.items[0]).toMatchObject({ status: 'paid', total: { amount: 5000, currency: 'USD' }, billingProfileId: profile });

      await world.publisher.post(`/api/subscriptions/${id}/events`, { type: 'ASSIGN_LICENSES', userIds: ['u1', 'u2', 'u3'] }).expect(200);
      const tooMany = await world.publisher.post(`/api/subscriptions/${id}/events`, { type: 'ASSIGN_LICENSES', userIds: ['u4', 'u5', 'u6'] }).expect(422);
      expect(tooMany.body.code).toBe('license_limit_exceeded');
      expect((await world.admin.get(`/api/subscriptions/${id}/licenses`).expect(200)).body).toEqual({ quantity: 5, assigned: ['u1', 'u2', 'u3'] });
      expect((await world.admin.post(`/api/subscriptions/${id}/events`, { type: 'CHANGE_QUANTITY', quantity: 2 }).expect(422)).body.code).toBe('quantity_below_assigned');
      expect((await world.admin.post(`/api/subscriptions/${id}/events`, { type: 'CHANGE_QUANTITY', quantity: 51 }).expect(422)).body.code).toBe('quantity_out_of_range');

      // Half a term later, 5 more seats: 1000 × 5 × half the term, charged at once.
      await server.operator.post('/api/clock/advance', { to: '2026-01-16T12:00:00.000Z' }).expect(200);
      const resized = await world.admin.post(`/api/subscriptions/${id}/events`, { type: 'CHANGE_QUANTITY', quantity: 10 }).expect(200);
      expect(resized.body.quantity).toBe(10);
      const all = (await world.admin.get(`/api/subscriptions/${id}/invoices`).expect(200)).body.items;
      expect(all).toHaveLength(2);
      expect(all[1]).toMatchObject({ status: 'paid', total: { amount: 2500, currency: 'USD' } });

      // Only the publisher assigns; only tenant admins cancel: 403 whatever the state.
      await world.admin.post(`/api/subscriptions/${id}/events`, { type: 'ASSIGN_LICENSES', userIds: ['x'] }).expect(403);
      await world.publisher.post(`/api/subscriptions/${id}/events`, { type: 'CANCEL' }).expect(403);

      const canceled = await world.admin.post(`/api/subscriptions/${id}/events`, { type: 'CANCEL', reason: 'no longer needed' }).set('If-Match', String(resized.headers.etag)).expect(200);
      expect(canceled.body).toMatchObject({ status: 'deactivated', deactivationReason: 'canceled', billingStatus: null, assignedLicenses: 0, allowedEvents: [] });
      const after = await world.admin.post(`/api/subscriptions/${id}/events`, { type: 'SET_AUTO_RENEW', autoRenew: false }).expect(409);
      expect(after.body).toMatchObject({ code: 'event_not_allowed', state: 'deactivated', allowedEvents: [] });

      const history = (await world.publisher.get(`/api/subscriptions/${id}/history`).expect(200)).body.items;
      expect(history[0]).toMatchObject({ seq: 1, from: null, to: 'pendingActivation' });
      expect(history.map((h: { seq: number }) => h.seq)).toEqual(history.map((_: unknown, i: number) => i + 1));
      expect(history.at(-1)).toMatchObject({ to: 'deactivated', event: { type: 'CANCEL', reason: 'no longer needed' } });
    });

    test('a declined card leaves the invoice open; paying with a good card settles it', async ({ server }) => {
      const world = await createWorld(server);
      const profile = await createProfile(world, DECLINED_CARD);
      const id = await buyDirect(world, profile, 1);
      await activateViaPortal(world, id);
      const [invoice] = (await world.admin.get(`/api/subscriptions/${id}/invoices`).expect(200)).body.items;
      expect(invoice.status).toBe('open');
      const declined = await world.admin.post(`/api/invoices/${invoice.id}/pay`).expect(402);
      expect(declined.body.code).toBe('payment_declined');
      await world.admin.patch(`/api/billing-profiles/${profile}`, { paymentMethod: { type: 'credit-card', number: '4242424242424242', expMonth: 1, expYear: 2031 } }).expect(200);
      const paid = await world.admin.post(`/api/invoices/${invoice.id}/pay`).expect(200);
      expect(paid.body).toMatchObject({ status: 'paid', paidAt: '2026-01-01T00:00:00.000Z' });
      expect((await world.admin.post(`/api/invoices/${invoice.id}/pay`).expect(409)).body.code).toBe('event_not_allowed');
    });

    test('unpaid past due: pastDue, paid back to current; later unpaid 30 days: nonpayment', async ({ server }) => {
      const world = await createWorld(server);
      const profile = await createProfile(world, { type: 'check-wire' });
      const id = await buyDirect(world, profile, 2);
      await activateViaPortal(world, id);
      const [invoice] = (await world.admin.get(`/api/subscriptions/${id}/invoices`).expect(200)).body.items;
      expect(invoice).toMatchObject({ status: 'open', dueAt: '2026-01-31T00:00:00.000Z' });
      await server.operator.post('/api/clock/advance', { to: '2026-01-31T00:00:00.000Z' }).expect(200);
      expect((await world.admin.get(`/api/subscriptions/${id}`).expect(200)).body.billingStatus).toBe('pastDue');
      const mismatch = await server.operator.post(`/api/invoices/${invoice.id}/payments`, { amount: { amount: 1, currency: 'USD' }, reference: 'wire-1' }).expect(422);
      expect(mismatch.body.code).toBe('amount_mismatch');
      await server.operator.post(`/api/invoices/${invoice.id}/payments`, { amount: invoice.total, reference: 'wire-1' }).expect(200);
      expect((await world.admin.get(`/api/subscriptions/${id}`).expect(200)).body.billingStatus).toBe('current');
      // The renewal invoice of 1 Feb is due 3 Mar; nobody pays; 30 days after: nonpayment.
      const advanced = await server.operator.post('/api/clock/advance', { to: '2026-04-05T00:00:00.000Z' }).expect(200);
      expect(advanced.body.fired).toBeGreaterThan(0);
      const gone = (await world.admin.get(`/api/subscriptions/${id}`).expect(200)).body;
      expect(gone).toMatchObject({ status: 'deactivated', deactivationReason: 'nonpayment', deactivatedAt: '2026-04-02T00:00:00.000Z' });
    });
  });
}
