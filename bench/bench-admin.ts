import { hashToken, newToken } from '../engine/secrets.js';
import { regionOf } from '../machines/index.js';
import type { Database } from '../storage/database.js';
import { insertPrincipal } from '../storage/parties.repository.js';
import { insertTenant } from '../storage/tenants.repository.js';

// The tenant and admin that createActiveSubscriptions buys for (bench/subscriptions.ts):
// the admin's principal takes the id its events were journalled under.
const TENANT_ID = 'ten_bench';
const ADMIN_ID = 'usr_bench_admin';

/**
 * Adds the bench tenant and a tenant admin (a user with the global-admin role) that the
 * service will accept, stored as the service stores principals: only the token's hash.
 * Returns the admin's bearer token.
 */
export async function addBenchAdmin(database: Database, now: string): Promise<string> {
  await insertTenant(database.db, { id: TENANT_ID, name: 'Bench', country: 'US', region: regionOf('US'), agreement_accepted_at: now, created_at: now });
  const token = newToken('user');
  await insertPrincipal(database.db, {
    id: ADMIN_ID,
    kind: 'user',
    name: 'Bench admin',
    tenant_id: TENANT_ID,
    roles: JSON.stringify(['global-admin']),
    publisher_id: null,
    partner_id: null,
    token_hash: hashToken(token),
    created_at: now,
  });
  return token;
}
