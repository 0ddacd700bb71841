import { describe, expect } from 'vitest';
import { AMEX, CONTACT, MASTERCARD, VISA, card, createProfile, grant, otherTenant } from '../helpers/billing-profiles.js';
import { BACKENDS } from '../helpers/databases.js';
import { T0 } from '../helpers/engine-fixture.js';
import { serverTest } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { createWorld } from '../helpers/world.js';

// Every table, so that "never stored" is checked everywhere, not only in billing_profiles.
const TABLES = ['instances', 'journal', 'timers', 'outbox', 'idempotency_keys', 'clock', 'tenants', 'publishers', 'partners', 'principals', 'apps', 'plans', 'billing_profiles', 'billing_roles', 'handoff_tokens'] as const;

async function wholeDatabase(server: TestServer): Promise<string> {
  const dumps = await Promise.all(TABLES.map((table) => server.database.db.selectFrom(table).selectAll().execute()));
  return JSON.stringify(dumps);
}

for (const backend of BACKENDS) {
  const logs: string[] = [];
  const test = serverTest(backend, { log: (level, message, details) => void logs.push(JSON.stringify({ level, message, details })) });

  describe(`${backend}: billing profiles — creating and editing`, () => {
    test('a tenant admin creates a profile and becomes its owner; a user without a tenant role may not', async ({ server }) => {
      const w = await createWorld(server);
      const res = await w.admin.post('/api/billing-profiles', { name: 'Main', paymentMethod: card(VISA, 6, 2026), contact: CONTACT }).expect(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^bpr_/),
        tenantId: w.tenant.id,
        name: 'Main',
        paymentMethod: { type: 'credit-card', brand: 'visa', last4: '4242', expMonth: 6, expYear: 2026 },
        contact: CONTACT,
        createdAt: new Date(T0).toISOString(),
      });
      const roles = await w.admin.get(`/api/billing-profiles/${res.body.id}/roles`).expect(200);
      expect(roles.body).toEqual({ items: [{ userId: w.admin.id, roles: ['owner'] }] });
      await createProfile(w.billingAdmin);
      const refused = await w.user.post('/api/billing-profiles', { name: 'Mine', paymentMethod: card(), contact: CONTACT }).expect(403);
      expect(refused.body.code).toBe('forbidden');
    });

    test('a card number failing the Luhn check is refused at paymentMethod.number, and nothing is created', async ({ server }) => {
      const w = await createWorld(server);
      const res = await w.admin.post('/api/billing-profiles', { name: 'Main', paymentMethod: card('4242424242424241'), contact: CONTACT }).expect(422);
      expect(res.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'paymentMethod.number' }] });
      expect(JSON.stringify(res.body)).not.toContain('4242424242424241');
      expect((await w.admin.get('/api/billing-profiles').expect(200)).body.items).toEqual([]);
    });

    test('a card expired by the service clock is refused; a card is good to the end of its expiry month', async ({ server }) => {
      const w = await createWorld(server);
      const past = await w.admin.post('/api/billing-profiles', { name: 'Old', paymentMethod: card(VISA, 12, 2025), contact: CONTACT }).expect(422);
      expect(past.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'paymentMethod.expYear' }] });
      const profile = await createProfile(w.admin, { paymentMethod: card(VISA, 1, 2026) });
      // The manual clock, not the machine's wall clock, decides: one month on, January 2026 is over.
      await server.service.ctx.runtime.advance(Date.parse('2026-02-01T00:00:00Z'));
      const later = await w.admin.patch(`/api/billing-profiles/${profile.id}`, { paymentMethod: card(VISA, 1, 2026) }).expect(422);
      expect(later.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'paymentMethod.expMonth' }] });
      await w.admin.patch(`/api/billing-profiles/${profile.id}`, { paymentMethod: card(VISA, 2, 2026) }).expect(200);
    });

    test('only brand, last 4 digits and expiry are kept: the full number is in no table, response or log', async ({ server }) => {
      const w = await createWorld(server);
      logs.length = 0;
      const created = await w.admin.post('/api/billing-profiles', { name: 'Main', paymentMethod: card(MASTERCARD, 3, 2029), contact: CONTACT }).set('Idempotency-Key', 'k1').expect(201);
      expect(created.body.paymentMethod).toEqual({ type: 'credit-card', brand: 'mastercard', last4: '4444', expMonth: 3, expYear: 2029 });
      const patched = await w.admin.patch(`/api/billing-profiles/${created.body.id}`, { paymentMethod: card('3782 822463 10005', 4, 2031) }).expect(200);
      expect(patched.body.paymentMethod).toEqual({ type: 'credit-card', brand: 'amex', last4: '0005', expMonth: 4, expYear: 2031 });
      const row = await server.database.db.selectFrom('billing_profiles').selectAll().where('id', '=', created.body.id).executeTakeFirstOrThrow();
      expect(JSON.parse(row.payment_method)).toEqual({ type: 'credit-card', brand: 'amex', last4: '0005', expMonth: 4, expYear: 2031 });
      const read = await w.admin.get(`/api/billing-profiles/${created.body.id}`).expect(200);
      const seen = [await wholeDatabase(server), JSON.stringify([created.body, patched.body, read.body]), logs.join('\n')].join('\n');
      for (const number of [MASTERCARD, AMEX, '3782 822463 10005']) expect(seen).not.toContain(number);
    });

    test('a check-wire profile stores and shows only its type, and takes no card fields', async ({ server }) => {
      const w = await createWorld(server);
      const profile = await createProfile(w.admin, { paymentMethod: { type: 'check-wire' } });
      expect(profile.paymentMethod).toEqual({ type: 'check-wire' });
      const row = await server.database.db.selectFrom('billing_profiles').selectAll().where('id', '=', profile.id).executeTakeFirstOrThrow();
      expect(JSON.parse(row.payment_method)).toEqual({ type: 'check-wire' });
      const res = await w.admin.post('/api/billing-profiles', { name: 'X', paymentMethod: { type: 'check-wire', number: VISA }, contact: CONTACT }).expect(422);
      expect(res.body.code).toBe('validation_failed');
    });

    test('only an owner edits name, contact and payment method; a contributor or a tenant admin without a role gets 403', async ({ server }) => {
      const w = await createWorld(server);
      const profile = await createProfile(w.admin);
      const contact = { ...CONTACT, email: 'billing@contoso.example' };
      const res = await w.admin.patch(`/api/billing-profiles/${profile.id}`, { name: 'Renamed', contact, paymentMethod: { type: 'check-wire' } }).expect(200);
      expect(res.body).toMatchObject({ id: profile.id, name: 'Renamed', contact, paymentMethod: { type: 'check-wire' }, createdAt: profile.createdAt });
      expect((await w.admin.get(`/api/billing-profiles/${profile.id}`).expect(200)).body).toEqual(res.body);
      await grant(w.admin, profile.id, w.user.id, ['contributor']);
      expect((await w.user.patch(`/api/billing-profiles/${profile.id}`, { name: 'Mine' }).expect(403)).body.code).toBe('forbidden');
      await w.billingAdmin.patch(`/api/billing-profiles/${profile.id}`, { name: 'Mine' }).expect(403);
      expect((await w.admin.patch(`/api/billing-profiles/${profile.id}`, {}).expect(422)).body.code).toBe('validation_failed');
      expect((await w.admin.get(`/api/billing-profiles/${profile.id}`).expect(200)).body.name).toBe('Renamed');
    });
  });

  describe(`${backend}: billing profiles — roles`, () => {
    test('an owner grants roles, lists them, and removes them with an empty list', async ({ server }) => {
      const w = await createWorld(server);
      const profile = await createProfile(w.admin);
      const url = `/api/billing-profiles/${profile.id}/roles`;
      const put = await w.admin.put(`${url}/${w.user.id}`, { roles: ['invoice-manager', 'reader', 'reader'] }).expect(200);
      expect(put.body).toEqual({ userId: w.user.id, roles: ['reader', 'invoice-manager'] });
      const listed = (await w.admin.get(url).expect(200)).body.items;
      expect(listed).toHaveLength(2);
      expect(listed).toEqual(expect.arrayContaining([{ userId: w.admin.id, roles: ['owner'] }, { userId: w.user.id, roles: ['reader', 'invoice-manager'] }]));
      await w.user.get(`/api/billing-profiles/${profile.id}`).expect(200);
      expect((await w.admin.put(`${url}/${w.user.id}`, { roles: [] }).expect(200)).body).toEqual({ userId: w.user.id, roles: [] });
      expect((await w.admin.get(url).expect(200)).body.items).toEqual([{ userId: w.admin.id, roles: ['owner'] }]);
      await w.user.get(`/api/billing-profiles/${profile.id}`).expect(404);
    });

    test('the last owner cannot be removed or demoted (409 last_owner) until another owner exists', async ({ server }) => {
      const w = await createWorld(server);
      const profile = await createProfile(w.admin);
      const url = `/api/billing-profiles/${profile.id}/roles`;
      expect((await w.admin.put(`${url}/${w.admin.id}`, { roles: [] }).expect(409)).body.code).toBe('last_owner');
      await w.admin.put(`${url}/${w.admin.id}`, { roles: ['reader'] }).expect(409);
      expect((await w.admin.get(url).expect(200)).body.items).toEqual([{ userId: w.admin.id, roles: ['owner'] }]);
      await grant(w.admin, profile.id, w.billingAdmin.id, ['owner']);
      await w.admin.put(`${url}/${w.admin.id}`, { roles: ['reader'] }).expect(200);
      await w.admin.patch(`/api/billing-profiles/${profile.id}`, { name: 'No longer mine' }).expect(403);
      expect((await w.billingAdmin.put(`${url}/${w.billingAdmin.id}`, { roles: [] }).expect(409)).body.code).toBe('last_owner');
    });

    test("roles go only to users of the profile's tenant (422 validation_failed at userId)", async ({ server }) => {
      const w = await createWorld(server);
      const other = await otherTenant(server);
      const profile = await createProfile(w.admin);
      for (const userId of [other.admin.id, w.publisher.id, w.sales.id, 'prn_operator', 'prn_nobody']) {
        const res = await w.admin.put(`/api/billing-profiles/${profile.id}/roles/${userId}`, { roles: ['reader'] }).expect(422);
        expect(res.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'userId' }] });
      }
      expect((await w.admin.put(`/api/billing-profiles/${profile.id}/roles/${w.user.id}`, { roles: ['payer'] }).expect(422)).body.code).toBe('validation_failed');
    });

    test('only an owner manages roles: a contributor or a tenant admin without a role gets 403', async ({ server }) => {
      const w = await createWorld(server);
      const profile = await createProfile(w.admin);
      await grant(w.admin, profile.id, w.user.id, ['contributor']);
      const url = `/api/billing-profiles/${profile.id}/roles`;
      expect((await w.user.put(`${url}/${w.user.id}`, { roles: ['owner'] }).expect(403)).body.code).toBe('forbidden');
      await w.billingAdmin.put(`${url}/${w.billingAdmin.id}`, { roles: ['owner'] }).expect(403);
      expect((await w.admin.get(url).expect(200)).body.items).toHaveLength(2);
    });
  });
}
