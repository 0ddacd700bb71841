import type { Kysely, Transaction } from 'kysely';
import type { BillingProfileRow, BillingProfileRowUpdate, BillingRoleRow, NewBillingProfileRow, Tables } from './tables.js';

/** Add a profile and make its creator the owner, together. */
export async function insertBillingProfile(db: Kysely<Tables>, row: NewBillingProfileRow, ownerId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('billing_profiles').values(row).execute();
    await trx.insertInto('billing_roles').values({ billing_profile_id: row.id, user_id: ownerId, roles: JSON.stringify(['owner']) }).execute();
  });
}

/** A profile by id. */
export function findBillingProfile(db: Kysely<Tables>, id: string): Promise<BillingProfileRow | undefined> {
  return db.selectFrom('billing_profiles').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * The profiles of these ids that exist, in no order. One statement: the charges that read
 * here together are at most the outbox's attempts under way, far below the parameter limit.
 */
export function findBillingProfiles(db: Kysely<Tables>, ids: readonly string[]): Promise<BillingProfileRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('billing_profiles').selectAll().where('id', 'in', ids).execute();
}

/** A tenant's profiles in id order after a cursor, optionally only those a user has a role on. */
export function listBillingProfiles(db: Kysely<Tables>, tenantId: string, memberId: string | null, after: string | undefined, limit: number): Promise<BillingProfileRow[]> {
  let query = db.selectFrom('billing_profiles').selectAll('billing_profiles').where('billing_profiles.tenant_id', '=', tenantId);
  if (memberId !== null) {
    query = query.innerJoin('billing_roles', 'billing_roles.billing_profile_id', 'billing_profiles.id').where('billing_roles.user_id', '=', memberId);
  }
  if (after) query = query.where('billing_profiles.id', '>', after);
  return query.orderBy('billing_profiles.id').limit(limit).execute();
}

/** Change a profile's name, contact or payment method. */
export async function updateBillingProfile(db: Kysely<Tables>, id: string, changes: BillingProfileRowUpdate): Promise<void> {
  await db.updateTable('billing_profiles').set(changes).where('id', '=', id).execute();
}

/** Every member's roles on a profile. */
export function rolesOnProfile(db: Kysely<Tables> | Transaction<Tables>, profileId: string): Promise<BillingRoleRow[]> {
  return db.selectFrom('billing_roles').selectAll().where('billing_profile_id', '=', profileId).orderBy('user_id').execute();
}

/** One user's roles on a profile (empty when none). */
export async function rolesOf(db: Kysely<Tables>, profileId: string, userId: string): Promise<string[]> {
  const row = await db.selectFrom('billing_roles').select('roles').where('billing_profile_id', '=', profileId).where('user_id', '=', userId).executeTakeFirst();
  return row ? (JSON.parse(row.roles) as string[]) : [];
}

/**
 * Set a user's roles on a profile (empty removes them), unless that would leave the profile
 * without an owner: then nothing changes and false is returned.
 */
export async function setRoles(db: Kysely<Tables>, profileId: string, userId: string, roles: readonly string[]): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const current = await rolesOnProfile(trx, profileId);
    const owners = current.filter((r) => r.user_id !== userId && (JSON.parse(r.roles) as string[]).includes('owner'));
    if (owners.length === 0 && !roles.includes('owner')) return false;
    await trx.deleteFrom('billing_roles').where('billing_profile_id', '=', profileId).where('user_id', '=', userId).execute();
    if (roles.length > 0) {
      await trx.insertInto('billing_roles').values({ billing_profile_id: profileId, user_id: userId, roles: JSON.stringify(roles) }).execute();
    }
    return true;
  });
}
