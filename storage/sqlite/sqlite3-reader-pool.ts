import type { DatabaseConnection, Driver, QueryCompiler, TransactionSettings } from 'kysely';
import type { Sqlite3DialectConfig } from './sqlite3-dialect-config.js';
import { Sqlite3Driver } from './sqlite3-driver.js';

/**
 * Kysely driver over several read-only connections to one SQLite file, each serialised
 * by a {@link Sqlite3Driver} of its own; a query takes the least busy. In WAL mode readers
 * neither wait for the writer nor hold it up, so reads of what is committed run beside
 * the group commit instead of queueing behind it on the one writing connection — and,
 * there being several, beside each other while one waits for the event loop to take its
 * rows.
 */
export class Sqlite3ReaderPoolDriver implements Driver {
  readonly #drivers: Sqlite3Driver[];
  // Handed out but not yet released, per driver: picks made in one turn see each other.
  readonly #load: number[];
  readonly #owners = new Map<DatabaseConnection, number>();

  constructor(config: Sqlite3DialectConfig, connections: number) {
    this.#drivers = Array.from({ length: Math.max(1, connections) }, () => new Sqlite3Driver(config));
    this.#load = this.#drivers.map(() => 0);
  }

  /** Opens every connection. */
  async init(): Promise<void> {
    await Promise.all(this.#drivers.map((driver) => driver.init()));
  }

  /** The least busy connection, once its driver hands it over. */
  async acquireConnection(): Promise<DatabaseConnection> {
    let index = 0;
    for (let i = 1; i < this.#load.length; i++) if (this.#load[i]! < this.#load[index]!) index = i;
    this.#load[index]!++;
    try {
      const connection = await this.#drivers[index]!.acquireConnection();
      this.#owners.set(connection, index);
      return connection;
    } catch (error) {
      this.#load[index]!--;
      throw error;
    }
  }

  /** A read transaction (deferred `BEGIN`): one snapshot for all its statements, never the write lock. */
  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await this.#driverOf(connection).beginTransaction(connection, { ...settings, accessMode: 'read only' });
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await this.#driverOf(connection).commitTransaction(connection);
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await this.#driverOf(connection).rollbackTransaction(connection);
  }

  async savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await this.#driverOf(connection).savepoint(connection, name, compile);
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await this.#driverOf(connection).rollbackToSavepoint(connection, name, compile);
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await this.#driverOf(connection).releaseSavepoint(connection, name, compile);
  }

  /** Gives the connection back to its driver. */
  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const index = this.#owners.get(connection)!;
    this.#owners.delete(connection);
    this.#load[index]!--;
    await this.#drivers[index]!.releaseConnection();
  }

  /** Closes every connection once the work already waiting for it is done; idempotent. */
  async destroy(): Promise<void> {
    await Promise.all(this.#drivers.map((driver) => driver.destroy()));
  }

  #driverOf(connection: DatabaseConnection): Sqlite3Driver {
    return this.#drivers[this.#owners.get(connection)!]!;
  }
}
