import { Kysely, sql } from 'kysely';
import type { Database, OpenDatabaseOptions } from './database.js';
import { migrateToLatest } from './migrate.js';
import { openSqlite3Database } from './sqlite/open-sqlite3-database.js';
import { Sqlite3Dialect } from './sqlite/sqlite3-dialect.js';
import { WalCheckpointer } from './sqlite/wal-checkpointer.js';
import type { Tables } from './tables.js';

/** Opens an SQLite file (or `:memory:`) on one connection shared by Kysely and runBatch. */
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
  try {
    // A database in memory has no WAL to checkpoint.
    if (!isInMemory(filename)) checkpointer = await WalCheckpointer.open(filename);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return {
    db,
    dialect: 'sqlite',
    runBatch: async (statements) => {
      await dialect.runBatch(statements);
      checkpointer?.written();
    },
    close: async () => {
      await checkpointer?.close();
      await db.destroy();
    },
  };
}

function isInMemory(filename: string): boolean {
  return filename === '' || filename === ':memory:' || filename.startsWith('file::memory:');
}
