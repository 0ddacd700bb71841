import type { EventObject } from 'xstate';
import type { MachineName } from '../machines/index.js';
import type { Changeset, TimerEntry } from './changeset.js';
import { emptyChangeset } from './changeset.js';
import type { Clock } from './clock.js';
import type { EngineStore } from './engine-store.js';
import { StaleWriteError } from './engine-store.js';
import { EventRefusedError, InstanceNotFoundError } from './errors.js';
import { InstanceCache } from './instance-cache.js';
import { LoadCoalescer } from './load-coalescer.js';
import type { InstanceRecord } from './instance.js';
import type { Command, UnitDeps, UnitResult } from './unit-of-work.js';
import { computeUnit } from './unit-of-work.js';

export interface EngineOptions extends UnitDeps {
  readonly store: EngineStore;
  readonly clock: Clock;
  /**
   * True when this process is the database's only writer (SQLite): a cached snapshot is
   * then always current. Otherwise (several processes on PostgreSQL) every unit reads the
   * instances it touches afresh, and the version guard catches the rest.
   */
  readonly soleWriter: boolean;
  /** Committed snapshots kept in memory. */
  readonly cacheCapacity?: number;
  /** Most units committed in one transaction. */
  readonly maxBatch?: number;
}

/** Who sends an event, and the version they saw. */
export interface SendOptions {
  readonly principalId: string;
  readonly expectedVersion?: number;
}

type CommitListener = (results: readonly UnitResult[]) => void;

interface Queued {
  readonly changeset: Changeset;
  readonly touched: Iterable<InstanceRecord>;
  readonly result: UnitResult | null;
  readonly solo: boolean;
  resolve(): void;
  reject(error: unknown): void;
}

/** Thrown by a unit's reader for an instance that is not in memory yet. */
class CacheMiss extends Error {
  constructor(readonly id: string) {
    super(`cache miss ${id}`);
  }
}

/** A unit whose batch failed: it is computed and committed again, alone. */
class BatchFailed extends Error {
  constructor(override readonly cause: unknown) {
    super('the batch this unit was committed in failed');
  }
}

const MAX_ATTEMPTS = 5;

/**
 * The durable actor runtime: an event for an instance is computed against its snapshot
 * (and the instances it cascades to), then written with its journal entries, timers and
 * outbox rows in one transaction. Units that arrive while a transaction is open are
 * computed on top of it and committed together in the next one (group commit); each
 * caller is answered only after its unit's transaction has committed.
 */
export class DurableEngine {
  private readonly cache: InstanceCache;
  private readonly queue: Queued[] = [];
  private flushing: Promise<void> | null = null;
  private readonly listeners = new Set<CommitListener>();
  private readonly maxBatch: number;
  private readonly loader: LoadCoalescer<InstanceRecord>;

  constructor(private readonly options: EngineOptions) {
    this.cache = new InstanceCache(options.cacheCapacity ?? 100_000);
    this.loader = new LoadCoalescer((ids) => options.store.loadInstances(ids));
    this.maxBatch = options.maxBatch ?? 512;
  }

  /** Send an event to an instance; resolves after the change is committed. */
  async send(instanceId: string, event: EventObject & Record<string, unknown>, options: SendOptions): Promise<UnitResult> {
    const result = await this.submit({ kind: 'send', instanceId, event, at: this.now(), ...options }).committed;
    return result!;
  }

  /** Create an instance of a machine; resolves after it is committed. */
  async create(machine: MachineName, id: string, input: Readonly<Record<string, unknown>>, principalId: string): Promise<UnitResult> {
    const result = await this.submit({ kind: 'create', machine, id, input, principalId, at: this.now() }).committed;
    return result!;
  }

  /**
   * Fire a due timer: its event reaches the instance stamped with the due time. `computed`
   * settles once the change is decided (callers that fire in order wait for this only);
   * `committed` once it is durable. A timer whose event is no longer accepted is marked
   * fired and changes nothing else (null).
   */
  fire(timer: TimerEntry): { computed: Promise<UnitResult | null>; committed: Promise<UnitResult | null> } {
    return this.submit({ kind: 'fire', timer });
  }

