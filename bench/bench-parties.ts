import { hashToken, newToken } from '../engine/secrets.js';
import { regionOf } from '../machines/index.js';
import type { Database } from '../storage/database.js';
import { insertBillingProfile } from '../storage/billing-profiles.repository.js';
import { insertPrincipal, insertPublisher } from '../storage/parties.repository.js';
import { insertTenant } from '../storage/tenants.repository.js';

// The tenant and admin that createActiveSubscriptions buys for (bench/subscriptions.ts):
// the admin's principal takes the id its events were journalled under.
const TENANT_ID = 'ten_bench';
const ADMIN_ID = 'usr_bench_admin';
const PUBLISHER_ID = 'pub_bench';
const BILLING_PROFILE_ID = 'bp_bench';

/**
 * Adds the parties the bench subscriptions name, as a running service holds them: the
 * tenant, its admin (a user with the global-admin role, stored as the service stores
 * principals: only the token's hash), the publisher (with no webhook URL, so that its
 * webhooks are read and then delivered as a no-op) and the billing profile (paying by
 * check or wire, so that a charge reads it and then waits for the operator). Returns the
 * admin's bearer token.
 */
export async function addBenchParties(database: Database, now: string): Promise<string> {
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
  await insertPublisher(database.db, { id: PUBLISHER_ID, name: 'Bench publisher', landing_page_url: 'https://publisher.invalid/landing', webhook_url: null, webhook_secret: 'whsec_bench', created_at: now });
  await insertBillingProfile(
    database.db,
    { id: BILLING_PROFILE_ID, tenant_id: TENANT_ID, name: 'Bench billing', payment_method: JSON.stringify({ type: 'check-wire' }), contact: JSON.stringify({ name: 'Bench billing', address: '1 Bench Way', email: 'billing@bench.invalid' }), created_at: now },
    ADMIN_ID,
  );
  return token;
}
