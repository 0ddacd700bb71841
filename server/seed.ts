import { newId } from '../engine/ids.js';
import { hashToken, newToken } from '../engine/secrets.js';
import { regionOf } from '../machines/index.js';
import type { Database } from '../storage/database.js';
import { insertBillingProfile } from '../storage/billing-profiles.repository.js';
import { insertApp } from '../storage/catalog.repository.js';
import { hasOperator, insertPartner, insertPrincipal, insertPublisher } from '../storage/parties.repository.js';
import { insertTenant } from '../storage/tenants.repository.js';
import { randomBytes } from 'node:crypto';

/** Tokens of the demo's principals, printed once at start. */
export interface DemoTokens {
  readonly admin: string;
  readonly billingAdmin: string;
  readonly publisher: string;
  readonly partner: string;
  readonly sales: string;
  readonly webhookSecret: string;
}

/** Whether the database has never been seeded or used (no tenant, no publisher). */
export async function isEmpty(database: Database): Promise<boolean> {
  const tenant = await database.db.selectFrom('tenants').select('id').limit(1).executeTakeFirst();
  const publisher = await database.db.selectFrom('publishers').select('id').limit(1).executeTakeFirst();
  return !tenant && !publisher;
}

/** Make sure an operator can sign in: the configured token, or a new one on a database without an operator. */
export async function ensureOperator(database: Database, configured: string | undefined, now: string): Promise<string | undefined> {
  if (configured) {
    const hash = hashToken(configured);
    const known = await database.db.selectFrom('principals').select('id').where('token_hash', '=', hash).executeTakeFirst();
    if (!known) await insertPrincipal(database.db, principal('operator', 'Operator', hash, now));
    return undefined;
  }
  if (await hasOperator(database.db)) return undefined;
  const token = newToken('op');
  await insertPrincipal(database.db, principal('operator', 'Operator', hashToken(token), now));
  return token;
}

function principal(kind: string, name: string, tokenHash: string, now: string, extra: { tenant_id?: string; roles?: string[]; publisher_id?: string; partner_id?: string } = {}) {
  return {
    id: newId('prn'),
    kind,
    name,
    tenant_id: extra.tenant_id ?? null,
    roles: JSON.stringify(extra.roles ?? []),
    publisher_id: extra.publisher_id ?? null,
    partner_id: extra.partner_id ?? null,
    token_hash: tokenHash,
    created_at: now,
  };
}

/**
 * The demo: a tenant in the United States with an admin and a billing admin, a publisher
 * whose portal is this service's own /publisher page, apps with a flat and a per-license
 * plan, a partner, the sales desk, and a billing profile paying by card.
 */
export async function seedDemo(database: Database, baseUrl: string, now: string): Promise<DemoTokens> {
  const db = database.db;
  const tenantId = newId('ten');
  await insertTenant(db, { id: tenantId, name: 'Contoso', country: 'US', region: regionOf('US'), agreement_accepted_at: null, created_at: now });
  const publisherId = newId('pub');
  const webhookSecret = `whsec_${randomBytes(24).toString('base64url')}`;
  await insertPublisher(db, { id: publisherId, name: 'Fabrikam', landing_page_url: `${baseUrl}/publisher`, webhook_url: null, webhook_secret: webhookSecret, created_at: now });
  const partnerId = newId('ptn');
  await insertPartner(db, { id: partnerId, name: 'Northwind Reseller', created_at: now });

  const tokens = { admin: newToken('user'), billingAdmin: newToken('user'), publisher: newToken('publisher'), partner: newToken('partner'), sales: newToken('sales') };
  const admin = principal('user', 'Ada Admin', hashToken(tokens.admin), now, { tenant_id: tenantId, roles: ['global-admin'] });
  await insertPrincipal(db, admin);
  await insertPrincipal(db, principal('user', 'Bill Admin', hashToken(tokens.billingAdmin), now, { tenant_id: tenantId, roles: ['billing-admin'] }));
  await insertPrincipal(db, principal('publisher', 'Fabrikam portal', hashToken(tokens.publisher), now, { publisher_id: publisherId }));
  await insertPrincipal(db, principal('partner', 'Northwind', hashToken(tokens.partner), now, { partner_id: partnerId }));
  await insertPrincipal(db, principal('sales', 'Sales desk', hashToken(tokens.sales), now));

  const plan = (appId: string, position: number, name: string, pricing: 'flat' | 'per-license', term: 'P1M' | 'P1Y', amount: number) => ({
    id: newId('pln'),
    app_id: appId,
    name,
    pricing_model: pricing,
    billing_term: term,
    price_amount: amount,
    currency: 'USD',
    min_quantity: pricing === 'per-license' ? 1 : null,
    max_quantity: pricing === 'per-license' ? 500 : null,
    position,
  });
  const sketch = newId('app');
  await insertApp(db, { id: sketch, publisher_id: publisherId, name: 'Sketchbook', created_at: now }, [
    plan(sketch, 0, 'Site licence', 'flat', 'P1Y', 120_000),
    plan(sketch, 1, 'Team', 'per-license', 'P1M', 1_200),
  ]);
  const ledger = newId('app');
  await insertApp(db, { id: ledger, publisher_id: publisherId, name: 'Ledgerly', created_at: now }, [plan(ledger, 0, 'Per seat', 'per-license', 'P1Y', 9_900)]);

  await insertBillingProfile(
    db,
    {
      id: newId('bpr'),
      tenant_id: tenantId,
      name: 'Contoso HQ',
      payment_method: JSON.stringify({ type: 'credit-card', brand: 'visa', last4: '4242', expMonth: 12, expYear: 2030 }),
      contact: JSON.stringify({ name: 'Contoso Accounts Payable', address: '1 Microsoft Way\nRedmond, WA 98052', email: 'ap@contoso.example' }),
      created_at: now,
    },
    admin.id,
  );
  return { ...tokens, webhookSecret };
}
