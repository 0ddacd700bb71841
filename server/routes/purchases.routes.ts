import { DomainError } from '../../engine/errors.js';
import { newId } from '../../engine/ids.js';
import { recordOf } from '../../engine/sql-store.js';
import type { InstanceRecord } from '../../engine/instance.js';
import type { Principal } from '../../engine/principal.js';
import type { PlanTerms, PurchaseInput, PurchaseLine } from '../../machines/index.js';
import { purchaseRefusal } from '../../machines/index.js';
import { findApp, plansOf } from '../../storage/catalog.repository.js';
import { listInstances } from '../../storage/instance-queries.repository.js';
import { acceptAgreement, findTenant } from '../../storage/tenants.repository.js';
import type { TenantRow } from '../../storage/database.js';
import { callerOf } from '../authenticate.js';
import { requireUsableProfile } from '../billing-profiles.js';
import type { ServerContext } from '../context.js';
import { expectedVersionOf, purchaseViewFor, sendVersioned } from '../machine-views.js';
import { decodeCursor, filteredPage, page } from '../pagination.js';
import type { RouteModule } from '../router.js';
import { authorizeQualified } from '../router.js';
import { invalidField, validate } from '../validate.js';
import { listQuery, purchaseCreate, purchaseEvent } from '../validators.js';
import { visiblePurchase } from '../visibility.js';
import type { z } from 'zod';
import { planView } from './catalog.routes.js';

type LineRequest = { appId: string; planId: string; quantity?: number | null };

/** Look up each requested line's app and plan; unknown ones are 422 with the field's path. */
async function resolveLines(ctx: ServerContext, lines: readonly LineRequest[], pathOf: (i: number, field: string) => string): Promise<PurchaseLine[]> {
  const resolved: PurchaseLine[] = [];
  for (const [i, line] of lines.entries()) {
    const app = await findApp(ctx.database.db, line.appId);
    if (!app) throw invalidField(pathOf(i, 'appId'), 'no such app');
    const plan = (await plansOf(ctx.database.db, [app.id])).find((p) => p.id === line.planId);
    if (!plan) throw invalidField(pathOf(i, 'planId'), 'no such plan of this app');
    const view = planView(plan);
    const terms: PlanTerms = {
      appName: app.name,
      planName: plan.name,
      pricingModel: view.pricingModel as PlanTerms['pricingModel'],
      billingTerm: view.billingTerm as PlanTerms['billingTerm'],
      price: view.price,
      minQuantity: view.minQuantity ?? 1,
      maxQuantity: view.maxQuantity ?? 1,
    };
    resolved.push({ appId: app.id, planId: plan.id, publisherId: app.publisher_id, plan: terms, quantity: line.quantity ?? null, subscriptionId: newId('sub') });
  }
  return resolved;
}

function refuse(refusal: NonNullable<ReturnType<typeof purchaseRefusal>>, lines: readonly PurchaseLine[], pathOf: (i: number, field: string) => string): never {
  const line = refusal.line === undefined ? undefined : lines[refusal.line];
  switch (refusal.code) {
    case 'unsupported_region':
      throw new DomainError('unsupported_region', "Third-party apps can't be bought for a tenant billed in this country: its billing country is not in a supported region.");
    case 'quantity_out_of_range':
      throw new DomainError('quantity_out_of_range', `The quantity must be between ${line?.plan.minQuantity} and ${line?.plan.maxQuantity} for this plan.`);
    case 'agreement_required':
      throw new DomainError('agreement_required', 'Accept the customer agreement first: send acceptAgreement: true, or POST /api/tenant/agreement.');
    default:
      throw invalidField(
        pathOf(refusal.line ?? 0, 'quantity'),
        line?.plan.pricingModel === 'flat' ? 'must be absent or null for a flat plan' : 'an integer is required for a per-license plan',
      );
  }
}

async function tenantFor(ctx: ServerContext, caller: Principal, body: z.output<typeof purchaseCreate>): Promise<TenantRow> {
  const id = body.channel === 'direct' ? caller.tenantId : body.tenantId;
  const tenant = id ? await findTenant(ctx.database.db, id) : undefined;
  if (!tenant) throw invalidField('tenantId', 'no such tenant');
  return tenant;
}

