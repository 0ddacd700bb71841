import { DomainError } from '../engine/errors.js';
import type { Principal } from '../engine/principal.js';
import { isTenantAdmin } from '../engine/principal.js';
import { findBillingProfile, rolesOf } from '../storage/billing-profiles.repository.js';
import type { BillingProfileRow } from '../storage/database.js';
import type { ServerContext } from './context.js';
import type { BillingRole } from './validators.js';

// Who may see and use a billing profile (SPEC §6, API.md "Conventions"). Shared by the
// billing-profile routes and by every route that takes or shows a profile id (purchases,
// subscriptions, invoices), so that the 404/403/422 rules are decided in one place.

/** A profile the caller may see, with the caller's own roles on it (empty for a tenant admin without one). */
export interface VisibleProfile {
  readonly row: BillingProfileRow;
  readonly roles: readonly string[];
}

/** The caller's roles on a profile; always empty for a principal that is not a user. */
export async function rolesOfCaller(ctx: ServerContext, principal: Principal, profileId: string): Promise<string[]> {
  // Only users hold billing roles; asking for others' ids would only ever find nothing.
  if (principal.kind !== 'user') return [];
  return rolesOf(ctx.database.db, profileId, principal.id);
}

/**
 * The profile if the caller may see it: it is of the caller's tenant and the caller is a
 * tenant admin or has a role on it. Undefined otherwise, exactly as for an unknown id, so
 * that whether another tenant's profile exists never leaks.
 */
export async function findVisibleProfile(ctx: ServerContext, principal: Principal, id: string): Promise<VisibleProfile | undefined> {
  if (principal.kind !== 'user' || principal.tenantId === null) return undefined;
  const row = await findBillingProfile(ctx.database.db, id);
  if (!row || row.tenant_id !== principal.tenantId) return undefined;
  const roles = await rolesOfCaller(ctx, principal, id);
  return roles.length > 0 || isTenantAdmin(principal) ? { row, roles } : undefined;
}

/** The profile if the caller may see it (see `findVisibleProfile`), or a 404 `not_found`. */
export async function loadVisibleProfile(ctx: ServerContext, principal: Principal, id: string): Promise<VisibleProfile> {
  const visible = await findVisibleProfile(ctx, principal, id);
  if (!visible) throw new DomainError('not_found', `There is no billing profile ${id} that you can see. Ask a tenant admin for a role on it.`);
  return visible;
}

/** Whether the roles include one of those allowed. */
export function hasAnyRole(roles: readonly string[], allowed: readonly BillingRole[]): boolean {
  return roles.some((role) => (allowed as readonly string[]).includes(role));
}

/** A 403 `forbidden` unless the caller holds one of the allowed roles on a profile it sees; `what` completes "to …". */
export function requireProfileRole(profile: VisibleProfile, allowed: readonly BillingRole[], what: string): void {
  if (hasAnyRole(profile.roles, allowed)) return;
  throw new DomainError('forbidden', `Only a billing profile ${allowed.join(' or ')} may ${what}; ask an owner of ${profile.row.id} for that role.`);
}

/**
 * The profile named by a `billingProfileId` in a request body for a purchase or subscription
 * of `tenantId` (API.md "Conventions"): unknown or of another tenant is a 422
 * `invalid_billing_profile` (a body id names something usable or nothing, so there is no
 * 404 to give); of that tenant but the caller is not its owner or contributor is a 403
 * `forbidden`, even for a tenant admin (SPEC §6: buying with a profile takes one of those
 * roles).
 */
export async function requireUsableProfile(ctx: ServerContext, principal: Principal, tenantId: string, profileId: string): Promise<BillingProfileRow> {
  const row = await findBillingProfile(ctx.database.db, profileId);
  if (!row || row.tenant_id !== tenantId) {
    throw new DomainError('invalid_billing_profile', `There is no billing profile ${profileId} in this tenant. Use one listed by GET /api/billing-profiles.`);
  }
  if (!hasAnyRole(await rolesOfCaller(ctx, principal, profileId), ['owner', 'contributor'])) {
    throw new DomainError('forbidden', `Only an owner or contributor of billing profile ${profileId} may buy with it or move a subscription onto it; ask one of its owners for that role.`);
  }
  return row;
}
