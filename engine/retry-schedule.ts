/** First retry after 10 s, doubling, capped at 1 h, for 3 days (API.md "Publisher webhooks"). */
export const RETRY_FIRST_MS = 10_000;
export const RETRY_CAP_MS = 60 * 60_000;
export const RETRY_FOR_MS = 3 * 24 * 60 * 60_000;

/** When the retry after the `attempts`-th failed attempt is due, or null when it is time to give up. */
export function nextAttemptAt(createdAtMs: number, attempts: number, nowMs: number): number | null {
  // The exponent is clamped so that a long-failing row cannot overflow to Infinity.
  const delay = Math.min(RETRY_FIRST_MS * 2 ** Math.min(attempts - 1, 30), RETRY_CAP_MS);
  const next = nowMs + delay;
  return next - createdAtMs > RETRY_FOR_MS ? null : next;
}
