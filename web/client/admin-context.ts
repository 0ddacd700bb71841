import type { Api } from './api.js';
import type { App, BillingProfile, List, Plan, Tenant } from './types.js';

/** What every admin view needs: the client, the tenant, the catalog and the billing profiles. */
export interface AdminContext {
  readonly api: Api;
  readonly tenant: Tenant;
  readonly apps: ReadonlyMap<string, App>;
  readonly profiles: readonly BillingProfile[];
  /** Go to a view (`#/apps/<id>`) and announce `message` there. */
  go(hash: string, message?: string): void;
  /** Render the current view again, reading everything afresh; a failure to show is put at its top. */
  reload(message?: string, failure?: unknown): void;
}

/** Read the tenant, the catalog and the profiles the caller can see. */
export async function loadBasics(api: Api): Promise<Pick<AdminContext, 'tenant' | 'apps' | 'profiles'>> {
  const [tenant, apps, profiles] = await Promise.all([
    api.get<Tenant>('/api/tenant'),
    api.get<List<App>>('/api/apps?limit=200'),
    api.get<List<BillingProfile>>('/api/billing-profiles?limit=200'),
  ]);
  return { tenant, apps: new Map(apps.items.map((a) => [a.id, a])), profiles: profiles.items };
}

/** The name of an app, or its id when the catalog does not have it. */
export function appName(ctx: AdminContext, appId: string): string {
  return ctx.apps.get(appId)?.name ?? appId;
}

/** A plan of an app in the catalog. */
export function planOf(ctx: AdminContext, appId: string, planId: string): Plan | undefined {
  return ctx.apps.get(appId)?.plans.find((p) => p.id === planId);
}

/** The name of a billing profile, or its id when the caller cannot see it. */
export function profileName(ctx: AdminContext, id: string | null): string {
  if (!id) return '—';
  return ctx.profiles.find((p) => p.id === id)?.name ?? id;
}
