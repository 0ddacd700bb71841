import type { Kysely } from 'kysely';
import type { AppRow, NewAppRow, NewPlanRow, PlanRow, Tables } from './tables.js';

/** Add an app with its plans, together. */
export async function insertApp(db: Kysely<Tables>, app: NewAppRow, plans: readonly NewPlanRow[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('apps').values(app).execute();
    await trx.insertInto('plans').values([...plans]).execute();
  });
}

/** An app by id. */
export function findApp(db: Kysely<Tables>, id: string): Promise<AppRow | undefined> {
  return db.selectFrom('apps').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Apps in id order (ids sort by creation), after a cursor id. */
export function listApps(db: Kysely<Tables>, after: string | undefined, limit: number): Promise<AppRow[]> {
  let query = db.selectFrom('apps').selectAll();
  if (after) query = query.where('id', '>', after);
  return query.orderBy('id').limit(limit).execute();
}

/** The plans of some apps, in their order. */
export function plansOf(db: Kysely<Tables>, appIds: readonly string[]): Promise<PlanRow[]> {
  if (appIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('plans').selectAll().where('app_id', 'in', appIds).orderBy('app_id').orderBy('position').execute();
}
