interface Waiting<T> {
  readonly ids: readonly string[];
  resolve(records: ReadonlyMap<string, T>): void;
  reject(error: unknown): void;
}

/** Reads the rows of the ids asked for; unknown ones are absent. */
export type LoadByIds<T> = (ids: readonly string[]) => Promise<T[]>;

/**
 * Reads by id grouped as commits are (the engine's cache misses, the billing profiles of
 * charges): while `maxInFlight` reads are under way, the ids asked for meanwhile wait and
 * go together in the next read. Every database call has a fixed cost on the event loop
 * (with sqlite3, a round trip through libuv's pool: tens of µs) whatever it reads, and
 * under load the reads of many requests arrive together. When nothing is in flight a read
 * starts at once, so an idle service waits for nothing. A caller's ids always go into a
 * read that starts after it asked, never into one already under way: what it gets is at
 * least as fresh as a read of its own.
 */
export class LoadCoalescer<T extends { readonly id: string }> {
  private waiting: Waiting<T>[] = [];
  private inFlight = 0;

  constructor(
    private readonly read: LoadByIds<T>,
    private readonly maxInFlight = 2,
  ) {}

  /** The records of these ids, by id. */
  load(ids: readonly string[]): Promise<ReadonlyMap<string, T>> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ ids, resolve, reject });
      if (this.inFlight < this.maxInFlight) void this.next();
    });
  }

  /** Reads for everything waiting; then, while more waits, again. Never rejects: callers get the errors. */
  private async next(): Promise<void> {
    const group = this.waiting;
    this.waiting = [];
    this.inFlight++;
    try {
      const records = await this.read([...new Set(group.flatMap((w) => w.ids))]);
      const byId = new Map(records.map((r) => [r.id, r]));
      for (const w of group) w.resolve(byId);
    } catch (error) {
      for (const w of group) w.reject(error);
    } finally {
      this.inFlight--;
      if (this.waiting.length > 0) void this.next();
    }
  }
}
