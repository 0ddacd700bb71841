import type { TimerEntry } from './changeset.js';
import type { Clock } from './clock.js';
import { ManualClock } from './clock.js';
import type { DurableEngine } from './durable-engine.js';
import type { EngineStore } from './engine-store.js';
import { MinHeap } from './min-heap.js';

export interface SchedulerOptions {
  readonly engine: DurableEngine;
  readonly store: EngineStore;
  readonly clock: Clock;
  /** Names this process in timer claims, so that several processes never fire one timer twice. */
  readonly owner: string;
  readonly pageSize?: number;
  /** How long a claim holds before another process may take the timer over. */
  readonly leaseMs?: number;
  /** With the system clock: how often to look for due timers. */
  readonly pollMs?: number;
  /** Told of each timer as it fires, with how late it is (the clock's time minus the due time). */
  readonly onFire?: (timer: TimerEntry, lagMs: number) => void;
}

const keyOf = (t: { instanceId: string; timerId: string }) => `${t.instanceId}\u0000${t.timerId}`;
const byDue = (a: TimerEntry, b: TimerEntry) =>
  a.dueMs - b.dueMs || (a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : a.timerId < b.timerId ? -1 : a.timerId > b.timerId ? 1 : 0);

/**
 * Fires durable timers exactly once, in due order, each as an event stamped with its due
 * time. Timers that firing creates fire in the same pass when they are due by its end.
 */
export class TimerScheduler {
  private running: Promise<unknown> = Promise.resolve();
  private poller: NodeJS.Timeout | null = null;
  private stopped = true;
  // Numbers this process's passes, so that a pass's claims never hand it back its own timers.
  private passes = 0;

  constructor(private readonly options: SchedulerOptions) {}

  /** Fire everything due at or before `toMs`; one pass at a time. Returns how many fired. */
  fireDue(toMs: number): Promise<number> {
    const pass = this.running.then(() => this.pass(toMs));
    this.running = pass.catch(() => undefined);
    return pass;
  }

  /** Manual clock: fire everything due up to `toMs`, then rest the clock there. */
  async advance(toMs: number): Promise<number> {
    const clock = this.options.clock;
    if (!(clock instanceof ManualClock)) throw new Error('advance needs the manual clock');
    const fired = await this.fireDue(toMs);
    await clock.set(toMs);
    return fired;
  }

  /** System clock: look for due timers every `pollMs` until stopped. */
  start(): void {
    this.stopped = false;
    const tick = () => {
      void this.fireDue(this.options.clock.now()).finally(() => {
        if (!this.stopped) this.poller = setTimeout(tick, this.options.pollMs ?? 1000);
      });
    };
    tick();
  }

  /** Stop polling and wait for the pass under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.poller) clearTimeout(this.poller);
    this.poller = null;
    await this.running;
  }

  private async pass(toMs: number): Promise<number> {
    const { engine, store, clock, owner } = this.options;
    const claimant = { owner, pass: ++this.passes };
    const pageSize = this.options.pageSize ?? 1000;
    const heap = new MinHeap<TimerEntry>(byDue);
    // The newest version of each timer this pass knows; a heap entry that is not it was replaced or cancelled.
    const live = new Map<string, TimerEntry>();
    const fired = new Set<string>();
    const commits: Promise<unknown>[] = [];
    let claimedUpTo = -Infinity;
    let exhausted = false;
    let count = 0;

    for (;;) {
      const next = heap.peek();
      // Unclaimed timers in the database may be due before anything in the heap.
      if (!exhausted && (next === undefined || next.dueMs > claimedUpTo)) {
        const now = clock.now();
        const page = await store.claimDueTimers(toMs, pageSize, claimant, now, now + (this.options.leaseMs ?? 60_000));
        exhausted = page.length < pageSize;
        if (page.length > 0) claimedUpTo = page[page.length - 1]!.dueMs;
        await engine.getMany([...new Set(page.map((t) => t.instanceId))]);
        for (const timer of page) {
          if (fired.has(`${keyOf(timer)}\u0000${timer.dueMs}`)) continue;
          live.set(keyOf(timer), timer);
          heap.push(timer);
        }
        continue;
      }
      const timer = heap.pop();
      if (timer === undefined) break;
      const key = keyOf(timer);
      if (live.get(key) !== timer) continue;
      live.delete(key);
      fired.add(`${key}\u0000${timer.dueMs}`);
      if (clock instanceof ManualClock) clock.moveTo(timer.dueMs);
      this.options.onFire?.(timer, clock.now() - timer.dueMs);
      const { computed, committed } = engine.fire(timer);
      commits.push(committed);
      count++;
      const result = await computed;
      if (!result) continue;
      for (const cleared of result.changeset.timersCleared) live.delete(keyOf(cleared));
      for (const set of result.changeset.timersSet) {
        if (set.dueMs > toMs) {
          live.delete(keyOf(set));
          continue;
        }
        live.set(keyOf(set), set);
        heap.push(set);
      }
    }
    await Promise.all(commits);
    return count;
  }
}
