import type { Kysely } from 'kysely';
import type { HandoffTokenRow, NewHandoffTokenRow, Tables } from './tables.js';

/** Remember which activation a handoff token (by hash) belongs to. */
export async function insertHandoffToken(db: Kysely<Tables>, row: NewHandoffTokenRow): Promise<void> {
  await db.insertInto('handoff_tokens').values(row).execute();
}

/** The handoff a token hash belongs to. */
export function findHandoffToken(db: Kysely<Tables>, tokenHash: string): Promise<HandoffTokenRow | undefined> {
  return db.selectFrom('handoff_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}
