import type { Clock } from './clock.js';
import { Coalescer } from './coalescer.js';
import { nextAttemptAt } from './retry-schedule.js';
import { RecentIds } from './recent-ids.js';

export { RETRY_CAP_MS, RETRY_FIRST_MS, RETRY_FOR_MS, nextAttemptAt } from './retry-schedule.js';
export { signWebhook } from './webhook-signature.js';

/** The kinds of outbox rows; each is delivered in a lane of its own. */
export type OutboxKind = 'webhook' | 'charge';

/** An outbox row as the dispatcher sees it. */
export interface OutboxRow {
  readonly id: string;
  readonly kind: OutboxKind;
  readonly instanceId: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly attempts: number;
  readonly createdAt: string;
}

/** How an attempt ended, as the store records it. */
export type AttemptRecord =
  | { readonly id: string; readonly outcome: 'delivered'; readonly at: string }
  | { readonly id: string; readonly outcome: 'retry'; readonly attempts: number; readonly nextAttemptMs: number; readonly error: string }
  | { readonly id: string; readonly outcome: 'failed'; readonly attempts: number; readonly error: string };

/** What the dispatcher needs from the database. */
export interface OutboxStore {
  /**
   * Pending rows of a kind due at `nowMs`, oldest first, that this process may attempt
   * (with several processes: claimed for it for {@link OUTBOX_LEASE_MS}).
   */
  due(nowMs: number, limit: number, kind: OutboxKind): Promise<OutboxRow[]>;
  /** Record how attempts ended, all in one transaction. */
  record(outcomes: readonly AttemptRecord[]): Promise<void>;
}

/**
 * How long a process's claim on an outbox row holds (wall-clock time): longer than any
 * attempt takes (a webhook gives up after 10 s), so that only a process that died loses
 * its rows to another.
 */
export const OUTBOX_LEASE_MS = 60_000;

/**
 * Carries out one row; throws when it must be retried. `signal` aborts when the
 * dispatcher stops: a handler that can give up half-way (an HTTP request) should.
 */
export type Handler = (row: OutboxRow, signal: AbortSignal) => Promise<void>;

/** How an attempt ended: done, to be tried again, or parked for the operator. */
export type DeliveryOutcome = 'delivered' | 'retry' | 'failed';

// Offered rows kept in memory per kind; beyond this they wait in the database for a look.
const MAX_OFFERED = 10_000;
// Ids of ended attempts remembered for `settle`: far more than end between a commit and its request's answer.
const MAX_REMEMBERED = 10_000;

/** Attempts of one kind under way at once, unless told: what a hanging receiver can hold. */
export const DEFAULT_CONCURRENCY = 16;

export interface DispatcherOptions {
  readonly store: OutboxStore;
  readonly clock: Clock;
  readonly handlers: Readonly<Record<OutboxKind, Handler>>;
  /** Most attempts under way at once per kind (default {@link DEFAULT_CONCURRENCY}). */
  readonly concurrency?: number;
  /** An attempt failed (the receiver's or processor's fault): it will be retried or parked. */
  readonly onError?: (row: OutboxRow, error: unknown) => void;
  /** The dispatcher itself failed (the database): it tries again at the next kick. */
  readonly onFault?: (error: unknown) => void;
  /** Every attempt's outcome, for metrics. */
  readonly onOutcome?: (row: OutboxRow, outcome: DeliveryOutcome) => void;
}

interface Lane {
  readonly kind: OutboxKind;
  running: Promise<void> | null;
  /** Something may have come due since the lane last looked. */
  again: boolean;
  /** Wakes a run waiting for a free slot, to look again. */
  wake: (() => void) | null;
  readonly inFlight: Set<string>;
  /** Outcomes of ended attempts being written. */
  readonly recording: Set<Promise<void>>;
  /**
   * Rows to attempt as slots free, without reading them back: handed over by the commit
   * that wrote them, or read by a look beyond its free slots.
   */
  readonly offered: OutboxRow[];
  /**
   * Rows whose attempt ended while a look at the database was under way: that look may
   * have read them before their outcome was written, and must not take them again.
   */
  endedDuringLook: Set<string> | null;
}

