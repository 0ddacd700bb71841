import type { Principal } from '../engine/principal.js';
import { isTenantAdmin } from '../engine/principal.js';

/** Who a rule admits. Resource-level visibility (own tenant, own apps, billing roles) is checked after. */
export type Audience = 'authenticated' | 'operator' | 'tenant-user' | 'tenant-admin' | 'publisher' | 'partner' | 'sales';

// Principals are immutable and kept per token (authenticate.ts), and a request asks for
// its principal's audiences once per check: for the route, then for each event a view
// offers. Worked out once per principal object instead of a Set per check.
const audienceSets = new WeakMap<Principal, ReadonlySet<Audience>>();

/** The audiences a principal belongs to. */
export function audiencesOf(p: Principal): ReadonlySet<Audience> {
  let audiences = audienceSets.get(p);
  if (!audiences) audienceSets.set(p, (audiences = audiencesFromScratch(p)));
  return audiences;
}

function audiencesFromScratch(p: Principal): ReadonlySet<Audience> {
  const audiences = new Set<Audience>(['authenticated']);
  if (p.kind === 'user') audiences.add('tenant-user');
  if (isTenantAdmin(p)) audiences.add('tenant-admin');
  if (p.kind === 'operator' || p.kind === 'publisher' || p.kind === 'partner' || p.kind === 'sales') audiences.add(p.kind);
  return audiences;
}

/**
 * The one authorization table: every route, and every event or channel within a route,
 * with the audiences allowed. Routes are registered from it (a route without a row cannot
 * exist); `/api/openapi.json` and the README print it.
 */
export const ACCESS = {
  'POST /api/operator/tenants': ['operator'],
  'POST /api/operator/publishers': ['operator'],
  'POST /api/operator/partners': ['operator'],
  'POST /api/operator/principals': ['operator'],
  'GET /api/operator/deliveries': ['operator'],
  'POST /api/operator/deliveries/:id/redeliver': ['operator'],

  'POST /api/apps': ['publisher', 'operator'],
  'GET /api/apps': ['authenticated'],
  'GET /api/apps/:id': ['authenticated'],

  'GET /api/tenant': ['tenant-user'],
  'POST /api/tenant/agreement': ['tenant-admin'],

  'POST /api/billing-profiles': ['tenant-admin'],
  'GET /api/billing-profiles': ['tenant-user'],
  'GET /api/billing-profiles/:id': ['tenant-user'],
  'PATCH /api/billing-profiles/:id': ['tenant-user'],
  'GET /api/billing-profiles/:id/roles': ['tenant-user'],
  'PUT /api/billing-profiles/:id/roles/:userId': ['tenant-user'],
  'GET /api/billing-profiles/:id/invoices': ['tenant-user'],

  'POST /api/purchases': ['tenant-admin', 'partner', 'sales'],
  'POST /api/purchases channel=direct': ['tenant-admin'],
  'POST /api/purchases channel=partner': ['partner'],
  'POST /api/purchases channel=proposal': ['sales'],
  'GET /api/purchases': ['tenant-user', 'partner', 'sales'],
  'GET /api/purchases/:id': ['tenant-user', 'partner', 'sales'],
  'POST /api/purchases/:id/events': ['tenant-admin'],
  'POST /api/purchases/:id/events ACCEPT': ['tenant-admin'],
  'POST /api/purchases/:id/events DECLINE': ['tenant-admin'],

  'GET /api/subscriptions': ['tenant-user', 'publisher', 'partner'],
  'GET /api/subscriptions/:id': ['tenant-user', 'publisher', 'partner'],
  'POST /api/subscriptions/:id/events': ['tenant-admin', 'publisher'],
  'POST /api/subscriptions/:id/events OPEN_PUBLISHER_PORTAL': ['tenant-admin'],
  'POST /api/subscriptions/:id/events ACTIVATE': ['publisher'],
  'POST /api/subscriptions/:id/events ASSIGN_LICENSES': ['publisher'],
  'POST /api/subscriptions/:id/events UNASSIGN_LICENSES': ['publisher'],
  'POST /api/subscriptions/:id/events CHANGE_QUANTITY': ['tenant-admin'],
  'POST /api/subscriptions/:id/events CHANGE_BILLING_PROFILE': ['tenant-admin'],
  'POST /api/subscriptions/:id/events SET_AUTO_RENEW': ['tenant-admin'],
  'POST /api/subscriptions/:id/events CANCEL': ['tenant-admin'],
  'GET /api/subscriptions/:id/history': ['tenant-admin', 'publisher'],
  'GET /api/subscriptions/:id/licenses': ['tenant-admin', 'publisher'],
  'GET /api/subscriptions/:id/invoices': ['tenant-admin'],
  'POST /api/publisher/resolve': ['publisher'],

  'GET /api/invoices/:id': ['tenant-user'],
  'POST /api/invoices/:id/pay': ['tenant-user'],
  'POST /api/invoices/:id/payments': ['operator'],

  'GET /api/machines': ['authenticated'],
  'GET /api/machines/:name': ['authenticated'],
  'GET /api/machines/:name/diagram.svg': ['authenticated'],
  'GET /api/instances': ['operator'],
  'GET /api/instances/:id': ['operator'],
  'GET /api/instances/:id/stream': ['tenant-admin', 'publisher', 'operator'],
  'GET /api/clock': ['authenticated'],
  'POST /api/clock/advance': ['operator'],
} as const satisfies Readonly<Record<string, readonly Audience[]>>;

export type AccessKey = keyof typeof ACCESS;

/** Whether the principal may use a route, event or channel, by the table alone. */
export function mayAccess(p: Principal, key: AccessKey): boolean {
  const audiences = audiencesOf(p);
  return (ACCESS[key] as readonly Audience[]).some((a) => audiences.has(a));
}

/** The access key for an event or channel within a route, if the table has one. */
export function accessKeyFor(route: AccessKey, qualifier: string): AccessKey | undefined {
  const key = `${route} ${qualifier}`;
  return Object.hasOwn(ACCESS, key) ? (key as AccessKey) : undefined;
}
