import { CompiledQuery, createQueryId, IdentifierNode, RawNode } from 'kysely';
import type { DatabaseConnection, Driver, QueryCompiler, RootOperationNode, TransactionSettings } from 'kysely';
import type { BatchStatement, RunBatchOptions } from '../batch-statement.js';
import { ConnectionMutex } from './connection-mutex.js';
import { Sqlite3Connection } from './sqlite3-connection.js';
import type { Sqlite3DialectConfig } from './sqlite3-dialect-config.js';

const DEFAULT_STATEMENT_CACHE_SIZE = 200;

// How long a deferrable batch may wait for another to commit with. Under load the next
// group commit comes within a millisecond or two; when idle, the wait is all it costs.
const DEFERRABLE_WAIT_MS = 10;

interface QueuedBatch {
  readonly statements: readonly BatchStatement[];
  readonly deferrable: boolean;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Kysely driver over the one `sqlite3` connection. Kysely and {@link runBatch} take the
 * same mutex, so a batch never lands inside a Kysely transaction or the reverse.
 */
export class Sqlite3Driver implements Driver {
  readonly #config: Sqlite3DialectConfig;
  readonly #mutex = new ConnectionMutex();
  #connection: Promise<Sqlite3Connection> | undefined;
  /** The connection once open, so that a batch finding it free starts in the same turn. */
  #opened: Sqlite3Connection | undefined;
  readonly #batches: QueuedBatch[] = [];
  /** Deferrable batches have waited long enough: run them even alone. */
  #deferredDue = false;
  #deferredTimer: NodeJS.Timeout | undefined;
  #runningBatches = false;
  /** Closing: whatever is queued runs now. */
  #draining = false;
  /** Waiting for the batches under way and queued to be written (the close). */
  readonly #runEnded: (() => void)[] = [];
  #closing: Promise<void> | undefined;
  #closed = false;

  constructor(config: Sqlite3DialectConfig) {
    this.#config = config;
  }

  /** Opens the connection; safe to call more than once. */
  async init(): Promise<void> {
    await this.#open();
  }

  /** Waits until no one else holds the connection, then hands it out. */
  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.#open();
    await this.#lock();
    return connection;
  }

