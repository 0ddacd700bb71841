import { describe, expect } from 'vitest';
import { BACKENDS } from '../helpers/databases.js';
import { DECLINED_CARD, GOOD_CARD, activateViaPortal, buyDirect, createProfile } from '../helpers/flows.js';
import { addUser, advanceTo, grantRoles } from '../helpers/scenarios.js';
import { serverTest } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import type { World } from '../helpers/world.js';
import { createWorld } from '../helpers/world.js';

/** An active subscription on a new profile with this payment method, and its first invoice. */
async function invoiced(server: TestServer, paymentMethod: object): Promise<{ world: World; profile: string; invoice: { id: string; status: string; total: { amount: number; currency: string } } }> {
  const world = await createWorld(server);
  const profile = await createProfile(world, paymentMethod);
  const id = await buyDirect(world, profile, 2);
  await activateViaPortal(world, id);
  const [invoice] = (await world.admin.get(`/api/subscriptions/${id}/invoices`).expect(200)).body.items;
  return { world, profile, invoice };
}

for (const backend of BACKENDS) {
  const test = serverTest(backend);

  describe(`${backend}: who sees and pays an invoice (SPEC §6, §7)`, () => {
    test('a member of another profile without an admin role gets 404; a reader views but may not pay (403)', async ({ server }) => {
      const { world, profile, invoice } = await invoiced(server, DECLINED_CARD);
      expect(invoice.status).toBe('open');
      const elsewhere = await createProfile(world);
      await grantRoles(world.admin, elsewhere, world.user.id, ['owner', 'invoice-manager']);

      const hidden = await world.user.get(`/api/invoices/${invoice.id}`).expect(404);
      expect(hidden.body.code).toBe('not_found');
      await world.user.post(`/api/invoices/${invoice.id}/pay`).expect(404);
      await world.user.get(`/api/billing-profiles/${profile}/invoices`).expect(404);

      await grantRoles(world.admin, profile, world.user.id, ['reader']);
      const seen = await world.user.get(`/api/invoices/${invoice.id}`).expect(200);
      expect(seen.body).toMatchObject({ id: invoice.id, billingProfileId: profile, tenantId: world.tenant.id, status: 'open' });
      expect(seen.headers.etag).toBe(`"${seen.body.version}"`);
      expect((await world.user.get(`/api/billing-profiles/${profile}/invoices`).expect(200)).body.items.map((i: { id: string }) => i.id)).toEqual([invoice.id]);
      const refused = await world.user.post(`/api/invoices/${invoice.id}/pay`).expect(403);
      expect(refused.body.code).toBe('forbidden');
      expect((await world.admin.get(`/api/invoices/${invoice.id}`).expect(200)).body).toMatchObject({ status: 'open', version: seen.body.version });
    });

    test('tenant admins see every invoice of their tenant; another tenant, the publisher and the partner do not', async ({ server }) => {
      const { world, invoice } = await invoiced(server, GOOD_CARD);
      const elsewhere = await createWorld(server);
      expect((await world.billingAdmin.get(`/api/invoices/${invoice.id}`).expect(200)).body.status).toBe('paid');
      await elsewhere.admin.get(`/api/invoices/${invoice.id}`).expect(404);
      await elsewhere.admin.post(`/api/invoices/${invoice.id}/pay`).expect(404);
      // Not tenant users at all: they see no invoice (404, not 403: API.md's conventions).
      await world.publisher.get(`/api/invoices/${invoice.id}`).expect(404);
      await world.partner.get(`/api/invoices/${invoice.id}`).expect(404);
      await world.admin.get('/api/invoices/inv_nope').expect(404);
    });

    test('a card is checked for expiry when charged, by the service clock: charged in its last month, not after; paying then is 402', async ({ server }) => {
      // Valid through January 2026; the clock starts on 1 January 2026 and the plan renews monthly.
      const { world, profile, invoice } = await invoiced(server, { ...GOOD_CARD, expMonth: 1, expYear: 2026 });
      expect(invoice.status).toBe('paid');
      await advanceTo(server, '2026-02-01T00:00:00.000Z');
      const subscription = (await world.admin.get(`/api/billing-profiles/${profile}/invoices`).expect(200)).body.items as { id: string; status: string }[];
      expect(subscription.map((i) => i.status)).toEqual(['paid', 'open']);
      const renewal = subscription[1]!;
      const refused = await world.admin.post(`/api/invoices/${renewal.id}/pay`).expect(402);
      expect(refused.body).toMatchObject({ code: 'payment_declined' });
      expect(refused.body.detail).toMatch(/expired/);
      expect((await world.admin.get(`/api/invoices/${renewal.id}`).expect(200)).body.status).toBe('open');
      // A new card on the profile pays it.
      await world.admin.patch(`/api/billing-profiles/${profile}`, { paymentMethod: GOOD_CARD }).expect(200);
      expect((await world.admin.post(`/api/invoices/${renewal.id}/pay`).expect(200)).body.status).toBe('paid');
    });

    test('If-Match makes paying conditional: a stale version is 412 and charges nothing; the current one pays', async ({ server }) => {
      const { world, profile, invoice } = await invoiced(server, DECLINED_CARD);
      const open = (await world.admin.get(`/api/invoices/${invoice.id}`).expect(200)).body;
      const stale = await world.admin.post(`/api/invoices/${invoice.id}/pay`).set('If-Match', `"${open.version - 1}"`).expect(412);
      expect(stale.body).toMatchObject({ code: 'version_conflict', currentVersion: open.version });
      // A declined charge would have recorded PAYMENT_DECLINED: the version did not move.
      expect((await world.admin.get(`/api/invoices/${invoice.id}`).expect(200)).body).toMatchObject({ status: 'open', version: open.version });
      await world.admin.patch(`/api/billing-profiles/${profile}`, { paymentMethod: GOOD_CARD }).expect(200);
      const paid = await world.admin.post(`/api/invoices/${invoice.id}/pay`).set('If-Match', `"${open.version}"`).expect(200);
      expect(paid.body.status).toBe('paid');
    });

    test('an invoice-manager and a contributor may pay; the card on file is charged again', async ({ server }) => {
      const { world, profile, invoice } = await invoiced(server, DECLINED_CARD);
      const manager = await addUser(server, world.tenant.id);
      await grantRoles(world.admin, profile, manager.id, ['invoice-manager']);
      await grantRoles(world.admin, profile, world.user.id, ['contributor']);
      const declined = await manager.post(`/api/invoices/${invoice.id}/pay`).expect(402);
      expect(declined.body.code).toBe('payment_declined');
      await world.user.post(`/api/invoices/${invoice.id}/pay`).expect(402);
      expect((await manager.get(`/api/invoices/${invoice.id}`).expect(200)).body.status).toBe('open');

      await world.admin.patch(`/api/billing-profiles/${profile}`, { paymentMethod: GOOD_CARD }).expect(200);
      await server.operator.post('/api/clock/advance', { ms: 3_600_000 }).expect(200);
      const paid = await manager.post(`/api/invoices/${invoice.id}/pay`).expect(200);
      expect(paid.body).toMatchObject({ id: invoice.id, status: 'paid', paidAt: '2026-01-01T01:00:00.000Z' });
      expect((await world.user.post(`/api/invoices/${invoice.id}/pay`).expect(409)).body.code).toBe('event_not_allowed');
    });
  });

  describe(`${backend}: check-wire invoices and bank reconciliation`, () => {
    test('a check-wire invoice is not charged and members cannot pay it; only the operator records its payment', async ({ server }) => {
      const { world, invoice } = await invoiced(server, { type: 'check-wire' });
      expect(invoice).toMatchObject({ status: 'open', total: { amount: 2000, currency: 'USD' } });
      const byOwner = await world.admin.post(`/api/invoices/${invoice.id}/pay`);
      expect(byOwner.status).toBe(402);
      expect(byOwner.body.code).toBe('payment_declined');
      const payment = { amount: invoice.total, reference: 'wire 2026-001' };
      // The tenant admin sees the invoice but may not record payments (403); the publisher does not see it (404).
      await world.admin.post(`/api/invoices/${invoice.id}/payments`, payment).expect(403);
      await world.publisher.post(`/api/invoices/${invoice.id}/payments`, payment).expect(404);
      expect((await world.admin.get(`/api/invoices/${invoice.id}`).expect(200)).body).toMatchObject({ status: 'open', paidAt: null });

      await server.operator.post('/api/clock/advance', { to: '2026-01-10T00:00:00.000Z' }).expect(200);
      const paid = await server.operator.post(`/api/invoices/${invoice.id}/payments`, payment).expect(200);
      expect(paid.body).toMatchObject({ status: 'paid', paidAt: '2026-01-10T00:00:00.000Z' });
      expect(paid.headers.etag).toBe(`"${paid.body.version}"`);
      const again = await server.operator.post(`/api/invoices/${invoice.id}/payments`, payment).expect(409);
      expect(again.body.code).toBe('event_not_allowed');
    });

    test('a recorded payment must equal the total, in amount and currency: amount_mismatch otherwise, and nothing changes', async ({ server }) => {
      const { world, invoice } = await invoiced(server, { type: 'check-wire' });
      const version = (await world.admin.get(`/api/invoices/${invoice.id}`).expect(200)).body.version;
      for (const amount of [{ amount: 1999, currency: 'USD' }, { amount: 2001, currency: 'USD' }, { amount: 2000, currency: 'EUR' }]) {
        const res = await server.operator.post(`/api/invoices/${invoice.id}/payments`, { amount, reference: 'wire' }).expect(422);
        expect(res.body.code, JSON.stringify(amount)).toBe('amount_mismatch');
      }
      expect((await world.admin.get(`/api/invoices/${invoice.id}`).expect(200)).body).toMatchObject({ status: 'open', version });
      const malformed = await server.operator.post(`/api/invoices/${invoice.id}/payments`, { amount: 2000, reference: 'wire' }).expect(422);
      expect(malformed.body.code).toBe('validation_failed');
      await server.operator.post('/api/invoices/inv_nope/payments', { amount: invoice.total, reference: 'wire' }).expect(404);
    });

    test('an open invoice of a subscription canceled before its due date is void and can be neither paid nor recorded', async ({ server }) => {
      const world = await createWorld(server);
      const profile = await createProfile(world, { type: 'check-wire' });
      const id = await buyDirect(world, profile, 2);
      await activateViaPortal(world, id);
      await world.admin.post(`/api/subscriptions/${id}/events`, { type: 'CANCEL' }).expect(200);
      const [invoice] = (await world.admin.get(`/api/subscriptions/${id}/invoices`).expect(200)).body.items;
      expect(invoice.status).toBe('void');
      expect((await world.admin.post(`/api/invoices/${invoice.id}/pay`).expect(409)).body.code).toBe('event_not_allowed');
      expect((await server.operator.post(`/api/invoices/${invoice.id}/payments`, { amount: invoice.total, reference: 'late' }).expect(409)).body.code).toBe('event_not_allowed');
    });
  });
}
