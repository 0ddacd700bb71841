interface Waiting<T> {
  readonly item: T;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Writes items in groups: those submitted while a write is under way go together in the
 * next one. Each submitter is answered when the write holding its item is done (or
 * failed), so a burst of N costs about two writes, not N.
 */
export class Coalescer<T> {
  private waiting: Waiting<T>[] = [];
  private writing: Promise<void> | null = null;

  constructor(private readonly write: (items: readonly T[]) => Promise<void>) {}

  submit(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.writing ??= this.drain();
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        const group = this.waiting;
        this.waiting = [];
        try {
          await this.write(group.map((w) => w.item));
          for (const w of group) w.resolve();
        } catch (error) {
          for (const w of group) w.reject(error);
        }
      }
    } finally {
      this.writing = null;
    }
  }
}
