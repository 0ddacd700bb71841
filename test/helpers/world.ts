import { expect } from 'vitest';
import type { AuthedClient, TestServer } from './server.js';

/** The parties and catalog most HTTP tests need, created through the API itself. */
export interface World {
  readonly tenant: { id: string; country: string };
  readonly admin: AuthedClient & { id: string };
  readonly billingAdmin: AuthedClient & { id: string };
  readonly user: AuthedClient & { id: string };
  readonly publisher: AuthedClient & { id: string; publisherId: string; webhookSecret: string };
  readonly partner: AuthedClient & { id: string; partnerId: string };
  readonly sales: AuthedClient & { id: string };
  readonly app: { id: string; flatPlanId: string; seatPlanId: string };
}

/** What creating a world needs of a server: the operator, and clients with other tokens. */
type Host = Pick<TestServer, 'operator' | 'as'>;

async function principal(server: Host, body: object) {
  const res = await server.operator.post('/api/operator/principals', body).expect(201);
  return Object.assign(server.as(res.body.token as string), { id: res.body.id as string });
}

/** Create a tenant (US unless told), its users, a publisher with an app, a partner and sales. */
export async function createWorld(server: Host, options: { country?: string; webhookUrl?: string } = {}): Promise<World> {
  const tenant = (await server.operator.post('/api/operator/tenants', { name: 'Contoso', country: options.country ?? 'US' }).expect(201)).body;
  const pub = (
    await server.operator
      .post('/api/operator/publishers', { name: 'Fabrikam', landingPageUrl: 'https://fabrikam.example/landing', webhookUrl: options.webhookUrl ?? null })
      .expect(201)
  ).body;
  const ptn = (await server.operator.post('/api/operator/partners', { name: 'Northwind' }).expect(201)).body;
  const admin = await principal(server, { kind: 'user', name: 'Ada Admin', tenantId: tenant.id, roles: ['global-admin'] });
  const billingAdmin = await principal(server, { kind: 'user', name: 'Bill Admin', tenantId: tenant.id, roles: ['billing-admin'] });
  const user = await principal(server, { kind: 'user', name: 'Una User', tenantId: tenant.id, roles: [] });
  const publisher = Object.assign(await principal(server, { kind: 'publisher', name: 'Fabrikam key', publisherId: pub.id }), {
    publisherId: pub.id as string,
    webhookSecret: pub.webhookSecret as string,
  });
  const partner = Object.assign(await principal(server, { kind: 'partner', name: 'Northwind key', partnerId: ptn.id }), { partnerId: ptn.id as string });
  const sales = await principal(server, { kind: 'sales', name: 'Sales desk' });
  const app = (
    await publisher
      .post('/api/apps', {
        name: 'Sketchbook',
        plans: [
          { name: 'Site', pricingModel: 'flat', billingTerm: 'P1Y', price: { amount: 120_000, currency: 'USD' } },
          { name: 'Team', pricingModel: 'per-license', billingTerm: 'P1M', price: { amount: 1000, currency: 'USD' }, minQuantity: 1, maxQuantity: 50 },
        ],
      })
      .expect(201)
  ).body;
  expect(app.plans).toHaveLength(2);
  return {
    tenant,
    admin,
    billingAdmin,
    user,
    publisher,
    partner,
    sales,
    app: { id: app.id, flatPlanId: app.plans[0].id, seatPlanId: app.plans[1].id },
  };
}
