import { hashToken } from '../../engine/secrets.js';
import { OPERATOR_TOKEN } from './service-process.js';
import type { HttpClient } from './http-client.js';

/** The seat range of the template's plan and its starting quantity: room both ways for CHANGE_QUANTITY. */
export const PLAN_SEATS = { min: 1, max: 50, start: 25 } as const;

/** Everything the clones of the template subscription are made from. */
export interface TemplateSubscription {
  readonly subscriptionId: string;
  readonly purchaseId: string;
  readonly tenantId: string;
  readonly billingProfileId: string;
  /** The tenant admin who bought it (its principal id is in the journal). */
  readonly adminId: string;
  /** That admin's bearer token. */
  readonly adminToken: string;
  /** The app and plan bought, and the publisher's key, for buying and activating more. */
  readonly appId: string;
  readonly planId: string;
  readonly publisherToken: string;
  /** The hash of the handoff token the portal issued (in the journal, the activation and handoff_tokens). */
  readonly handoffTokenHash: string;
}

/**
 * One active subscription made through the HTTP API as a customer would: the operator
 * registers a publisher with a seat-based app, a tenant and its admin; the admin adds a
 * billing profile paying by card and buys; the admin opens the publisher's portal, the
 * publisher resolves the token and activates, which issues and charges the first invoice.
 */
export async function createTemplate(client: HttpClient): Promise<TemplateSubscription> {
  const operator = (method: string, path: string, body: unknown) => client.expect<{ id: string; token: string }>(201, method, path, OPERATOR_TOKEN, body);
  const publisher = await operator('POST', '/api/operator/publishers', { name: 'Scale Apps', landingPageUrl: 'https://publisher.example/landing' });
  const publisherKey = await operator('POST', '/api/operator/principals', { kind: 'publisher', name: 'Scale Apps portal', publisherId: publisher.id });
  const app = await client.expect<{ id: string; plans: { id: string }[] }>(201, 'POST', '/api/apps', OPERATOR_TOKEN, {
    name: 'Seats',
    publisherId: publisher.id,
    plans: [{ name: 'Per seat', pricingModel: 'per-license', billingTerm: 'P1M', price: { amount: 1_000, currency: 'USD' }, minQuantity: PLAN_SEATS.min, maxQuantity: PLAN_SEATS.max }],
  });
  const tenant = await operator('POST', '/api/operator/tenants', { name: 'Tenant', country: 'US' });
  const admin = await operator('POST', '/api/operator/principals', { kind: 'user', name: 'Admin', tenantId: tenant.id, roles: ['global-admin'] });
  const profile = await client.expect<{ id: string }>(201, 'POST', '/api/billing-profiles', admin.token, {
    name: 'Main',
    paymentMethod: { type: 'credit-card', number: '4242 4242 4242 4242', expMonth: 12, expYear: 2030 },
    contact: { name: 'Accounts payable', address: '1 Main St\nSpringfield', email: 'ap@tenant.example' },
  });
  const purchase = await client.expect<{ id: string; subscriptionIds: string[] }>(201, 'POST', '/api/purchases', admin.token, {
    channel: 'direct',
    source: 'appsource',
    appId: app.id,
    planId: app.plans[0]!.id,
    quantity: PLAN_SEATS.start,
    billingProfileId: profile.id,
    acceptAgreement: true,
  });
  const subscriptionId = purchase.subscriptionIds[0]!;
  const events = `/api/subscriptions/${subscriptionId}/events`;
  const opened = await client.expect<{ handoff: { token: string } }>(200, 'POST', events, admin.token, { type: 'OPEN_PUBLISHER_PORTAL' });
  await client.expect(200, 'POST', '/api/publisher/resolve', publisherKey.token, { token: opened.handoff.token });
  const active = await client.expect<{ status: string }>(200, 'POST', events, publisherKey.token, { type: 'ACTIVATE' });
  if (active.status !== 'active') throw new Error(`the template subscription is ${active.status}, not active`);
  await deliveriesSettled(client);
  return {
    subscriptionId,
    purchaseId: purchase.id,
    tenantId: tenant.id,
    billingProfileId: profile.id,
    adminId: admin.id,
    adminToken: admin.token,
    appId: app.id,
    planId: app.plans[0]!.id,
    publisherToken: publisherKey.token,
    handoffTokenHash: hashToken(opened.handoff.token),
  };
}

// Clones of a pending delivery would all be due at once when the service starts again.
async function deliveriesSettled(client: HttpClient): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const pending = await client.expect<{ items: unknown[] }>(200, 'GET', '/api/operator/deliveries?status=pending', OPERATOR_TOKEN);
    if (pending.items.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the template's webhook deliveries are still pending after 5 s");
}
