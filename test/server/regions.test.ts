import { describe, expect } from 'vitest';
import { BACKENDS } from '../helpers/databases.js';
import { createProfile } from '../helpers/flows.js';
import { directBody, instanceCount, partnerBody, proposalBody } from '../helpers/scenarios.js';
import { serverTest } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import type { World } from '../helpers/world.js';
import { createWorld } from '../helpers/world.js';

/** Nothing of a purchase exists: no instance of any machine, none listed to the tenant or the buyers. */
async function expectNothingBought(server: TestServer, world: World) {
  expect(await instanceCount(server)).toBe(0);
  expect((await world.admin.get('/api/purchases').expect(200)).body.items).toEqual([]);
  expect((await world.admin.get('/api/subscriptions').expect(200)).body.items).toEqual([]);
  expect((await world.partner.get('/api/purchases').expect(200)).body.items).toEqual([]);
  expect((await world.sales.get('/api/purchases').expect(200)).body.items).toEqual([]);
}

for (const backend of BACKENDS) {
  const test = serverTest(backend);

  describe(`${backend}: supported regions (SPEC §3)`, () => {
    // Italy is Southern Europe in UN M49, not Western Europe; Japan is nowhere on the list.
    for (const country of ['IT', 'JP']) {
      test(`a tenant billed in ${country} can buy through no channel, and nothing is created`, async ({ server }) => {
        const world = await createWorld(server, { country });
        expect((await world.admin.get('/api/tenant').expect(200)).body).toMatchObject({ country, region: null });
        const profile = await createProfile(world);

        const direct = await world.admin.post('/api/purchases', directBody(world, profile)).expect(422);
        expect(direct.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(direct.body).toMatchObject({ status: 422, code: 'unsupported_region' });
        expect(direct.body.detail).toEqual(expect.any(String));
        const partner = await world.partner.post('/api/purchases', partnerBody(world)).expect(422);
        expect(partner.body.code).toBe('unsupported_region');
        const proposal = await world.sales
          .post('/api/purchases', proposalBody(world, [{ appId: world.app.id, planId: world.app.flatPlanId }, { appId: world.app.id, planId: world.app.seatPlanId, quantity: 2 }]))
          .expect(422);
        expect(proposal.body.code).toBe('unsupported_region');

        await expectNothingBought(server, world);
        // A refused purchase accepted nothing either: acceptAgreement rode on a purchase that never was.
        expect((await world.admin.get('/api/tenant').expect(200)).body.agreementAcceptedAt).toBeNull();
      });
    }

    test('the region is checked before the lines: an unsupported tenant gets unsupported_region even for a bad quantity', async ({ server }) => {
      const world = await createWorld(server, { country: 'BR' });
      const res = await world.partner.post('/api/purchases', partnerBody(world, { quantity: 500 })).expect(422);
      expect(res.body.code).toBe('unsupported_region');
      await expectNothingBought(server, world);
    });

    for (const [country, region] of [
      ['NL', 'Western Europe'],
      ['CH', 'Western Europe'],
      ['FR', 'France'],
      ['GB', 'United Kingdom'],
    ] as const) {
      test(`a tenant billed in ${country} (${region}) buys on every channel`, async ({ server }) => {
        const world = await createWorld(server, { country });
        expect((await world.admin.get('/api/tenant').expect(200)).body).toMatchObject({ country, region });
        const profile = await createProfile(world);

        const direct = await world.admin.post('/api/purchases', directBody(world, profile)).expect(201);
        expect(direct.body).toMatchObject({ channel: 'direct', state: 'placed', tenantId: world.tenant.id });
        const partner = await world.partner.post('/api/purchases', partnerBody(world)).expect(201);
        expect(partner.body.state).toBe('awaitingAgreement');
        const proposal = await world.sales.post('/api/purchases', proposalBody(world, [{ appId: world.app.id, planId: world.app.flatPlanId }])).expect(201);
        expect(proposal.body.state).toBe('awaitingAgreement');
        expect((await world.admin.get('/api/purchases').expect(200)).body.items).toHaveLength(3);
      });
    }
  });
}
