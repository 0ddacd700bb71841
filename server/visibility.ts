import { DomainError } from '../engine/errors.js';
import type { InstanceRecord } from '../engine/instance.js';
import type { Principal } from '../engine/principal.js';
import { isTenantAdmin } from '../engine/principal.js';
import type { MachineName } from '../machines/index.js';
import { rolesOf } from '../storage/billing-profiles.repository.js';
import type { ServerContext } from './context.js';
import { loadVisibleProfile } from './billing-profiles.js';

type Context = Record<string, unknown>;

// Who may see what (API.md): a tenant's users see its resources, a publisher the
// subscriptions of its apps, a partner what it bought; everything else is 404.
const SEES: Record<'subscription' | 'purchase', (p: Principal, c: Context) => boolean> = {
  subscription: (p, c) =>
    (p.kind === 'user' && p.tenantId === c.tenantId) ||
    (p.kind === 'publisher' && p.publisherId === c.publisherId) ||
    (p.kind === 'partner' && p.partnerId !== null && p.partnerId === c.partnerId),
  purchase: (p, c) =>
    (p.kind === 'user' && p.tenantId === c.tenantId) ||
    (p.kind === 'partner' && p.partnerId !== null && p.partnerId === c.partnerId) ||
    (p.kind === 'sales' && c.channel === 'proposal'),
};

function notFound(machine: MachineName, id: string): DomainError {
  return new DomainError('not_found', `There is no ${machine} ${id} that you can see.`);
}

async function load(ctx: ServerContext, machine: MachineName, id: string): Promise<InstanceRecord> {
  const record = await ctx.runtime.engine.get(id);
  if (!record || record.machine !== machine) throw notFound(machine, id);
  return record;
}

/** A subscription the caller may see, or 404. */
export async function visibleSubscription(ctx: ServerContext, principal: Principal, id: string): Promise<InstanceRecord> {
  const record = await load(ctx, 'subscription', id);
  if (!SEES.subscription(principal, record.persisted.context)) throw notFound('subscription', id);
  return record;
}

/** Whether the caller may see a subscription record. */
export function seesSubscription(principal: Principal, record: InstanceRecord): boolean {
  return SEES.subscription(principal, record.persisted.context);
}

/** A purchase the caller may see, or 404. */
export async function visiblePurchase(ctx: ServerContext, principal: Principal, id: string): Promise<InstanceRecord> {
  const record = await load(ctx, 'purchase', id);
  if (!SEES.purchase(principal, record.persisted.context)) throw notFound('purchase', id);
  return record;
}

/**
 * An invoice the caller may see — a tenant admin of its tenant, or a member of its billing
 * profile — with the caller's roles on that profile; otherwise 404.
 */
export async function visibleInvoice(ctx: ServerContext, principal: Principal, id: string): Promise<{ record: InstanceRecord; roles: string[] }> {
  const record = await load(ctx, 'invoice', id);
  const c = record.persisted.context;
  if (principal.kind !== 'user' || principal.tenantId !== c.tenantId) throw notFound('invoice', id);
  const roles = await rolesOf(ctx.database.db, String(c.billingProfileId), principal.id);
  if (roles.length === 0 && !isTenantAdmin(principal)) throw notFound('invoice', id);
  return { record, roles };
}

/**
 * A 404 unless the caller can see the resource at `/api<segment>/<id>`. The router asks
 * this of a principal the table refuses, so that what it may not see is 404 and only what
 * it sees but may not do is 403 (API.md, "Conventions"). Resources of other kinds resolve.
 */
export async function requireVisible(ctx: ServerContext, principal: Principal, segment: string, id: string): Promise<void> {
  if (segment === '/subscriptions') await visibleSubscription(ctx, principal, id);
  else if (segment === '/purchases') await visiblePurchase(ctx, principal, id);
  else if (segment === '/invoices') await visibleInvoice(ctx, principal, id);
  else if (segment === '/billing-profiles') await loadVisibleProfile(ctx, principal, id);
}
