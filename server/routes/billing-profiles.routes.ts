import type { StoredPaymentMethod } from '../../engine/charges.js';
import { DomainError } from '../../engine/errors.js';
import { newId } from '../../engine/ids.js';
import { isTenantAdmin } from '../../engine/principal.js';
import { recordOf } from '../../engine/sql-store.js';
import { invoiceView } from '../../engine/views.js';
import {
  insertBillingProfile,
  listBillingProfiles,
  rolesOnProfile,
  setRoles,
  updateBillingProfile,
} from '../../storage/billing-profiles.repository.js';
import type { BillingProfileRow, BillingProfileRowUpdate } from '../../storage/database.js';
import { listInstances } from '../../storage/instance-queries.repository.js';
import { findPrincipal } from '../../storage/parties.repository.js';
import { callerOf } from '../authenticate.js';
import { loadVisibleProfile, requireProfileRole } from '../billing-profiles.js';
import { decodeCursor, page } from '../pagination.js';
import { paymentMethodView, storedPaymentMethod } from '../payment-method.js';
import type { RouteModule } from '../router.js';
import { invalidField, validate } from '../validate.js';
import { BILLING_ROLES, billingProfileCreate, billingProfilePatch, listQuery, rolesPut } from '../validators.js';

/** The billing profile view of API.md. */
export function billingProfileView(row: BillingProfileRow) {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    paymentMethod: paymentMethodView(JSON.parse(row.payment_method) as StoredPaymentMethod),
    contact: JSON.parse(row.contact) as { name: string; address: string; email: string },
    createdAt: row.created_at,
  };
}

/** Billing profiles (SPEC §6): create, list, view, edit, roles, and their invoices. */
export const billingProfileRoutes: RouteModule = (routes, ctx) => {
  const db = ctx.database.db;
  const reader = ctx.database.reader;
  const now = () => ctx.runtime.clock.now();

  routes.define('POST /api/billing-profiles', async (req, res) => {
    const caller = callerOf(res);
    const body = validate(billingProfileCreate, req.body);
    const row: BillingProfileRow = {
      id: newId('bpr'),
      // The table admits only tenant admins, who are users of a tenant.
      tenant_id: caller.tenantId!,
      name: body.name,
      payment_method: JSON.stringify(storedPaymentMethod(body.paymentMethod, now())),
      contact: JSON.stringify(body.contact),
      created_at: new Date(now()).toISOString(),
    };
    await insertBillingProfile(db, row, caller.id);
    res.status(201).json(billingProfileView(row));
  });

  routes.define('GET /api/billing-profiles', async (req, res) => {
    const caller = callerOf(res);
    const query = validate(listQuery, req.query, 'query');
    const [after] = decodeCursor(query.cursor, 1) ?? [];
    // Tenant admins see every profile of their tenant; other users only those they hold a role on.
    const memberId = isTenantAdmin(caller) ? null : caller.id;
    const rows = await listBillingProfiles(db, caller.tenantId!, memberId, after, query.limit + 1);
    res.json(page(rows, query.limit, billingProfileView, (r) => [r.id]));
  });

  routes.define('GET /api/billing-profiles/:id', async (req, res) => {
    const profile = await loadVisibleProfile(ctx, callerOf(res), String(req.params.id));
    res.json(billingProfileView(profile.row));
  });

  routes.define('PATCH /api/billing-profiles/:id', async (req, res) => {
    const profile = await loadVisibleProfile(ctx, callerOf(res), String(req.params.id));
    // Authorization before validation: a reader learns it may not edit, whatever it sent.
    requireProfileRole(profile, ['owner'], 'edit it');
    const body = validate(billingProfilePatch, req.body);
    const changes: BillingProfileRowUpdate = {};
    if (body.name !== undefined) changes.name = body.name;
    if (body.contact !== undefined) changes.contact = JSON.stringify(body.contact);
    if (body.paymentMethod !== undefined) changes.payment_method = JSON.stringify(storedPaymentMethod(body.paymentMethod, now()));
    await updateBillingProfile(db, profile.row.id, changes);
    res.json(billingProfileView({ ...profile.row, ...changes }));
  });

  routes.define('GET /api/billing-profiles/:id/roles', async (req, res) => {
    const profile = await loadVisibleProfile(ctx, callerOf(res), String(req.params.id));
    const rows = await rolesOnProfile(db, profile.row.id);
    res.json({ items: rows.map((r) => ({ userId: r.user_id, roles: JSON.parse(r.roles) as string[] })) });
  });

  routes.define('PUT /api/billing-profiles/:id/roles/:userId', async (req, res) => {
    const profile = await loadVisibleProfile(ctx, callerOf(res), String(req.params.id));
    requireProfileRole(profile, ['owner'], 'manage its roles');
    const body = validate(rolesPut, req.body);
    const userId = String(req.params.userId);
    const user = await findPrincipal(db, userId);
    if (!user || user.kind !== 'user' || user.tenant_id !== profile.row.tenant_id) {
      throw invalidField('userId', "not a user of the profile's tenant");
    }
    // One canonical form: each role once, in the order API.md lists them.
    const roles = BILLING_ROLES.filter((role) => body.roles.includes(role));
    if (!(await setRoles(db, profile.row.id, userId, roles))) {
      throw new DomainError('last_owner', 'This change would leave the billing profile without an owner. Make someone else an owner first.');
    }
    res.json({ userId, roles });
  });

  routes.define('GET /api/billing-profiles/:id/invoices', async (req, res) => {
    const profile = await loadVisibleProfile(ctx, callerOf(res), String(req.params.id));
    const query = validate(listQuery, req.query, 'query');
    const position = decodeCursor(query.cursor, 2);
    const after = position ? ([position[0]!, position[1]!] as const) : undefined;
    const rows = await listInstances(reader, { machine: 'invoice', billingProfileId: profile.row.id }, after, query.limit + 1);
    res.json(page(rows, query.limit, (r) => invoiceView(recordOf(r)), (r) => [r.created_at, r.id]));
  });
};
