import type { InstanceRecord } from './instance.js';

/**
 * Snapshot JSON the committed layer may hold unless told otherwise: about 64,000
 * subscriptions of ~1 kB. In-process users of the engine (its benchmarks hold 10,000
 * subscriptions) keep their working sets; a few thousand very large records (subscriptions
 * listing thousands of assigned users) cannot take the memory of a hundred thousand.
 */
export const DEFAULT_CACHE_BUDGET_BYTES = 64 * 2 ** 20;

// One record in this many is measured (JSON.stringify, a few µs): the commit path stays
// cheap, and the mean follows the mix of machines and sizes all the same.
const SAMPLE_EVERY = 16;

// Weight of each new measurement in the running mean: about the last 64 measured.
const MEAN_WEIGHT = 1 / 64;

// Versions of this many of the latest evicted records are remembered (~1 MB), so that a
// read that began before one of them was committed cannot bring back an older version:
// enough for reads that take as long as that many evictions.
const EVICTED_REMEMBERED = 10_000;

/**
 * Snapshots the engine has seen, in two layers: `committed` (what the database holds,
 * bounded, least recently used evicted) and `pending` (computed by units whose commit is
 * under way). Units compute on top of pending, so events that arrive together can be
 * computed one after another and committed together; readers see only committed.
 *
 * The committed layer holds at most `capacity` records, and no more than fit in
 * `budgetBytes` of snapshot JSON at the mean size of a record: a count alone would let the
 * cache take ten times the memory when records are ten times larger. Records over the
 * bound are evicted once the current turn of the event loop is over, not as they arrive:
 * the engine reads back what it has just loaded (a batch of reads may be larger than the
 * bound), and a unit reads the records it loaded one by one.
 */
export class InstanceCache {
  private readonly committed = new Map<string, InstanceRecord | null>();
  private readonly pending = new Map<string, InstanceRecord>();
  /** Version of each recently evicted record, oldest eviction first. */
  private readonly evicted = new Map<string, number>();
  private meanBytes = 0;
  private arrivals = 0;
  private evicting: NodeJS.Immediate | null = null;

  constructor(
    private readonly capacity: number,
    private readonly budgetBytes: number = DEFAULT_CACHE_BUDGET_BYTES,
  ) {}

  /** The newest known record (pending first); null when known absent; undefined when unknown. */
  latest(id: string): InstanceRecord | null | undefined {
    return this.pending.get(id) ?? this.committedRecord(id);
  }

  /** The committed record; null when known absent; undefined when unknown. */
  committedRecord(id: string): InstanceRecord | null | undefined {
    const record = this.committed.get(id);
    if (record === undefined) return undefined;
    // Re-insert to mark it most recently used.
    this.committed.delete(id);
    this.committed.set(id, record);
    return record;
  }

  /**
   * Remember what the database holds (null: no such instance), unless something newer is
   * known. A read may have begun before a commit that the cache has taken in since (reads
   * run beside commits), so an older record, or an absence, never replaces a known record,
   * nor one evicted since (instances are never deleted).
   */
  loaded(id: string, record: InstanceRecord | null): void {
    const known = this.committed.get(id);
    if (known && (!record || known.version >= record.version)) return;
    const gone = known === undefined ? this.evicted.get(id) : undefined;
    if (gone !== undefined && (!record || record.version < gone)) return;
    this.setCommitted(id, record);
  }

  /** A unit computed this record; its commit is under way. */
  speculate(record: InstanceRecord): void {
    this.pending.set(record.id, record);
  }

  /** The commit of these records succeeded. */
  committedNow(records: Iterable<InstanceRecord>): void {
    for (const record of records) {
      const known = this.committed.get(record.id);
      if (!known || known.version < record.version) this.setCommitted(record.id, record);
      if (this.pending.get(record.id) === record) this.pending.delete(record.id);
    }
  }

  /** Forget everything: after a failed commit nothing speculative or cached can be trusted. */
  clear(): void {
    this.pending.clear();
    this.committed.clear();
  }

  /** Number of committed records held. */
  get size(): number {
    return this.committed.size;
  }

  /** The most committed records held at the current mean size. */
  get limit(): number {
    if (this.meanBytes === 0) return this.capacity;
    return Math.max(1, Math.min(this.capacity, Math.floor(this.budgetBytes / this.meanBytes)));
  }

  private setCommitted(id: string, record: InstanceRecord | null): void {
    if (record && this.arrivals++ % SAMPLE_EVERY === 0) this.measure(record);
    this.committed.delete(id);
    this.committed.set(id, record);
    if (this.committed.size > this.limit && !this.evicting) {
      // After the microtasks of this turn: the caller's awaits resume before it runs.
      this.evicting = setImmediate(() => {
        this.evicting = null;
        this.evict();
      });
      this.evicting.unref();
    }
  }

  private measure(record: InstanceRecord): void {
    const bytes = JSON.stringify(record.persisted).length;
    this.meanBytes = this.meanBytes === 0 ? bytes : this.meanBytes + (bytes - this.meanBytes) * MEAN_WEIGHT;
  }

  /** Drops the least recently used records over the limit, except those with a commit under way. */
  private evict(): void {
    let excess = this.committed.size - this.limit;
    if (excess <= 0) return;
    for (const [id, record] of this.committed) {
      if (excess <= 0) break;
      if (this.pending.has(id)) continue;
      this.committed.delete(id);
      if (record) this.rememberEvicted(id, record.version);
      excess--;
    }
  }

  private rememberEvicted(id: string, version: number): void {
    this.evicted.delete(id);
    this.evicted.set(id, version);
    if (this.evicted.size > EVICTED_REMEMBERED) this.evicted.delete(this.evicted.keys().next().value!);
  }
}
