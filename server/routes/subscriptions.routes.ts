import { z } from 'zod';
import { DomainError } from '../../engine/errors.js';
import type { UnitResult } from '../../engine/unit-of-work.js';
import { hashToken, newToken } from '../../engine/secrets.js';
import { recordOf } from '../../engine/sql-store.js';
import { invoiceView } from '../../engine/views.js';
import type { SubscriptionContext } from '../../machines/index.js';
import { activationIdOf } from '../../machines/index.js';
import { insertHandoffToken, findHandoffToken } from '../../storage/handoff-tokens.repository.js';
import { journalOf } from '../../storage/instances.repository.js';
import { listInstances } from '../../storage/instance-queries.repository.js';
import { findPublisher } from '../../storage/parties.repository.js';
import { callerOf } from '../authenticate.js';
import { requireUsableProfile } from '../billing-profiles.js';
import type { ServerContext } from '../context.js';
import { expectedVersionOf, sendVersioned, subscriptionViewFor } from '../machine-views.js';
import { decodeCursor, encodeCursor, page } from '../pagination.js';
import type { RouteModule } from '../router.js';
import { authorizeQualified } from '../router.js';
import { validate } from '../validate.js';
import { listQuery, resolveToken, subscriptionEvent } from '../validators.js';
import { visibleSubscription } from '../visibility.js';

// How long a request waits for the charges its event caused (an invoice issued at
// activation, renewal or a seat increase), so that the invoices it reads next are settled.
const CHARGE_WAIT_MS = 5_000;

// A history asked for without a limit comes whole, up to this many entries a page.
const HISTORY_MAX = 10_000;

/** Wait for the first attempt of the charges a unit wrote to the outbox. */
export async function settleCharges(ctx: ServerContext, result: UnitResult): Promise<void> {
  const charges = result.changeset.outbox.filter((o) => o.kind === 'charge').map((o) => o.id);
  await ctx.dispatcher.settle(charges, CHARGE_WAIT_MS);
}

function handoffUrl(landingPageUrl: string, token: string): string {
  const url = new URL(landingPageUrl);
  url.searchParams.set('token', token);
  return url.toString();
}

const subscriptionListQuery = listQuery.extend({
  status: z.enum(['pendingActivation', 'active', 'deactivated']).optional(),
  appId: z.string().max(100).optional(),
});

