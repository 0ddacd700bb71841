import { DomainError } from '../../engine/errors.js';
import { acceptAgreement, findTenant } from '../../storage/tenants.repository.js';
import { callerOf } from '../authenticate.js';
import type { RouteModule } from '../router.js';
import { validate } from '../validate.js';
import { agreementAccept } from '../validators.js';
import { tenantView } from '../views.js';

/** The caller's tenant and its customer agreement. */
export const tenantRoutes: RouteModule = (routes, ctx) => {
  const db = ctx.database.db;
  const ownTenant = async (tenantId: string | null) => {
    const tenant = tenantId ? await findTenant(db, tenantId) : undefined;
    if (!tenant) throw new DomainError('not_found', 'Your tenant no longer exists.');
    return tenant;
  };

  routes.define('GET /api/tenant', async (_req, res) => {
    res.json(tenantView(await ownTenant(callerOf(res).tenantId)));
  });

  routes.define('POST /api/tenant/agreement', async (req, res) => {
    validate(agreementAccept, req.body);
    const tenant = await ownTenant(callerOf(res).tenantId);
    await acceptAgreement(db, tenant.id, new Date(ctx.runtime.clock.now()).toISOString());
    res.json(tenantView(await ownTenant(tenant.id)));
  });
};
