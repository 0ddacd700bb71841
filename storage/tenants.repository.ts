import type { Kysely } from 'kysely';
import type { NewTenantRow, Tables, TenantRow } from './tables.js';

/** Add a tenant. */
export async function insertTenant(db: Kysely<Tables>, row: NewTenantRow): Promise<void> {
  await db.insertInto('tenants').values(row).execute();
}

/** A tenant by id. */
export function findTenant(db: Kysely<Tables>, id: string): Promise<TenantRow | undefined> {
  return db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Record the customer agreement's acceptance, once: a later acceptance keeps the first time. */
export async function acceptAgreement(db: Kysely<Tables>, id: string, at: string): Promise<void> {
  await db.updateTable('tenants').set({ agreement_accepted_at: at }).where('id', '=', id).where('agreement_accepted_at', 'is', null).execute();
}
