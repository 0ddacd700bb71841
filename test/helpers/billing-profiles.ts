import type { AuthedClient, TestServer } from './server.js';

// Shared by the billing-profile suites: Luhn-valid test cards, a contact, and shortcuts.

/** A Luhn-valid Visa number, written as people type it. */
export const VISA = '4242 4242 4242 4242';
/** A Luhn-valid Mastercard number. */
export const MASTERCARD = '5555555555554444';
/** A Luhn-valid American Express number. */
export const AMEX = '378282246310005';

/** A credit-card payment method as a request gives it. */
export function card(number = VISA, expMonth = 12, expYear = 2030) {
  return { type: 'credit-card', number, expMonth, expYear };
}

export const CONTACT = { name: 'Contoso Accounts Payable', address: '1 Microsoft Way\nRedmond, WA 98052', email: 'ap@contoso.example' };

/** Create a profile as `client` (a tenant admin) and return its view. */
export async function createProfile(client: AuthedClient, overrides: Record<string, unknown> = {}): Promise<{ id: string; [key: string]: unknown }> {
  const res = await client.post('/api/billing-profiles', { name: 'Main', paymentMethod: card(), contact: CONTACT, ...overrides }).expect(201);
  return res.body;
}

/** Give `userId` roles on a profile, as its owner `owner`. */
export async function grant(owner: AuthedClient, profileId: string, userId: string, roles: string[]): Promise<void> {
  await owner.put(`/api/billing-profiles/${profileId}/roles/${userId}`, { roles }).expect(200);
}

/** A user principal of a tenant, as a client with its id. */
export async function newUser(server: TestServer, tenantId: string, roles: string[] = []): Promise<AuthedClient & { id: string }> {
  const res = await server.operator.post('/api/operator/principals', { kind: 'user', name: 'Someone', tenantId, roles }).expect(201);
  return Object.assign(server.as(res.body.token as string), { id: res.body.id as string });
}

/** Another tenant with its own global admin. */
export async function otherTenant(server: TestServer): Promise<{ tenantId: string; admin: AuthedClient & { id: string } }> {
  const tenant = (await server.operator.post('/api/operator/tenants', { name: 'Fourth Coffee', country: 'US' }).expect(201)).body;
  return { tenantId: tenant.id as string, admin: await newUser(server, tenant.id as string, ['global-admin']) };
}
