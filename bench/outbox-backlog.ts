import { setTimeout as sleep } from 'node:timers/promises';

const POLL_MS = 100;
const DRAIN_TIMEOUT_MS = 300_000;
const PENDING = /^outbox_backlog\{kind="[^"]+",status="pending"\} (\d+)$/gm;

/** Outbox rows a service has yet to deliver (every kind), from its `/metrics`, which loopback clients may read. */
export async function pendingOutbox(baseUrl: string): Promise<number> {
  const response = await fetch(new URL('/metrics', baseUrl));
  if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
  let pending = 0;
  for (const match of (await response.text()).matchAll(PENDING)) pending += Number(match[1]);
  return pending;
}

/**
 * Waits until the service has delivered every outbox row, and resolves with the seconds
 * it took. Webhooks are delivered after the answer, so a run can end with a backlog that
 * the rate did not pay for; draining it before the next run keeps that work out of the
 * next measurement (the bare handler's included, on the same cores).
 */
export async function drainOutbox(baseUrl: string): Promise<number> {
  const start = Date.now();
  while ((await pendingOutbox(baseUrl)) > 0) {
    if (Date.now() - start > DRAIN_TIMEOUT_MS) throw new Error(`the outbox of ${baseUrl} was not drained in ${DRAIN_TIMEOUT_MS / 1000} s`);
    await sleep(POLL_MS);
  }
  return (Date.now() - start) / 1000;
}

/** The outbox work runs left behind them: rows pending at their end, and the time to deliver them. */
export interface OutboxAfterRuns {
  readonly pending: number;
  readonly drainSeconds: number;
}

/** Right after a run: how many rows it left pending, then drains them. */
export async function settleOutboxAfterRun(baseUrl: string): Promise<OutboxAfterRuns> {
  const pending = await pendingOutbox(baseUrl);
  return { pending, drainSeconds: await drainOutbox(baseUrl) };
}

/** Several runs' leftovers added up. */
export function addOutbox(runs: readonly OutboxAfterRuns[]): OutboxAfterRuns {
  return { pending: runs.reduce((n, r) => n + r.pending, 0), drainSeconds: runs.reduce((s, r) => s + r.drainSeconds, 0) };
}