  /** The committed record of an instance, or undefined. */
  async get(id: string): Promise<InstanceRecord | undefined> {
    const [record] = await this.getMany([id]);
    return record;
  }

  /** Committed records of several instances, in the order asked, skipping unknown ones. */
  async getMany(ids: readonly string[]): Promise<InstanceRecord[]> {
    if (this.options.soleWriter) {
      const missing = ids.filter((id) => this.cache.committedRecord(id) === undefined);
      const loaded = missing.length > 0 ? await this.load(missing) : new Map<string, InstanceRecord>();
      // What was just loaded is returned as read, even if more ids were asked than the cache keeps.
      return ids.map((id) => this.cache.committedRecord(id) ?? loaded.get(id)).filter((r): r is InstanceRecord => !!r);
    }
    const byId = await this.loader.load(ids);
    return ids.map((id) => byId.get(id)).filter((r): r is InstanceRecord => !!r);
  }

  /** Be told of every committed batch of units, in commit order. */
  onCommit(listener: CommitListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when every unit submitted so far is committed (or failed). */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private now(): string {
    return new Date(this.options.clock.now()).toISOString();
  }

  private submit(command: Command): { computed: Promise<UnitResult | null>; committed: Promise<UnitResult | null> } {
    let settleComputed!: (value: UnitResult | null) => void;
    let failComputed!: (error: unknown) => void;
    const computed = new Promise<UnitResult | null>((resolve, reject) => {
      settleComputed = resolve;
      failComputed = reject;
    });
    const committed = (async () => {
      for (let attempt = 1; ; attempt++) {
        if (attempt > 1 && command.kind === 'fire') {
          const { instanceId, timerId, dueMs } = command.timer;
          if (!(await this.options.store.isTimerPending(instanceId, timerId, dueMs))) return null;
        }
        let unit: { changeset: Changeset; touched: Iterable<InstanceRecord>; result: UnitResult | null };
        try {
          unit = await this.compute(command);
        } catch (error) {
          failComputed(error);
          throw error;
        }
        settleComputed(unit.result);
        try {
          await this.enqueue(unit, attempt > 1);
          return unit.result;
        } catch (error) {
          const retry = error instanceof BatchFailed && (attempt === 1 || error.cause instanceof StaleWriteError);
          if (!retry || attempt >= MAX_ATTEMPTS) throw error instanceof BatchFailed ? error.cause : error;
        }
      }
    })();
    // A caller awaits one of the two; the other must not surface as an unhandled rejection.
    committed.catch(() => undefined);
    computed.catch(() => undefined);
    return { computed, committed };
  }

  /** Compute a unit, loading what it reads, and lay its records over the cache. */
  private async compute(command: Command) {
    const fresh = new Map<string, InstanceRecord | null>();
    // The instance a command addresses is loaded before computing, rather than found
    // missing by the computation: a miss is thrown (its stack captured) and the work
    // before it done again. Instances reached from there are still found that way.
    const target = command.kind === 'send' ? command.instanceId : command.kind === 'fire' ? command.timer.instanceId : undefined;
    if (target !== undefined && this.known(target, fresh) === undefined) await this.load([target], fresh);
    for (;;) {
      try {
        const result = computeUnit(command, (id) => this.read(id, fresh), this.options, (id) => !!this.cache.latest(id));
        for (const record of result.touched.values()) this.cache.speculate(record);
        return { changeset: result.changeset, touched: result.touched.values(), result };
      } catch (error) {
        if (error instanceof CacheMiss) {
          await this.load([error.id], fresh);
          continue;
        }
        if (command.kind === 'fire' && (error instanceof EventRefusedError || error instanceof InstanceNotFoundError)) {
          // The deadline passed its moment (its state was left): record that it fired.
          const changeset = emptyChangeset();
          changeset.timersFired.push({ instanceId: command.timer.instanceId, timerId: command.timer.timerId, firedAt: new Date(command.timer.dueMs).toISOString() });
          return { changeset, touched: [], result: null };
        }
        throw error;
      }
    }
  }

  private read(id: string, fresh: Map<string, InstanceRecord | null>): InstanceRecord | undefined {
    const record = this.known(id, fresh);
    if (record === undefined) throw new CacheMiss(id);
    return record ?? undefined;
  }

  /** What a unit may take as the instance's current record: null when it is known not to exist, undefined when it must be loaded. */
  private known(id: string, fresh: Map<string, InstanceRecord | null>): InstanceRecord | null | undefined {
    return this.options.soleWriter || fresh.has(id) ? this.cache.latest(id) : undefined;
  }

  private async load(ids: readonly string[], fresh?: Map<string, InstanceRecord | null>): Promise<ReadonlyMap<string, InstanceRecord>> {
    const records = await this.loader.load(ids);
    for (const id of ids) {
      const record = records.get(id) ?? null;
      this.cache.loaded(id, record);
      fresh?.set(id, record);
    }
    return records;
  }

  private enqueue(unit: { changeset: Changeset; touched: Iterable<InstanceRecord>; result: UnitResult | null }, solo: boolean): Promise<void> {
    this.options.store.prepare(unit.changeset);
    return new Promise<void>((resolve, reject) => {
      // Spelled out rather than spread: a spread copy that then redefines a property takes V8's slow path.
      this.queue.push({ changeset: unit.changeset, touched: [...unit.touched], result: unit.result, solo, resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  /**
   * Commits queued units, one batch per transaction, until none are left. A batch's
   * callers are answered once the next batch's transaction is under way: what they do
   * next (compute another event, write a response) then runs beside that commit instead
   * of delaying its start.
   */
  private async flush(): Promise<void> {
    try {
      let batch: Queued[] | null = this.takeBatch();
      let commit = this.commit(batch);
      while (batch) {
        const failure = await commit;
        if (failure) {
          this.cache.clear();
          // Units queued behind this batch were computed on its speculative records.
          const behind = this.queue.splice(0);
          for (const unit of [...batch, ...behind]) unit.reject(new BatchFailed(failure.error));
          break;
        }
        const done: Queued[] = batch;
        batch = this.queue.length > 0 ? this.takeBatch(done.length) : null;
        commit = batch ? this.commit(batch) : Promise.resolve(undefined);
        // The next batch is written from the changesets, not the cache: its transaction is
        // under way before the cache takes this batch in and listeners start their work.
        for (const unit of done) this.cache.committedNow(unit.touched);
        this.notify(done);
        setImmediate(() => {
          for (const unit of done) unit.resolve();
        });
      }
    } finally {
      this.flushing = null;
    }
  }

  /** Commits a batch; resolves with its failure rather than rejecting, so it can run ahead of being awaited. */
  private async commit(batch: readonly Queued[]): Promise<{ error: unknown } | undefined> {
    try {
      await this.options.store.commit(batch.map((unit) => unit.changeset));
      return undefined;
    } catch (error) {
      return { error };
    }
  }

  private notify(batch: readonly Queued[]): void {
    const results = batch.map((unit) => unit.result).filter((r): r is UnitResult => r !== null);
    for (const listener of this.listeners) {
      try {
        listener(results);
      } catch {
        // A listener's failure must not undo or delay a commit that already happened.
      }
    }
  }

  /**
   * The next batch: queued units from the front, up to `maxBatch`, a solo unit alone, and
   * no more than half of what is queued and what was just committed together. Callers of
   * a committed batch send again while the next one commits, so the units in flight split
   * into two groups that take turns: one commits while the other computes. Left alone the
   * split keeps whatever shape it starts with, and it starts lopsided (the first event
   * commits alone while the rest queue behind it): a batch of one then costs a whole
   * commit, and the other group's computing overlaps nothing. Halving evens it out
   * within a few commits; a queue no longer than what was just committed is taken whole,
   * and so is the first batch of a flush (nothing was just committed).
   */
  private takeBatch(justCommitted = Number.POSITIVE_INFINITY): Queued[] {
    const first = this.queue[0]!;
    if (first.solo) return this.queue.splice(0, 1);
    const limit = Math.min(this.maxBatch, Math.ceil((this.queue.length + justCommitted) / 2), this.queue.length);
    let n = 1;
    while (n < limit && !this.queue[n]!.solo) n++;
    return this.queue.splice(0, n);
  }
}
