import sqlite3 from 'sqlite3';

// WAL lets readers in other processes run beside the writer; synchronous=FULL makes each
// commit durable against power loss (SPEC §9), which group commit makes nearly free;
// SQLite leaves foreign keys off unless asked, per connection; busy_timeout waits for
// another process's write lock instead of failing at once. Checkpoints run on a connection
// of their own (wal-checkpointer.ts); the automatic one is a backstop at 10,000 pages
// (40 MB) rather than SQLite's 1,000, and a WAL that grew is cut back to 64 MB.
const WRITER_PRAGMAS = [
  'journal_mode = WAL',
  'synchronous = FULL',
  'foreign_keys = ON',
  'busy_timeout = 5000',
  'wal_autocheckpoint = 10000',
  'journal_size_limit = 67108864',
];

// A reader refuses to write (query_only), so a write sent to it by mistake fails loudly
// instead of taking the write lock beside the writer; the file is in WAL mode already.
const READER_PRAGMAS = ['query_only = ON', 'busy_timeout = 5000'];

/**
 * Opens (creating if needed) an SQLite database file, or `:memory:`, with the pragmas
 * this service depends on; with `reader`, a connection that only reads a file the
 * writer has opened.
 */
export async function openSqlite3Database(filename: string, options: { reader?: boolean } = {}): Promise<sqlite3.Database> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const opened = new sqlite3.Database(filename, (err) => (err ? reject(err) : resolve(opened)));
  });
  try {
    await exec(db, (options.reader ? READER_PRAGMAS : WRITER_PRAGMAS).map((pragma) => `PRAGMA ${pragma};`).join('\n'));
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

function exec(db: sqlite3.Database, sql: string): Promise<void> {
  return new Promise((resolve, reject) => db.exec(sql, (err) => (err ? reject(err) : resolve())));
}
