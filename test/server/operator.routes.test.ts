import { describe, expect } from 'vitest';
import { hashToken } from '../../engine/secrets.js';
import { BACKENDS } from '../helpers/databases.js';
import { serverTest } from '../helpers/server.js';

for (const backend of BACKENDS) {
  const test = serverTest(backend);

  describe(`${backend}: operator routes`, () => {
    test('a tenant gets the region of its billing country, or null', async ({ server }) => {
      const cases: [string, string | null][] = [['FR', 'France'], ['de', 'Germany'], ['NL', 'Western Europe'], ['US', 'United States'], ['JP', null]];
      for (const [country, region] of cases) {
        const res = await server.operator.post('/api/operator/tenants', { name: 'T', country }).expect(201);
        expect(res.body).toMatchObject({ country: country.toUpperCase(), region, agreementAcceptedAt: null });
        expect(res.body.id).toMatch(/^ten_/);
      }
    });

    test('a principal token is shown once and stored only as a hash', async ({ server }) => {
      const tenant = (await server.operator.post('/api/operator/tenants', { name: 'T', country: 'US' }).expect(201)).body;
      const res = await server.operator.post('/api/operator/principals', { kind: 'user', name: 'Ann', tenantId: tenant.id, roles: ['billing-admin'] }).expect(201);
      expect(res.body).toMatchObject({ kind: 'user', tenantId: tenant.id, roles: ['billing-admin'], publisherId: null, partnerId: null });
      const row = await server.database.db.selectFrom('principals').selectAll().where('id', '=', res.body.id).executeTakeFirstOrThrow();
      expect(row.token_hash).toBe(hashToken(res.body.token));
      expect(JSON.stringify(row)).not.toContain(res.body.token);
      await server.as(res.body.token).get('/api/tenant').expect(200);
    });

    test('principals are validated: a user needs a tenant, roles belong to users', async ({ server }) => {
      const res = await server.operator.post('/api/operator/principals', { kind: 'user', name: 'Ann' }).expect(422);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'validation_failed', status: 422, errors: [{ path: 'tenantId' }] });
      await server.operator.post('/api/operator/principals', { kind: 'sales', name: 'S', roles: ['global-admin'] }).expect(422);
      await server.operator.post('/api/operator/principals', { kind: 'user', name: 'Ann', tenantId: 'ten_missing' }).expect(422);
    });

    test('no token is 401, an unknown token is 401, a non-operator is 403', async ({ server }) => {
      expect((await server.http().post('/api/operator/tenants').send({ name: 'T', country: 'US' }).expect(401)).body.code).toBe('unauthenticated');
      await server.as('nope').post('/api/operator/tenants', { name: 'T', country: 'US' }).expect(401);
      const sales = (await server.operator.post('/api/operator/principals', { kind: 'sales', name: 'S' }).expect(201)).body;
      expect((await server.as(sales.token).post('/api/operator/tenants', { name: 'T', country: 'US' }).expect(403)).body.code).toBe('forbidden');
    });

    test('malformed JSON is 400 and a body over 100 kB is 413, as problem+json', async ({ server }) => {
      const bad = await server.operator.post('/api/operator/tenants').set('Content-Type', 'application/json').send('{"name":').expect(400);
      expect(bad.body).toMatchObject({ code: 'malformed_json', status: 400 });
      const big = await server.operator.post('/api/operator/tenants', { name: 'x'.repeat(110_000), country: 'US' }).expect(413);
      expect(big.body.code).toBe('payload_too_large');
      expect(JSON.stringify(big.body)).not.toMatch(/at .*\.js/);
    });
  });
}
