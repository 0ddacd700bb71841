import { createHmac } from 'node:crypto';
import type { Clock } from './clock.js';

/** An outbox row as the dispatcher sees it. */
export interface OutboxRow {
  readonly id: string;
  readonly kind: 'webhook' | 'charge';
  readonly instanceId: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly attempts: number;
  readonly createdAt: string;
}

/** What the dispatcher needs from the database. */
export interface OutboxStore {
  /** Pending rows due at `nowMs`, oldest first. */
  due(nowMs: number, limit: number): Promise<OutboxRow[]>;
  delivered(id: string, at: string): Promise<void>;
  retryLater(id: string, attempts: number, nextAttemptMs: number, error: string): Promise<void>;
  failed(id: string, attempts: number, error: string): Promise<void>;
}

/** Carries out one row; throws (or returns an error text) when it must be retried. */
export type Handler = (row: OutboxRow) => Promise<void>;

/** First retry after 10 s, doubling, capped at 1 h, for 3 days (API.md "Publisher webhooks"). */
export const RETRY_FIRST_MS = 10_000;
export const RETRY_CAP_MS = 60 * 60_000;
export const RETRY_FOR_MS = 3 * 24 * 60 * 60_000;

/** When the retry after the `attempts`-th failed attempt is due, or null when it is time to give up. */
export function nextAttemptAt(createdAtMs: number, attempts: number, nowMs: number): number | null {
  const delay = Math.min(RETRY_FIRST_MS * 2 ** Math.min(attempts - 1, 30), RETRY_CAP_MS);
  const next = nowMs + delay;
  return next - createdAtMs > RETRY_FOR_MS ? null : next;
}

/** The signature header of a webhook: HMAC-SHA256 of "<timestamp>.<raw body>". */
export function signWebhook(secret: string, timestamp: number, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

export interface DispatcherOptions {
  readonly store: OutboxStore;
  readonly clock: Clock;
  readonly handlers: Readonly<Record<OutboxRow['kind'], Handler>>;
  readonly batchSize?: number;
  readonly onError?: (row: OutboxRow, error: unknown) => void;
}

/**
 * Delivers the outbox: right after each commit (`kick`) and whenever the clock passes a
 * retry (`runDue`). Runs in the background: a slow or dead receiver never holds a request.
 */
export class OutboxDispatcher {
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private readonly inFlight = new Set<string>();
  private readonly settled = new Map<string, Array<() => void>>();

  constructor(private readonly options: DispatcherOptions) {}

  /** Deliver whatever is due now, soon, without waiting. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = null;
    });
  }

  /** Deliver everything due at the clock's time and wait for it. */
  async runDue(): Promise<void> {
    this.kick();
    while (this.running) await this.running;
  }

  /** Resolves when each of these rows has had its first attempt (or after `timeoutMs`). */
  async settle(ids: readonly string[], timeoutMs: number): Promise<void> {
    if (ids.length === 0) return;
    const waits = ids.map((id) => new Promise<void>((resolve) => this.settled.set(id, [...(this.settled.get(id) ?? []), resolve])));
    this.kick();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(waits), new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
    for (const id of ids) this.settled.delete(id);
  }

  /** Stop taking new work and wait for the attempt under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    while (this.running) await this.running;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      for (;;) {
        const rows = (await this.options.store.due(this.options.clock.now(), this.options.batchSize ?? 100)).filter((r) => !this.inFlight.has(r.id));
        if (rows.length === 0) break;
        await Promise.all(rows.map((row) => this.attempt(row)));
        if (this.stopped) return;
      }
    } while (this.again && !this.stopped);
  }

  private async attempt(row: OutboxRow): Promise<void> {
    const { store, clock, handlers } = this.options;
    this.inFlight.add(row.id);
    try {
      await handlers[row.kind](row);
      await store.delivered(row.id, new Date(clock.now()).toISOString());
    } catch (error) {
      this.options.onError?.(row, error);
      const attempts = row.attempts + 1;
      const message = error instanceof Error ? error.message : String(error);
      const next = nextAttemptAt(Date.parse(row.createdAt), attempts, clock.now());
      if (next === null) await store.failed(row.id, attempts, message);
      else await store.retryLater(row.id, attempts, next, message);
    } finally {
      this.inFlight.delete(row.id);
      for (const resolve of this.settled.get(row.id) ?? []) resolve();
      this.settled.delete(row.id);
    }
  }
}
