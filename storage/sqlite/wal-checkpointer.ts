import type sqlite3 from 'sqlite3';
import { openSqlite3Database } from './open-sqlite3-database.js';

// Soon enough that the WAL stays a few megabytes under load; late enough that one
// checkpoint takes in the pages of many commits.
const DEFAULT_DELAY_MS = 100;

/**
 * Copies committed pages from the WAL into the database file on a connection of its own,
 * off the write path. Left to SQLite (`wal_autocheckpoint`), the commit that takes the WAL
 * past its limit runs the checkpoint itself, the database file's fsync included, while
 * every caller in its batch waits; here a PASSIVE checkpoint runs on another thread
 * beside the writer, which SQLite allows. The connection's own automatic checkpoint is
 * kept as a backstop at a higher limit (see open-sqlite3-database.ts).
 */
export class WalCheckpointer {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #closed: Promise<void> | undefined;

  private constructor(
    private readonly db: sqlite3.Database,
    private readonly delayMs: number,
  ) {}

  static async open(filename: string, delayMs = DEFAULT_DELAY_MS): Promise<WalCheckpointer> {
    return new WalCheckpointer(await openSqlite3Database(filename), delayMs);
  }

  /** Something was committed: checkpoint soon. */
  written(): void {
    if (this.#closed) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    if (this.#timer) return;
    this.#timer = setTimeout(() => this.#run(), this.delayMs);
    // A pending checkpoint must not keep the process alive; closing the last connection checkpoints anyway.
    this.#timer.unref();
  }

  /** Stops checkpointing and closes the connection, after the checkpoint under way; idempotent. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      clearTimeout(this.#timer);
      await this.#running;
      await new Promise<void>((resolve, reject) => this.db.close((err) => (err ? reject(err) : resolve())));
    })();
    return this.#closed;
  }

  #run(): void {
    this.#timer = undefined;
    this.#running = new Promise<void>((resolve) => {
      // SQLITE_BUSY (another checkpoint, or a truncating one) is not a failure: the next write tries again.
      this.db.run('PRAGMA wal_checkpoint(PASSIVE)', () => resolve());
    }).then(() => {
      this.#running = undefined;
      if (this.#again) {
        this.#again = false;
        this.written();
      }
    });
  }
}
