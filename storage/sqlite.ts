import { Kysely, sql } from 'kysely';
import type { Database, OpenDatabaseOptions } from './database.js';
import { migrateToLatest } from './migrate.js';
import { openSqlite3Database } from './sqlite/open-sqlite3-database.js';
import { Sqlite3Dialect } from './sqlite/sqlite3-dialect.js';
import { WalCheckpointer } from './sqlite/wal-checkpointer.js';
import type { Tables } from './tables.js';

// Readers beside the writer: a cache miss, a charge's profile, a page of a list. Each takes
// a thread of libuv's pool (4 by default) while it runs, as do the writer and the
// checkpointer; two leave the pool room for the file writes of the log.
const READERS = 2;

/**
 * Opens an SQLite file (or `:memory:`): one connection shared by Kysely (`db`) and
 * runBatch, and a pool of read-only ones (`reader`). A database in memory is one
 * connection's own, so there `reader` is `db`.
 */
export async function openSqlite(filename: string, options: OpenDatabaseOptions = {}): Promise<Database> {
  const dialect = new Sqlite3Dialect({ database: () => openSqlite3Database(filename) });
  const db = new Kysely<Tables>({ dialect });
  try {
    // Either way the connection opens now, through Kysely: a bad path fails at start-up,
    // and Kysely, having opened it, is the one that closes it.
    if (options.migrate === false) await sql`select 1`.execute(db);
    else await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  let checkpointer: WalCheckpointer | undefined;
  let reader = db;
  try {
    // A database in memory has no WAL to checkpoint, and no other connection can see it.
    if (!isInMemory(filename)) {
      checkpointer = await WalCheckpointer.open(filename);
      reader = new Kysely<Tables>({ dialect: new Sqlite3Dialect({ database: () => openSqlite3Database(filename, { reader: true }), readers: READERS }) });
      // Open now, so that a file the writer could open but readers cannot fails at start-up.
      await sql`select 1`.execute(reader);
    }
  } catch (error) {
    if (reader !== db) await reader.destroy();
    await checkpointer?.close();
    await db.destroy();
    throw error;
  }
  return {
    db,
    reader,
    dialect: 'sqlite',
    runBatch: async (statements, options) => {
      await dialect.runBatch(statements, options);
      checkpointer?.written();
    },
    close: async () => {
      if (reader !== db) await reader.destroy();
      await checkpointer?.close();
      await db.destroy();
    },
  };
}

function isInMemory(filename: string): boolean {
  return filename === '' || filename === ':memory:' || filename.startsWith('file::memory:');
}
