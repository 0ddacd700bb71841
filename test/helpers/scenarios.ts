import type { MachineName } from '../../machines/index.js';
import type { AuthedClient, TestServer } from './server.js';
import type { World } from './world.js';

// Shortcuts shared by the HTTP scenario suites (purchases, handoff, time, invoices,
// conventions); each goes through the public API except `instanceCount`, which reads the
// database so that "nothing was created" covers instances the API would not list.

/** How many machine instances of a kind (every kind when not told) the database holds. */
export async function instanceCount(server: TestServer, machine?: MachineName): Promise<number> {
  let query = server.database.db.selectFrom('instances').select('id');
  if (machine) query = query.where('machine', '=', machine);
  return (await query.execute()).length;
}

/** A new user of a tenant, with tenant roles (none unless told). */
export async function addUser(server: TestServer, tenantId: string, roles: string[] = []): Promise<AuthedClient & { id: string }> {
  const res = await server.operator.post('/api/operator/principals', { kind: 'user', name: 'Another user', tenantId, roles }).expect(201);
  return Object.assign(server.as(res.body.token as string), { id: res.body.id as string });
}

/** Give a user roles on a billing profile, as one of its owners. */
export async function grantRoles(owner: AuthedClient, profileId: string, userId: string, roles: string[]): Promise<void> {
  await owner.put(`/api/billing-profiles/${profileId}/roles/${userId}`, { roles }).expect(200);
}

/** The body of a direct purchase of the world's seat plan (or flat plan) with a profile. */
export function directBody(world: World, billingProfileId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { channel: 'direct', source: 'azure-marketplace', appId: world.app.id, planId: world.app.seatPlanId, quantity: 3, billingProfileId, acceptAgreement: true, ...overrides };
}

/** The body of a partner order for the world's tenant (seat plan, 3 seats unless told). */
export function partnerBody(world: World, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { channel: 'partner', tenantId: world.tenant.id, appId: world.app.id, planId: world.app.seatPlanId, quantity: 3, ...overrides };
}

/** The body of a sales proposal for the world's tenant: the given lines, open for a week unless told. */
export function proposalBody(world: World, lines: object[], expiresAt = '2026-01-08T00:00:00.000Z'): Record<string, unknown> {
  return { channel: 'proposal', tenantId: world.tenant.id, lines, expiresAt };
}

/** Move the service's manual clock to an instant, firing what falls due. */
export async function advanceTo(server: TestServer, to: string): Promise<void> {
  await server.operator.post('/api/clock/advance', { to }).expect(200);
}
