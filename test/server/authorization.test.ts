import { describe, expect } from 'vitest';
import type { AccessKey, Audience } from '../../server/access.js';
import { ACCESS, audiencesOf } from '../../server/access.js';
import type { Principal } from '../../engine/principal.js';
import { BACKENDS } from '../helpers/databases.js';
import { activateViaPortal, buyDirect, createProfile } from '../helpers/flows.js';
import type { AuthedClient, TestServer } from '../helpers/server.js';
import { serverTest } from '../helpers/server.js';
import { createWorld } from '../helpers/world.js';

type Caller = { name: string; client: AuthedClient; principal: Principal };

const test = serverTest(BACKENDS[0]!);

async function callers(server: TestServer) {
  const world = await createWorld(server);
  const p = (id: string, kind: Principal['kind'], extra: Partial<Principal> = {}): Principal => ({
    id,
    kind,
    name: id,
    tenantId: null,
    roles: [],
    publisherId: null,
    partnerId: null,
    ...extra,
  });
  const list: Caller[] = [
    { name: 'operator', client: server.operator, principal: p('prn_operator', 'operator') },
    { name: 'global-admin', client: world.admin, principal: p(world.admin.id, 'user', { tenantId: world.tenant.id, roles: ['global-admin'] }) },
    { name: 'billing-admin', client: world.billingAdmin, principal: p(world.billingAdmin.id, 'user', { tenantId: world.tenant.id, roles: ['billing-admin'] }) },
    { name: 'user', client: world.user, principal: p(world.user.id, 'user', { tenantId: world.tenant.id }) },
    { name: 'publisher', client: world.publisher, principal: p(world.publisher.id, 'publisher', { publisherId: world.publisher.publisherId }) },
    { name: 'partner', client: world.partner, principal: p(world.partner.id, 'partner', { partnerId: world.partner.partnerId }) },
    { name: 'sales', client: world.sales, principal: p(world.sales.id, 'sales') },
  ];
  return { world, list };
}

