import { CompiledQuery, createQueryId, IdentifierNode, RawNode } from 'kysely';
import type { DatabaseConnection, Driver, QueryCompiler, RootOperationNode, TransactionSettings } from 'kysely';
import type { BatchStatement } from '../batch-statement.js';
import { ConnectionMutex } from './connection-mutex.js';
import { Sqlite3Connection } from './sqlite3-connection.js';
import type { Sqlite3DialectConfig } from './sqlite3-dialect-config.js';

const DEFAULT_STATEMENT_CACHE_SIZE = 200;

interface QueuedBatch {
  readonly statements: readonly BatchStatement[];
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
  readonly #batches: QueuedBatch[] = [];
  #runningBatches = false;
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
   */
  runBatch(statements: readonly BatchStatement[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#batches.push({ statements, resolve, reject });
      if (this.#runningBatches) return;
      this.#runningBatches = true;
      // Never rejects: every failure is handed to the batches' callers.
      void this.#runBatches();
    });
  }

  async #runBatches(): Promise<void> {
    // The flag drops in the same turn as the last look at the queue (no await between),
    // so a batch queued after that starts a run of its own instead of being stranded.
    try {
      while (this.#batches.length > 0) await this.#runQueuedGroup();
    } finally {
      this.#runningBatches = false;
    }
  }

  /** Commits every batch queued by the time the connection is ours, together if it can. */
  async #runQueuedGroup(): Promise<void> {
    let connection: Sqlite3Connection;
    try {
      connection = await this.#open();
      await this.#lock();
    } catch (error) {
      for (const batch of this.#batches.splice(0)) batch.reject(error);
      return;
    }
    const group = this.#batches.splice(0);
    try {
      if (group.length > 1) {
        try {
          await connection.runBatch(group.flatMap((batch) => batch.statements));
          for (const batch of group) batch.resolve();
          return;
        } catch {
          // Rolled back whole: each batch's own outcome comes from running it alone.
        }
      }
      for (const batch of group) {
        try {
          await connection.runBatch(batch.statements);
          batch.resolve();
        } catch (error) {
          batch.reject(error);
        }
      }
    } finally {
      this.#mutex.unlock();
    }
  }

  /** Closes the connection once the work already waiting for it is done; idempotent. */
  destroy(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
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
    return connection;
  }
}

// Kysely's own drivers use an internal parseSavepointCommand; this is the same node.
function savepointCommand(command: string, name: string): RootOperationNode {
  return RawNode.createWithChildren([RawNode.createWithSql(`${command} `), IdentifierNode.create(name)]);
}
