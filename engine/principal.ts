/** The kinds of principal (API.md, Operator). */
export type PrincipalKind = 'user' | 'publisher' | 'partner' | 'sales' | 'operator';
export const PRINCIPAL_KINDS: readonly PrincipalKind[] = ['user', 'publisher', 'partner', 'sales', 'operator'];

/** Tenant-wide roles of a user. */
export type TenantRole = 'global-admin' | 'billing-admin';
export const TENANT_ROLES: readonly TenantRole[] = ['global-admin', 'billing-admin'];

/** An authenticated caller. */
export interface Principal {
  readonly id: string;
  readonly kind: PrincipalKind;
  readonly name: string;
  readonly tenantId: string | null;
  readonly roles: readonly TenantRole[];
  readonly publisherId: string | null;
  readonly partnerId: string | null;
}

/** Whether the principal is a tenant admin (SPEC §1). */
export function isTenantAdmin(p: Principal): boolean {
  return p.kind === 'user' && p.roles.length > 0;
}
