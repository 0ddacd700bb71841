import type { Database } from '../storage/database.js';

/**
 * Checks in the database that every one of `instanceIds` had its timer `timerId` fired
 * exactly once by a timer (one `system` journal entry each, stamped with the timer's due
 * time, and nothing else fired), and that no timer due by `toMs` is left. Returns what is
 * wrong, one line each; empty when all is well. A benchmark that fired fewer timers than
 * it claims, or some twice, would report a rate it did not reach.
 */
export async function checkFiredOnce(database: Database, instanceIds: readonly string[], timerId: string, toMs: number): Promise<string[]> {
  const problems: string[] = [];
  const expected = new Set(instanceIds);
  const fired = await database.db
    .selectFrom('journal')
    .innerJoin('timers', (join) => join.onRef('timers.instance_id', '=', 'journal.instance_id').on('timers.timer_id', '=', timerId))
    .select(['journal.instance_id', 'journal.at', 'timers.due_ms', 'timers.fired_at'])
    .where('journal.principal_id', '=', 'system')
    .execute();
  const seen = new Set<string>();
  let twice = 0;
  let unexpected = 0;
  let misstamped = 0;
  for (const row of fired) {
    if (seen.has(row.instance_id)) twice++;
    seen.add(row.instance_id);
    if (!expected.has(row.instance_id)) unexpected++;
    if (Date.parse(row.at) !== Number(row.due_ms) || row.fired_at !== row.at) misstamped++;
  }
  const never = instanceIds.filter((id) => !seen.has(id)).length;
  if (never > 0) problems.push(`${never} of ${instanceIds.length} timers never fired`);
  if (twice > 0) problems.push(`${twice} timers fired more than once`);
  if (unexpected > 0) problems.push(`${unexpected} other instances received a timer's event`);
  if (misstamped > 0) problems.push(`${misstamped} events were not stamped with their timer's due time`);
  // Journal entries by `system` on instances that have no such timer (a cascade, or another timer).
  const { total } = await database.db
    .selectFrom('journal')
    .select((eb) => eb.fn.countAll<number | bigint>().as('total'))
    .where('principal_id', '=', 'system')
    .executeTakeFirstOrThrow();
  if (Number(total) !== fired.length) problems.push(`${Number(total) - fired.length} journal entries by timers are not of ${timerId} timers`);
  const left = await countDueTimers(database, toMs);
  if (left > 0) problems.push(`${left} timers due by the advance's end have not fired`);
  return problems;
}

/** How many unfired timers are due by `toMs` (before the advance: how many it should fire). */
export async function countDueTimers(database: Database, toMs: number): Promise<number> {
  const { due } = await database.db
    .selectFrom('timers')
    .select((eb) => eb.fn.countAll<number | bigint>().as('due'))
    .where('fired_at', 'is', null)
    .where('due_ms', '<=', toMs)
    .executeTakeFirstOrThrow();
  return Number(due);
}