/**
 * Delivers the outbox: right after each commit (`kick`) and whenever the clock passes a
 * retry (`runDue`). Runs in the background: a slow or dead receiver never holds a request.
 * Each kind has its own lane of at most `concurrency` attempts, so webhooks hanging on a
 * dead receiver can neither hold up the charges a request waits for, nor open more than
 * that many connections.
 */
export class OutboxDispatcher {
  private stopped = false;
  // One per attempt under way rather than one shared signal: listeners (or the dependants
  // of AbortSignal.any) would pile up on a signal that lives as long as the service.
  private readonly aborts = new Set<AbortController>();
  private readonly lanes: readonly Lane[];
  private readonly concurrency: number;
  private readonly settled = new Map<string, Array<() => void>>();
  /** Rows whose attempt ended lately, newest last, for `settle` calls that come after. */
  private readonly attempted = new RecentIds(MAX_REMEMBERED);
  private readonly outcomes: Coalescer<AttemptRecord>;

  constructor(private readonly options: DispatcherOptions) {
    this.concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
    // Attempts that end together are recorded in one transaction: one write per burst, not per row.
    this.outcomes = new Coalescer((records) => options.store.record(records));
    this.lanes = (Object.keys(options.handlers) as OutboxKind[]).map((kind) => ({ kind, running: null, again: false, wake: null, inFlight: new Set<string>(), recording: new Set<Promise<void>>(), offered: [], endedDuringLook: null }));
  }

  /** Deliver whatever is due now, soon, without waiting. */
  kick(): void {
    for (const lane of this.lanes) this.kickLane(lane);
  }

  /**
   * Rows a commit has just written, due now: attempted straight away, without a look at
   * the database, which is then read only for retries, for rows left by an earlier run,
   * and for what does not fit in memory here.
   */
  offer(rows: readonly OutboxRow[]): void {
    if (this.stopped) return;
    for (const lane of this.lanes) {
      const mine = rows.filter((row) => row.kind === lane.kind);
      if (mine.length === 0) continue;
      const room = MAX_OFFERED - lane.offered.length;
      lane.offered.push(...mine.slice(0, room));
      if (mine.length > room) lane.again = true;
      this.startLane(lane);
    }
  }

  /** Deliver everything due at the clock's time and wait for it. */
  async runDue(): Promise<void> {
    this.kick();
    for (const lane of this.lanes) while (lane.running) await lane.running;
  }

  /**
   * Resolves when each of these rows has had its first attempt (or after `timeoutMs`): when
   * its handler is done, not when its outcome is written.
   */
  async settle(ids: readonly string[], timeoutMs: number): Promise<void> {
    // Offered at commit, a row's first attempt may already be over.
    const open = ids.filter((id) => !this.attempted.has(id));
    if (open.length === 0) return;
    const waits = open.map((id) => new Promise<void>((resolve) => this.settled.set(id, [...(this.settled.get(id) ?? []), resolve])));
    // Rows not handed over (another writer's, or more than memory holds) are looked for.
    const handedOver = (id: string) => this.lanes.some((lane) => lane.inFlight.has(id) || lane.offered.some((row) => row.id === id));
    if (!open.every(handedOver)) this.kick();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(waits), new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
    for (const id of open) this.settled.delete(id);
  }

  /**
   * Stop taking new work, abort the attempts that can be aborted and wait for the rest.
   * An aborted attempt leaves its row as it was, due, for the next start.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const abort of this.aborts) abort.abort(new Error('the outbox dispatcher is stopping'));
    for (const lane of this.lanes) lane.wake?.();
    for (const lane of this.lanes) while (lane.running) await lane.running;
  }

  private kickLane(lane: Lane): void {
    lane.again = true;
    this.startLane(lane);
  }

  /** Run the lane, or wake it if it runs and waits for a slot. */
  private startLane(lane: Lane): void {
    if (this.stopped) return;
    if (lane.running) {
      lane.wake?.();
      return;
    }
    lane.running = this.run(lane)
      .catch((error: unknown) => this.options.onFault?.(error))
      .finally(() => {
        lane.running = null;
        // A kick or an offer that came while the run was ending must not be lost.
        if (lane.again || lane.offered.length > 0) this.startLane(lane);
      });
  }