describe('the authorization table, walked for every principal kind and role', () => {
  test('each allowed call is not refused (403); each other call is 403 or 404', async ({ server }) => {
    const { world, list } = await callers(server);
    const profile = await createProfile(world);
    // Every user is an owner of the profile, so that table-allowed calls are not refused by a role.
    for (const who of [world.billingAdmin, world.user]) await world.admin.put(`/api/billing-profiles/${profile}/roles/${who.id}`, { roles: ['owner'] }).expect(200);
    const subscription = await buyDirect(world, profile, 5);
    await activateViaPortal(world, subscription);
    const invoice = (await world.admin.get(`/api/subscriptions/${subscription}/invoices`).expect(200)).body.items[0].id as string;
    const order = (await world.partner.post('/api/purchases', { channel: 'partner', tenantId: world.tenant.id, appId: world.app.id, planId: world.app.seatPlanId, quantity: 2 }).expect(201)).body.id as string;

    const line = { appId: world.app.id, planId: world.app.seatPlanId, quantity: 1 };
    const purchaseBodies: Record<string, object> = {
      direct: { channel: 'direct', source: 'appsource', ...line, billingProfileId: profile, acceptAgreement: true },
      partner: { channel: 'partner', tenantId: world.tenant.id, ...line },
      proposal: { channel: 'proposal', tenantId: world.tenant.id, lines: [line], expiresAt: '2027-01-01T00:00:00Z' },
    };
    const eventBodies: Record<string, object> = {
      OPEN_PUBLISHER_PORTAL: {},
      ACTIVATE: {},
      ASSIGN_LICENSES: { userIds: ['u1'] },
      UNASSIGN_LICENSES: { userIds: ['u1'] },
      CHANGE_QUANTITY: { quantity: 6 },
      CHANGE_BILLING_PROFILE: { billingProfileId: profile },
      SET_AUTO_RENEW: { autoRenew: true },
      CANCEL: {},
      ACCEPT: { billingProfileId: profile, acceptAgreement: true },
      DECLINE: {},
    };
    const bodies: Partial<Record<AccessKey, object>> = {
      'POST /api/operator/tenants': { name: 'T', country: 'US' },
      'POST /api/operator/publishers': { name: 'P', landingPageUrl: 'https://p.example/' },
      'POST /api/operator/partners': { name: 'R' },
      'POST /api/operator/principals': { kind: 'sales', name: 'S' },
      'POST /api/apps': { name: 'A', publisherId: world.publisher.publisherId, plans: [{ name: 'p', pricingModel: 'flat', billingTerm: 'P1M', price: { amount: 1, currency: 'USD' } }] },
      'POST /api/tenant/agreement': { accept: true },
      'POST /api/billing-profiles': { name: 'B', paymentMethod: { type: 'check-wire' }, contact: { name: 'n', address: 'a', email: 'e@x.example' } },
      'PATCH /api/billing-profiles/:id': { name: 'Renamed' },
      'PUT /api/billing-profiles/:id/roles/:userId': { roles: ['owner'] },
      'POST /api/publisher/resolve': { token: 'not-a-token' },
      'POST /api/invoices/:id/payments': { amount: { amount: 1, currency: 'USD' }, reference: 'r' },
      'POST /api/clock/advance': { ms: 0 },
    };
    const params: Record<string, string> = { ':id': subscription, ':userId': world.admin.id, ':name': 'subscription' };
    const pathFor = (route: string) => {
      const id = route.startsWith('/api/billing-profiles/') ? profile : route.startsWith('/api/invoices/') ? invoice : route.startsWith('/api/purchases/') ? order : route.startsWith('/api/apps/') ? world.app.id : route.startsWith('/api/operator/deliveries/') ? 'dlv_none' : subscription;
      return route.replace(':id', id).replace(/:(userId|name)/g, (m) => params[m]!);
    };

    const calls: { key: AccessKey; run: (c: AuthedClient) => Promise<number> }[] = [];
    for (const key of Object.keys(ACCESS) as AccessKey[]) {
      const [method, route, qualifier] = key.split(' ') as [string, string, string | undefined];
      if (route.endsWith('/stream')) continue; // walked separately below: it never ends on its own
      const path = pathFor(route);
      const body = qualifier?.startsWith('channel=') ? purchaseBodies[qualifier.slice(8)] : qualifier ? { type: qualifier, ...eventBodies[qualifier] } : bodies[key];
      if (qualifier === undefined && (route.endsWith('/events') || route === '/api/purchases') && method === 'POST') continue; // covered by the qualified rows
      const verb = method.toLowerCase() as 'get' | 'post' | 'put' | 'patch';
      calls.push({ key, run: async (c) => (await c[verb](path, body)).status });
    }

    const failures: string[] = [];
    for (const { key, run } of calls) {
      for (const caller of list) {
        const allowed = (ACCESS[key] as readonly Audience[]).some((a) => audiencesOf(caller.principal).has(a));
        const status = await run(caller.client);
        if (status >= 500) failures.push(`${key} as ${caller.name}: ${status}`);
        else if (allowed && status === 403) failures.push(`${key} as ${caller.name}: allowed by the table but refused with 403`);
        else if (!allowed && status !== 403 && status !== 404) failures.push(`${key} as ${caller.name}: not allowed but answered ${status}`);
      }
    }
    expect(failures).toEqual([]);
    expect(calls.length).toBeGreaterThanOrEqual(49);
  }, 120_000);

  test('the journal stream is open to tenant admins, the publisher and the operator only', async ({ server }) => {
    const { world, list } = await callers(server);
    const profile = await createProfile(world);
    const subscription = await buyDirect(world, profile, 1);
    const token = new Map<string, string>();
    for (const caller of list) {
      const header = (caller.client.get('/') as unknown as { header: Record<string, string> }).header.Authorization ?? '';
      token.set(caller.name, header.replace('Bearer ', ''));
    }
    for (const caller of list) {
      const controller = new AbortController();
      const res = await fetch(`${server.url}/api/instances/${subscription}/stream?token=${encodeURIComponent(token.get(caller.name)!)}`, { signal: controller.signal });
      controller.abort();
      const allowed = ['operator', 'global-admin', 'billing-admin', 'publisher'].includes(caller.name);
      expect(allowed ? res.status : [403, 404].includes(res.status) ? 'refused' : res.status, caller.name).toBe(allowed ? 200 : 'refused');
    }
  });
});
