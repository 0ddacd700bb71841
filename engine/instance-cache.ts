import type { InstanceRecord } from './instance.js';

/**
 * Snapshots the engine has seen, in two layers: `committed` (what the database holds,
 * bounded, least recently used evicted) and `pending` (computed by units whose commit is
 * under way). Units compute on top of pending, so events that arrive together can be
 * computed one after another and committed together; readers see only committed.
 */
export class InstanceCache {
  private readonly committed = new Map<string, InstanceRecord | null>();
  private readonly pending = new Map<string, InstanceRecord>();

  constructor(private readonly capacity: number) {}

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

  /** Remember what the database holds (null: no such instance), unless something newer is known. */
  loaded(id: string, record: InstanceRecord | null): void {
    const known = this.committed.get(id);
    if (known && record && known.version >= record.version) return;
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

  private setCommitted(id: string, record: InstanceRecord | null): void {
    this.committed.delete(id);
    this.committed.set(id, record);
    if (this.committed.size > this.capacity) {
      const oldest = this.committed.keys().next().value as string;
      if (!this.pending.has(oldest)) this.committed.delete(oldest);
    }
  }
}