  /** Keep up to `concurrency` attempts going while rows are due. */
  private async run(lane: Lane): Promise<void> {
    const active = new Set<Promise<void>>();
    let more = false;
    const start = (row: OutboxRow) => {
      const attempt: Promise<void> = this.attempt(lane, row).finally(() => active.delete(attempt));
      // Seen as handled while the lane awaits the database; race and allSettled still see it fail.
      attempt.catch(() => undefined);
      active.add(attempt);
    };
    try {
      while (!this.stopped) {
        if (active.size < this.concurrency && lane.offered.length > 0) {
          const row = lane.offered.shift()!;
          // A look at the database may have taken it first.
          if (!lane.inFlight.has(row.id) && !this.attempted.has(row.id)) start(row);
          continue;
        }
        const free = this.concurrency - active.size;
        if (free > 0 && (more || lane.again)) {
          lane.again = false;
          // Rows under way are still pending in the database: ask for enough to skip them.
          const limit = free + lane.inFlight.size;
          const ended = new Set<string>();
          lane.endedDuringLook = ended;
          let page: OutboxRow[];
          try {
            page = await this.options.store.due(this.options.clock.now(), limit, lane.kind);
          } finally {
            lane.endedDuringLook = null;
          }
          const fresh = page.filter((r) => !lane.inFlight.has(r.id) && !ended.has(r.id));
          for (const row of fresh.slice(0, free)) start(row);
          // Rows beyond the free slots are queued, not left to the next look: on PostgreSQL
          // they are claimed for this process alone, and a look may not see them again for
          // a while (SKIP LOCKED passes by rows that another process's claim locked and
          // then let go of, until its transaction ends).
          lane.offered.push(...fresh.slice(free));
          more = page.length === limit;
          continue;
        }
        if (active.size === 0) break;
        // A freed slot is a chance to take the next due row; a kick, to look again.
        await Promise.race([...active, new Promise<void>((resolve) => (lane.wake = resolve))]);
        lane.wake = null;
      }
    } finally {
      await Promise.allSettled(active);
      while (lane.recording.size > 0) await Promise.allSettled([...lane.recording]);
    }
  }

  /**
   * One attempt. Its slot is free as soon as the handler is done; its outcome is recorded
   * after, together with those of other attempts, and only then is the row let go.
   */
  private async attempt(lane: Lane, row: OutboxRow): Promise<void> {
    const abort = new AbortController();
    this.aborts.add(abort);
    lane.inFlight.add(row.id);
    let failure: { error: unknown } | undefined;
    try {
      await this.options.handlers[row.kind](row, abort.signal);
    } catch (error) {
      failure = { error };
    } finally {
      this.aborts.delete(abort);
    }
    // What the attempt did is committed by now (a charge's outcome is an event on its
    // invoice); the row's own outcome is bookkeeping, which a request need not wait for.
    this.attempted.add(row.id);
    for (const resolve of this.settled.get(row.id) ?? []) resolve();
    this.settled.delete(row.id);
    const recording: Promise<void> = this.record(row, failure, abort.signal.aborted)
      // The database failed: the row stays as it was, due, for a later look.
      .catch((error: unknown) => this.options.onFault?.(error))
      .finally(() => {
        lane.recording.delete(recording);
        lane.inFlight.delete(row.id);
        lane.endedDuringLook?.add(row.id);
      });
    lane.recording.add(recording);
    // A failing receiver keeps its slot until the failure is written: what it holds open
    // stays within the bound, however its connections close.
    if (failure) await recording;
  }

  /** Records how an attempt ended; an attempt aborted by `stop` leaves its row untouched. */
  private async record(row: OutboxRow, failure: { error: unknown } | undefined, aborted: boolean): Promise<void> {
    const { clock } = this.options;
    if (failure && aborted) return;
    if (!failure) {
      await this.outcomes.submit({ id: row.id, outcome: 'delivered', at: new Date(clock.now()).toISOString() });
      this.options.onOutcome?.(row, 'delivered');
      return;
    }
    this.options.onError?.(row, failure.error);
    const attempts = row.attempts + 1;
    const error = failure.error instanceof Error ? failure.error.message : String(failure.error);
    const next = nextAttemptAt(Date.parse(row.createdAt), attempts, clock.now());
    await this.outcomes.submit(next === null ? { id: row.id, outcome: 'failed', attempts, error } : { id: row.id, outcome: 'retry', attempts, nextAttemptMs: next, error });
    this.options.onOutcome?.(row, next === null ? 'failed' : 'retry');
  }
}
