import type { Kysely } from 'kysely';
import type { InstanceRow, Tables } from './tables.js';

/** Filters for listing instances; each is an equality on an indexed column (an empty string matches nothing, not everything). */
export interface InstanceFilter {
  readonly machine?: string;
  readonly tenantId?: string;
  readonly publisherId?: string;
  readonly partnerId?: string;
  readonly billingProfileId?: string;
  readonly parentId?: string;
  readonly parentIds?: readonly string[];
  readonly status?: string;
  readonly appId?: string;
  readonly id?: string;
}

/** Instances matching a filter, ordered by (created_at, id), after a cursor position. */
export function listInstances(db: Kysely<Tables>, filter: InstanceFilter, after: readonly [createdAt: string, id: string] | undefined, limit: number): Promise<InstanceRow[]> {
  let query = db.selectFrom('instances').selectAll();
  if (filter.machine !== undefined) query = query.where('machine', '=', filter.machine);
  if (filter.tenantId !== undefined) query = query.where('tenant_id', '=', filter.tenantId);
  if (filter.publisherId !== undefined) query = query.where('publisher_id', '=', filter.publisherId);
  if (filter.partnerId !== undefined) query = query.where('partner_id', '=', filter.partnerId);
  if (filter.billingProfileId !== undefined) query = query.where('billing_profile_id', '=', filter.billingProfileId);
  if (filter.parentId !== undefined) query = query.where('parent_id', '=', filter.parentId);
  if (filter.parentIds) query = filter.parentIds.length === 0 ? query.where('id', '=', '') : query.where('parent_id', 'in', filter.parentIds);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.appId !== undefined) query = query.where('app_id', '=', filter.appId);
  if (filter.id !== undefined) query = query.where('id', '=', filter.id);
  if (after) {
    const [createdAt, id] = after;
    query = query.where((eb) => eb.or([eb('created_at', '>', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '>', id)])]));
  }
  return query.orderBy('created_at').orderBy('id').limit(limit).execute();
}
