/**
 * Serialises access to the one SQLite connection. A FIFO queue of waiters rather than
 * Kysely's loop over a shared promise: under load hundreds of requests wait here, and
 * waking only the next one keeps each release O(1).
 */
export class ConnectionMutex {
  #locked = false;
  readonly #waiters: (() => void)[] = [];

  /** Takes the connection if it is free, in this turn; false if someone holds it. */
  tryLock(): boolean {
    if (this.#locked) return false;
    this.#locked = true;
    return true;
  }

  /** Resolves once the caller holds the connection. */
  lock(): Promise<void> {
    if (!this.#locked) {
      this.#locked = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Hands the connection to the next waiter, if any. */
  unlock(): void {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#locked = false;
  }
}
