import { DomainError } from '../../engine/errors.js';
import { newId } from '../../engine/ids.js';
import { DEFAULT_MAX_QUANTITY, DEFAULT_MIN_QUANTITY } from '../../machines/index.js';
import type { AppRow, PlanRow } from '../../storage/database.js';
import { findApp, insertApp, listApps, plansOf } from '../../storage/catalog.repository.js';
import { findPublisher } from '../../storage/parties.repository.js';
import { callerOf } from '../authenticate.js';
import { decodeCursor, page } from '../pagination.js';
import type { RouteModule } from '../router.js';
import { invalidField, validate } from '../validate.js';
import { appCreate, listQuery } from '../validators.js';

/** A plan as the API shows it. */
export function planView(row: PlanRow) {
  const perLicense = row.pricing_model === 'per-license';
  return {
    id: row.id,
    name: row.name,
    pricingModel: row.pricing_model,
    billingTerm: row.billing_term,
    price: { amount: row.price_amount, currency: row.currency },
    minQuantity: perLicense ? (row.min_quantity ?? DEFAULT_MIN_QUANTITY) : null,
    maxQuantity: perLicense ? (row.max_quantity ?? DEFAULT_MAX_QUANTITY) : null,
  };
}

function appView(app: AppRow, plans: readonly PlanRow[]) {
  return { id: app.id, publisherId: app.publisher_id, name: app.name, plans: plans.filter((p) => p.app_id === app.id).map(planView), createdAt: app.created_at };
}

/** The catalog: apps and their plans. */
export const catalogRoutes: RouteModule = (routes, ctx) => {
  const db = ctx.database.db;

  routes.define('POST /api/apps', async (req, res) => {
    const caller = callerOf(res);
    const body = validate(appCreate, req.body);
    let publisherId: string;
    if (caller.kind === 'publisher') {
      if (body.publisherId !== undefined && body.publisherId !== caller.publisherId) {
        throw new DomainError('forbidden', 'A publisher adds apps only to its own catalog: leave publisherId out.');
      }
      publisherId = caller.publisherId!;
    } else {
      if (!body.publisherId) throw invalidField('publisherId', 'required when the operator adds an app');
      if (!(await findPublisher(db, body.publisherId))) throw invalidField('publisherId', 'no such publisher');
      publisherId = body.publisherId;
    }
    const app: AppRow = { id: newId('app'), publisher_id: publisherId, name: body.name, created_at: new Date(ctx.runtime.clock.now()).toISOString() };
    const plans: PlanRow[] = body.plans.map((plan, position) => ({
      id: newId('pln'),
      app_id: app.id,
      name: plan.name,
      pricing_model: plan.pricingModel,
      billing_term: plan.billingTerm,
      price_amount: plan.price.amount,
      currency: plan.price.currency,
      min_quantity: plan.pricingModel === 'per-license' ? (plan.minQuantity ?? DEFAULT_MIN_QUANTITY) : null,
      max_quantity: plan.pricingModel === 'per-license' ? (plan.maxQuantity ?? DEFAULT_MAX_QUANTITY) : null,
      position,
    }));
    await insertApp(db, app, plans);
    res.status(201).json(appView(app, plans));
  });

  routes.define('GET /api/apps', async (req, res) => {
    const query = validate(listQuery, req.query, 'query');
    const [after] = decodeCursor(query.cursor, 1) ?? [];
    const apps = await listApps(db, after, query.limit + 1);
    const plans = await plansOf(db, apps.map((a) => a.id));
    res.json(page(apps, query.limit, (a) => appView(a, plans), (a) => [a.id]));
  });

  routes.define('GET /api/apps/:id', async (req, res) => {
    const app = await findApp(db, String(req.params.id));
    if (!app) throw new DomainError('not_found', `There is no app ${String(req.params.id)}.`);
    res.json(appView(app, await plansOf(db, [app.id])));
  });
};