/** Purchases through every channel, and a tenant admin's ACCEPT or DECLINE. */
export const purchaseRoutes: RouteModule = (routes, ctx) => {
  const db = ctx.database.db;
  const reader = ctx.database.reader;
  const now = () => new Date(ctx.runtime.clock.now()).toISOString();

  routes.define('POST /api/purchases', async (req, res) => {
    const caller = callerOf(res);
    const body = validate(purchaseCreate, req.body);
    authorizeQualified(res, 'POST /api/purchases', `channel=${body.channel}`);
    const tenant = await tenantFor(ctx, caller, body);
    const requested: LineRequest[] = body.channel === 'proposal' ? body.lines : [body];
    const pathOf = (i: number, field: string) => (body.channel === 'proposal' ? `lines.${i}.${field}` : field);
    const lines = await resolveLines(ctx, requested, pathOf);
    const acceptsNow = body.channel === 'direct' && body.acceptAgreement === true;
    const refusal = purchaseRefusal({ region: tenant.region, channel: body.channel, agreementAccepted: tenant.agreement_accepted_at !== null || acceptsNow, lines });
    if (refusal) refuse(refusal, lines, pathOf);
    if (body.channel === 'direct') {
      await requireUsableProfile(ctx, caller, tenant.id, body.billingProfileId);
      if (body.replaces) {
        const replaced = await ctx.runtime.engine.get(body.replaces);
        if (!replaced || replaced.machine !== 'subscription' || replaced.persisted.context.tenantId !== tenant.id) throw invalidField('replaces', 'no such subscription of this tenant');
      }
    }
    if (body.channel === 'proposal' && Date.parse(body.expiresAt) <= ctx.runtime.clock.now()) throw invalidField('expiresAt', 'must be in the future');
    if (acceptsNow && tenant.agreement_accepted_at === null) await acceptAgreement(db, tenant.id, now());
    const id = newId('pur');
    const input: Omit<PurchaseInput, 'at'> = {
      id,
      channel: body.channel,
      source: body.channel === 'direct' ? body.source : null,
      tenantId: tenant.id,
      partnerId: body.channel === 'partner' ? caller.partnerId : null,
      lines,
      expiresAt: body.channel === 'proposal' ? new Date(body.expiresAt).toISOString() : null,
      billingProfileId: body.channel === 'direct' ? body.billingProfileId : null,
      replaces: body.channel === 'direct' ? (body.replaces ?? null) : null,
    };
    const { primary } = await ctx.runtime.engine.create('purchase', id, input, caller.id);
    res.location(`/api/purchases/${id}`);
    sendVersioned(res, 201, primary, purchaseViewFor(caller, primary));
  });

  routes.define('GET /api/purchases', async (req, res) => {
    const caller = callerOf(res);
    const query = validate(listQuery, req.query, 'query');
    const after = decodeCursor(query.cursor, 2) as [string, string] | undefined;
    const view = (r: InstanceRecord) => purchaseViewFor(caller, r);
    const position = (r: InstanceRecord): [string, string] => [r.createdAt, r.id];
    if (caller.kind === 'sales') {
      // Sales sees the proposals, which no indexed column tells from other purchases.
      const read = async (from: [string, string] | undefined, count: number) => (await listInstances(reader, { machine: 'purchase' }, from, count)).map(recordOf);
      res.json(await filteredPage(read, (r) => r.persisted.context.channel === 'proposal', { after, limit: query.limit, view, position }));
      return;
    }
    const filter = caller.kind === 'user' ? { tenantId: caller.tenantId ?? '' } : { partnerId: caller.partnerId ?? '' };
    const rows = await listInstances(reader, { machine: 'purchase', ...filter }, after, query.limit + 1);
    res.json(page(rows.map(recordOf), query.limit, view, position));
  });

  routes.define('GET /api/purchases/:id', async (req, res) => {
    const caller = callerOf(res);
    const record = await visiblePurchase(ctx, caller, String(req.params.id));
    sendVersioned(res, 200, record, purchaseViewFor(caller, record));
  });

  routes.define('POST /api/purchases/:id/events', async (req, res) => {
    const caller = callerOf(res);
    const body = validate(purchaseEvent, req.body);
    // What the caller may not see is 404; then an event it may never send is 403, in any state.
    const record = await visiblePurchase(ctx, caller, String(req.params.id));
    authorizeQualified(res, 'POST /api/purchases/:id/events', body.type);
    const expectedVersion = expectedVersionOf(req.get('if-match'));
    let event: { type: string } & Record<string, unknown> = { type: body.type };
    let acceptsNow = false;
    if (body.type === 'ACCEPT') {
      const tenantId = String(record.persisted.context.tenantId);
      await requireUsableProfile(ctx, caller, tenantId, body.billingProfileId);
      const tenant = await findTenant(db, tenantId);
      // Accepting an order accepts the customer agreement if the tenant has not yet (SPEC.md:
      // ACCEPT is the tenant admin's agreement); only an explicit `acceptAgreement: false` declines it.
      acceptsNow = body.acceptAgreement !== false && tenant?.agreement_accepted_at === null;
      event = { type: 'ACCEPT', billingProfileId: body.billingProfileId, agreementAccepted: tenant?.agreement_accepted_at != null || acceptsNow };
    }
    const { primary } = await ctx.runtime.engine.send(record.id, event, { principalId: caller.id, expectedVersion });
    // Recorded once the purchase took the ACCEPT (a refusal, a stale If-Match or a concurrent
    // change records nothing), at the ACCEPT's time; the journal's ACCEPT says so too.
    if (acceptsNow) await acceptAgreement(db, String(primary.persisted.context.tenantId), primary.updatedAt);
    sendVersioned(res, 200, primary, purchaseViewFor(caller, primary));
  });
};
