import type { Kysely } from 'kysely';
import type { NewPartnerRow, NewPrincipalRow, NewPublisherRow, PartnerRow, PrincipalRow, PublisherRow, Tables } from './tables.js';

/** Add a publisher. */
export async function insertPublisher(db: Kysely<Tables>, row: NewPublisherRow): Promise<void> {
  await db.insertInto('publishers').values(row).execute();
}

/** A publisher by id. */
export function findPublisher(db: Kysely<Tables>, id: string): Promise<PublisherRow | undefined> {
  return db.selectFrom('publishers').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Add a partner. */
export async function insertPartner(db: Kysely<Tables>, row: NewPartnerRow): Promise<void> {
  await db.insertInto('partners').values(row).execute();
}

/** A partner by id. */
export function findPartner(db: Kysely<Tables>, id: string): Promise<PartnerRow | undefined> {
  return db.selectFrom('partners').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Add a principal (its token only as a hash). */
export async function insertPrincipal(db: Kysely<Tables>, row: NewPrincipalRow): Promise<void> {
  await db.insertInto('principals').values(row).execute();
}

/** The principal a token hash belongs to. */
export function findPrincipalByTokenHash(db: Kysely<Tables>, tokenHash: string): Promise<PrincipalRow | undefined> {
  return db.selectFrom('principals').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** A principal by id. */
export function findPrincipal(db: Kysely<Tables>, id: string): Promise<PrincipalRow | undefined> {
  return db.selectFrom('principals').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Whether any operator exists (a fresh database has none). */
export async function hasOperator(db: Kysely<Tables>): Promise<boolean> {
  return (await db.selectFrom('principals').select('id').where('kind', '=', 'operator').limit(1).executeTakeFirst()) !== undefined;
}
