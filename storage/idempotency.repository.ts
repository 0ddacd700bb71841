import type { Kysely } from 'kysely';
import type { IdempotencyKeyRow, Tables } from './tables.js';

/** A stored response for a principal's idempotency key, if it is younger than `since`. */
export function findIdempotentResponse(db: Kysely<Tables>, principalId: string, key: string, since: string): Promise<IdempotencyKeyRow | undefined> {
  return db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('principal_id', '=', principalId)
    .where('key', '=', key)
    .where('created_at', '>=', since)
    .executeTakeFirst();
}

/** Store a response under a principal's key, replacing an expired one. */
export async function saveIdempotentResponse(db: Kysely<Tables>, row: IdempotencyKeyRow): Promise<void> {
  await db
    .insertInto('idempotency_keys')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['principal_id', 'key']).doUpdateSet({ request_hash: row.request_hash, status_code: row.status_code, response: row.response, created_at: row.created_at }),
    )
    .execute();
}