  /**
   * Begins with IMMEDIATE unless read-only: a deferred transaction that reads, then
   * writes fails at once with SQLITE_BUSY (no busy wait) if another process wrote in
   * between. Within this process access is serialised anyway, so it costs nothing.
   */
  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const begin = settings.accessMode === 'read only' ? 'begin' : 'begin immediate';
    await connection.executeQuery(CompiledQuery.raw(begin));
  }

  /** Commits the open transaction. */
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  /** Rolls back the open transaction. */
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  /** Creates a savepoint inside the open transaction. */
  async savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await connection.executeQuery(compile(savepointCommand('savepoint', name), createQueryId()));
  }

  /** Rolls back to a savepoint. */
  async rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    await connection.executeQuery(compile(savepointCommand('rollback to', name), createQueryId()));
  }

  /** Releases a savepoint. */
  async releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await connection.executeQuery(compile(savepointCommand('release', name), createQueryId()));
  }

  /** Lets the next waiter have the connection. */
  async releaseConnection(): Promise<void> {
    this.#mutex.unlock();
  }

  /**
   * Runs statements in one transaction on the shared connection, between Kysely's turns.
   * Batches that queue up while the connection is busy are committed together, in the
   * order they came, each caller answered after that commit: with synchronous=FULL every
   * commit is a sync of the WAL, and the engine's group commit and the outbox's outcome
   * writes would otherwise take turns paying it. If the joint transaction fails, each
   * batch is run again alone, so that one batch's error (a stale write, say) is its own.
   *
   * A deferrable batch (see {@link RunBatchOptions}) waits up to {@link DEFERRABLE_WAIT_MS}
   * for another batch to go with: written alone it would cost a sync of its own, and the
   * batch behind it would wait for that sync.
   */
  runBatch(statements: readonly BatchStatement[], options: RunBatchOptions = {}): Promise<void> {
    return new Promise((resolve, reject) => {
      const deferrable = options.deferrable === true;
      this.#batches.push({ statements, deferrable, resolve, reject });
      if (deferrable) this.#deferredTimer ??= setTimeout(() => this.#deferredWaited(), DEFERRABLE_WAIT_MS);
      this.#startBatches();
    });
  }

  #deferredWaited(): void {
    this.#deferredTimer = undefined;
    this.#deferredDue = true;
    this.#startBatches();
  }

  /** Runs the queue unless a run is under way or only deferrable batches wait, and not for long yet. */
  #startBatches(): void {
    if (this.#runningBatches || !this.#mayRun()) return;
    this.#runningBatches = true;
    // Never rejects: every failure is handed to the batches' callers. When the connection
    // is free the group is under way before this returns (no await before its exec).
    void this.#runQueuedGroup();
  }

  #mayRun(): boolean {
    // The queue is a handful of batches: looking through it beats keeping a count in step.
    return this.#batches.length > 0 && (this.#deferredDue || this.#draining || this.#batches.some((batch) => !batch.deferrable));
  }

  /**
   * Commits every batch queued by the time the connection is ours, together if it can.
   * The next group starts, and the connection is free again, before this group's callers
   * hear back: a batch they send then finds it free, or joins what is queued.
   */
  async #runQueuedGroup(): Promise<void> {
    const answers: (() => void)[] = [];
    try {
      let connection = this.#opened;
      // A free connection is taken in this turn: awaiting a resolved promise would let
      // whatever else waits on the microtask queue run before this group's exec.
      if (connection === undefined || this.#closed || !this.#mutex.tryLock()) {
        try {
          connection = await this.#open();
          await this.#lock();
        } catch (error) {
          for (const batch of this.#takeQueue()) answers.push(() => batch.reject(error));
          return;
        }
      }
      try {
        await this.#commitGroup(connection, this.#takeQueue(), answers);
      } finally {
        this.#mutex.unlock();
      }
    } finally {
      this.#runningBatches = false;
      this.#startBatches();
      if (!this.#runningBatches) for (const ended of this.#runEnded.splice(0)) ended();
      for (const answer of answers) answer();
    }
  }

  /** Commits a group in one transaction, or each batch alone if that fails; collects each caller's answer. */
  async #commitGroup(connection: Sqlite3Connection, group: readonly QueuedBatch[], answers: (() => void)[]): Promise<void> {
    if (group.length > 1) {
      try {
        await connection.runBatch(group.flatMap((batch) => batch.statements));
        for (const batch of group) answers.push(batch.resolve);
        return;
      } catch {
        // Rolled back whole: each batch's own outcome comes from running it alone.
      }
    }
    for (const batch of group) {
      try {
        await connection.runBatch(batch.statements);
        answers.push(batch.resolve);
      } catch (error) {
        answers.push(() => batch.reject(error));
      }
    }
  }

  /** The whole queue, deferrable batches included: they share this group's commit. */
  #takeQueue(): QueuedBatch[] {
    this.#deferredDue = false;
    clearTimeout(this.#deferredTimer);
    this.#deferredTimer = undefined;
    return this.#batches.splice(0);
  }

  /** Closes the connection once the work already waiting for it is done; idempotent. */
  destroy(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    // Every queued batch is written first, deferrable ones too: a group commits as soon as
    // the one before ends, and the close must not take the connection between the two.
    this.#draining = true;
    this.#startBatches();
    while (this.#runningBatches) await new Promise<void>((resolve) => this.#runEnded.push(resolve));
    if (!this.#connection) return;
    const connection = await this.#connection;
    await this.#mutex.lock();
    try {
      await connection.close();
    } finally {
      // Later callers queued behind the close wake up to an error, not a hang.
      this.#closed = true;
      this.#mutex.unlock();
    }
  }

  async #lock(): Promise<void> {
    await this.#mutex.lock();
    if (this.#closed) {
      this.#mutex.unlock();
      throw new Error('the SQLite connection is closed');
    }
  }

  #open(): Promise<Sqlite3Connection> {
    this.#connection ??= this.#connect().catch((error: unknown) => {
      // Let a later call try again, as Kysely's own drivers do.
      this.#connection = undefined;
      throw error;
    });
    return this.#connection;
  }

  async #connect(): Promise<Sqlite3Connection> {
    const { database, onCreateConnection, statementCacheSize } = this.#config;
    const db = typeof database === 'function' ? await database() : database;
    const connection = new Sqlite3Connection(db, statementCacheSize ?? DEFAULT_STATEMENT_CACHE_SIZE);
    await onCreateConnection?.(connection);
    this.#opened = connection;
    return connection;
  }
}

// Kysely's own drivers use an internal parseSavepointCommand; this is the same node.
function savepointCommand(command: string, name: string): RootOperationNode {
  return RawNode.createWithChildren([RawNode.createWithSql(`${command} `), IdentifierNode.create(name)]);
}