/** Subscriptions: views, lists, events, history, licenses and invoices; the publisher's token resolution. */
export const subscriptionRoutes: RouteModule = (routes, ctx) => {
  const db = ctx.database.db;
  // Lists and histories show what is committed: they read beside the writer, not behind its
  // commits (so do the other route modules' lists).
  const reader = ctx.database.reader;
  const engine = ctx.runtime.engine;

  routes.define('GET /api/subscriptions', async (req, res) => {
    const caller = callerOf(res);
    const query = validate(subscriptionListQuery, req.query, 'query');
    const after = decodeCursor(query.cursor, 2) as [string, string] | undefined;
    const owner =
      caller.kind === 'user' ? { tenantId: caller.tenantId ?? '' } : caller.kind === 'publisher' ? { publisherId: caller.publisherId ?? '' } : { partnerId: caller.partnerId ?? '' };
    const rows = await listInstances(reader, { machine: 'subscription', ...owner, status: query.status, appId: query.appId }, after, query.limit + 1);
    res.json(page(rows.map(recordOf), query.limit, (r) => subscriptionViewFor(caller, r), (r) => [r.createdAt, r.id]));
  });

  routes.define('GET /api/subscriptions/:id', async (req, res) => {
    const caller = callerOf(res);
    const record = await visibleSubscription(ctx, caller, String(req.params.id));
    sendVersioned(res, 200, record, subscriptionViewFor(caller, record));
  });

  routes.define('POST /api/subscriptions/:id/events', async (req, res) => {
    const caller = callerOf(res);
    const body = validate(subscriptionEvent, req.body);
    // What the caller may not see is 404; then an event it may never send is 403, in any state.
    const record = await visibleSubscription(ctx, caller, String(req.params.id));
    authorizeQualified(res, 'POST /api/subscriptions/:id/events', body.type);
    const context = record.persisted.context as unknown as SubscriptionContext;
    const expectedVersion = expectedVersionOf(req.get('if-match'));
    let event: { type: string } & Record<string, unknown> = { ...body };
    let token: string | undefined;
    if (body.type === 'OPEN_PUBLISHER_PORTAL') {
      token = newToken('hdf');
      event = { type: body.type, tokenHash: hashToken(token) };
    }
    if (body.type === 'CHANGE_BILLING_PROFILE') await requireUsableProfile(ctx, caller, context.tenantId, body.billingProfileId);
    const result = await engine.send(record.id, event, { principalId: caller.id, expectedVersion });
    if (token) {
      // Written once the token is issued (a refused event writes nothing) and before anyone
      // is given it: the publisher can only resolve it after this answer. Were this write
      // to fail, the issued hash would name no row, and opening the portal again replaces it.
      await insertHandoffToken(db, { token_hash: event.tokenHash as string, activation_id: activationIdOf(record.id), subscription_id: record.id, created_at: result.primary.updatedAt });
    }
    await settleCharges(ctx, result);
    const view: Record<string, unknown> = subscriptionViewFor(caller, result.primary);
    if (token) {
      const publisher = await findPublisher(db, context.publisherId);
      const activation = result.touched.get(activationIdOf(record.id));
      view.handoff = { url: handoffUrl(publisher?.landing_page_url ?? 'https://invalid.example/', token), token, expiresAt: activation?.persisted.context.tokenExpiresAt ?? null };
    }
    sendVersioned(res, 200, result.primary, view);
  });

  routes.define('GET /api/subscriptions/:id/history', async (req, res) => {
    const caller = callerOf(res);
    const record = await visibleSubscription(ctx, caller, String(req.params.id));
    // The whole history by default; a `limit` pages it like any list (1–200).
    const query = validate(listQuery.extend({ limit: z.coerce.number().int().min(1).max(200).optional() }), req.query, 'query');
    const limit = query.limit ?? HISTORY_MAX;
    const [after] = decodeCursor(query.cursor, 1) ?? ['0'];
    const rows = await journalOf(reader, record.id, Number(after), limit + 1);
    const items = rows.slice(0, limit).map((j) => ({
      seq: j.seq,
      at: j.at,
      principalId: j.principal_id,
      event: JSON.parse(j.event) as unknown,
      from: j.from_state === null ? null : (JSON.parse(j.from_state) as unknown),
      to: JSON.parse(j.to_state) as unknown,
    }));
    res.json({ items, nextCursor: rows.length > limit ? encodeCursor([String(items.at(-1)!.seq)]) : null });
  });

  routes.define('GET /api/subscriptions/:id/licenses', async (req, res) => {
    const record = await visibleSubscription(ctx, callerOf(res), String(req.params.id));
    const context = record.persisted.context as unknown as SubscriptionContext;
    res.set('ETag', `"${record.version}"`).json({ quantity: context.quantity, assigned: context.assignedUserIds });
  });

  routes.define('GET /api/subscriptions/:id/invoices', async (req, res) => {
    const record = await visibleSubscription(ctx, callerOf(res), String(req.params.id));
    const query = validate(listQuery, req.query, 'query');
    const after = decodeCursor(query.cursor, 2) as [string, string] | undefined;
    const rows = await listInstances(reader, { machine: 'invoice', parentId: record.id }, after, query.limit + 1);
    res.json(page(rows.map(recordOf), query.limit, invoiceView, (r) => [r.createdAt, r.id]));
  });

  routes.define('POST /api/publisher/resolve', async (req, res) => {
    const caller = callerOf(res);
    const { token } = validate(resolveToken, req.body);
    const tokenHash = hashToken(token);
    const handoff = await findHandoffToken(db, tokenHash);
    if (!handoff) throw new DomainError('not_found', 'This token is not one the service issued. Ask the customer to open your portal again from their admin center.');
    const subscription = await visibleSubscription(ctx, caller, handoff.subscription_id);
    await engine.send(handoff.activation_id, { type: 'RESOLVE', tokenHash }, { principalId: caller.id });
    const latest = (await engine.get(subscription.id)) ?? subscription;
    const c = latest.persisted.context as unknown as SubscriptionContext;
    res.json({ subscriptionId: c.id, tenantId: c.tenantId, appId: c.appId, planId: c.planId, pricingModel: c.plan.pricingModel, quantity: c.quantity });
  });
};
