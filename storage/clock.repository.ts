import type { Kysely } from 'kysely';
import type { Tables } from './tables.js';

/** The manual clock's stored time, or undefined when it was never set. */
export async function readClock(db: Kysely<Tables>): Promise<number | undefined> {
  const row = await db.selectFrom('clock').select('now_ms').where('id', '=', 1).executeTakeFirst();
  return row === undefined ? undefined : Number(row.now_ms);
}

/** Store the manual clock's time. */
export async function saveClock(db: Kysely<Tables>, nowMs: number): Promise<void> {
  await db
    .insertInto('clock')
    .values({ id: 1, now_ms: nowMs })
    .onConflict((oc) => oc.column('id').doUpdateSet({ now_ms: nowMs }))
    .execute();
}
