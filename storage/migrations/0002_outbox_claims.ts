import type { Kysely } from 'kysely';

/**
 * Outbox rows get claims, as timers have: with several processes on one PostgreSQL
 * database, a row is attempted by the process that claimed it until its lease runs out,
 * and by no other. The process that commits a row claims it in the same insert.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('claimed_by', 'text').execute();
  await db.schema.alterTable('outbox').addColumn('claimed_until_ms', 'bigint').execute();
}

/** Drops the claim columns. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('outbox').dropColumn('claimed_until_ms').execute();
  await db.schema.alterTable('outbox').dropColumn('claimed_by').execute();
}
