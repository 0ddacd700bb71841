export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;

/** The instant `ms` after an ISO time, as an ISO time. */
export function addMs(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}

/**
 * When an event happened. The engine stamps every event with `at`; the event that starts
 * an instance (`xstate.init`) carries it in its input. Machines read time only from here.
 */
export function timeOf(event: unknown): string {
  const e = event as { at?: unknown; input?: { at?: unknown } };
  const at = e.at ?? e.input?.at;
  if (typeof at !== 'string') throw new TypeError('every event must carry its time in `at`');
  return at;
}

/** Milliseconds from the event's time until `due` (never negative: an overdue deadline is due now). */
export function delayUntil(due: string, event: unknown): number {
  return Math.max(0, Date.parse(due) - Date.parse(timeOf(event)));
}
