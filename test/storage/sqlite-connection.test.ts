import { sql } from 'kysely';
import { copyFile, rm } from 'node:fs/promises';
import { describe, expect, test, vi } from 'vitest';
import { openDatabase } from '../../storage/database.js';
import { openSqlite3Database } from '../../storage/sqlite/open-sqlite3-database.js';
import { Sqlite3Dialect } from '../../storage/sqlite/sqlite3-dialect.js';
import { databaseTest } from '../helpers/databases.js';

const sqliteTest = databaseTest('sqlite');

async function pragma(database: Awaited<ReturnType<typeof openDatabase>>, name: string): Promise<unknown> {
  const { rows } = await sql<Record<string, unknown>>`pragma ${sql.raw(name)}`.execute(database.db);
  return Object.values(rows[0] ?? {})[0];
}

describe('sqlite: connection settings', () => {
  sqliteTest('a file database is in WAL mode, fully synchronous, with foreign keys on', async ({ database }) => {
    expect(await pragma(database, 'journal_mode')).toBe('wal');
    expect(await pragma(database, 'synchronous')).toBe(2); // FULL
    expect(await pragma(database, 'foreign_keys')).toBe(1);
    expect(await pragma(database, 'busy_timeout')).toBe(5000);
    // The backstop behind the checkpointer's own connection.
    expect(await pragma(database, 'wal_autocheckpoint')).toBe(10_000);
  });

  sqliteTest('committed batches reach the database file without a checkpoint on the writing connection', async ({ sandbox }) => {
    const database = await sandbox.open();
    const file = sandbox.file!;
    await database.runBatch([{ sql: 'insert into partners (id, name, created_at) values (?, ?, ?)', params: ['p1', 'x', 'now'] }]);
    // The main file alone, copied without its WAL, holds only what was checkpointed into it.
    const copy = `${file}.copy`;
    const partnersInMainFile = async () => {
      await copyFile(file, copy);
      await rm(`${copy}-wal`, { force: true });
      const opened = await openDatabase(`sqlite:${copy}`, { migrate: false });
      try {
        return (await opened.db.selectFrom('partners').select('id').execute()).length;
      } finally {
        await opened.close();
      }
    };
    await vi.waitFor(async () => expect(await partnersInMainFile()).toBe(1), { timeout: 10_000, interval: 50 });
  });

  test('sqlite::memory: opens, migrates and keeps foreign keys on', async () => {
    const database = await openDatabase('sqlite::memory:');
    try {
      expect(await pragma(database, 'journal_mode')).toBe('memory');
      expect(await pragma(database, 'foreign_keys')).toBe(1);
      await database.runBatch([{ sql: 'insert into clock (id, now_ms) values (?, ?)', params: [1, 7] }]);
      expect(await database.db.selectFrom('clock').select('now_ms').execute()).toEqual([{ now_ms: 7 }]);
    } finally {
      await database.close();
    }
  });

  sqliteTest('closing and reopening a file keeps its data', async ({ sandbox }) => {
    const first = await sandbox.open();
    await first.db.insertInto('clock').values({ id: 1, now_ms: 42 }).execute();
    await first.runBatch([{ sql: 'update clock set now_ms = now_ms + ?', params: [1] }]);
    await first.close();
    await expect(first.db.selectFrom('clock').selectAll().execute()).rejects.toThrow();
    const second = await sandbox.open();
    expect(await second.db.selectFrom('clock').selectAll().execute()).toEqual([{ id: 1, now_ms: 43 }]);
  });

  sqliteTest('close waits for work already queued on the connection', async ({ sandbox }) => {
    const database = await sandbox.open();
    const writes = Array.from({ length: 10 }, (_, i) =>
      database.runBatch([{ sql: 'insert into partners (id, name, created_at) values (?, ?, ?)', params: [`p${i}`, 'x', 'now'] }]),
    );
    await database.close();
    await Promise.all(writes);
    await expect(database.runBatch([])).rejects.toThrow(/closed/);
    const reopened = await sandbox.open();
    expect(await reopened.db.selectFrom('partners').select('id').execute()).toHaveLength(10);
  });

  test('an unknown URL scheme is refused without echoing the URL', () => {
    expect(() => openDatabase('mysql://user:secret@host/db')).toThrow(/^unsupported database URL scheme: mysql: /);
    expect(() => openDatabase('mysql://user:secret@host/db')).not.toThrow(/secret/);
  });
});

describe('sqlite: readers', () => {
  const insertPartner = (id: string) => ({ sql: 'insert into partners (id, name, created_at) values (?, ?, ?)', params: [id, 'x', 'now'] });

  sqliteTest('see what the writer committed, on connections of their own', async ({ database }) => {
    expect(database.reader).not.toBe(database.db);
    await database.runBatch([insertPartner('p1')]);
    expect(await database.reader.selectFrom('partners').select('id').execute()).toEqual([{ id: 'p1' }]);
  });

  sqliteTest('read while the writer holds a transaction open, and see only what it committed', async ({ database }) => {
    await database.runBatch([insertPartner('p1')]);
    let finish!: () => void;
    const held = new Promise<void>((resolve) => (finish = resolve));
    let inside!: () => void;
    const begun = new Promise<void>((resolve) => (inside = resolve));
    const writing = database.db.transaction().execute(async (trx) => {
      await trx.insertInto('partners').values({ id: 'p2', name: 'x', created_at: 'now' }).execute();
      inside();
      await held;
    });
    await begun;
    // Queued behind the writer's transaction, this read would wait for `finish` forever.
    expect(await database.reader.selectFrom('partners').select('id').execute()).toEqual([{ id: 'p1' }]);
    finish();
    await writing;
    expect(await database.reader.selectFrom('partners').select('id').orderBy('id').execute()).toEqual([{ id: 'p1' }, { id: 'p2' }]);
  });

  sqliteTest('refuse to write, and have no batch to run', async ({ database }) => {
    await expect(database.reader.insertInto('partners').values({ id: 'p1', name: 'x', created_at: 'now' }).execute()).rejects.toThrow(/readonly|read-only|query_only/i);
    await expect(sql`begin immediate`.execute(database.reader)).rejects.toThrow(/readonly|read-only|query_only/i);
    expect(await database.db.selectFrom('partners').select('id').execute()).toEqual([]);
  });

  sqliteTest('answer more queries at once than there are connections, transactions included', async ({ database }) => {
    await database.runBatch(Array.from({ length: 20 }, (_, i) => insertPartner(`p${String(i).padStart(2, '0')}`)));
    const reads = Array.from({ length: 50 }, (_, i) =>
      i % 5 === 0
        ? database.reader.transaction().execute(async (trx) => (await trx.selectFrom('partners').select('id').execute()).length)
        : database.reader.selectFrom('partners').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow().then((row) => Number(row.n)),
    );
    expect(await Promise.all(reads)).toEqual(Array.from({ length: 50 }, () => 20));
  });

  sqliteTest('close with the database', async ({ sandbox }) => {
    const database = await sandbox.open();
    await database.close();
    await expect(database.reader.selectFrom('partners').select('id').execute()).rejects.toThrow();
  });

  test('are opened one by one, so a dialect of readers takes a function that opens each', async () => {
    const opened = await openSqlite3Database(':memory:');
    try {
      expect(() => new Sqlite3Dialect({ database: opened, readers: 2 })).toThrow(TypeError);
    } finally {
      opened.close();
    }
  });

  sqliteTest('run no batch: that takes the writing connection', async ({ sandbox }) => {
    const dialect = new Sqlite3Dialect({ database: () => openSqlite3Database(sandbox.file!, { reader: true }), readers: 2 });
    await expect(dialect.runBatch([{ sql: 'select 1', params: [] }])).rejects.toThrow(/writing connection/);
  });

  test('in memory, are the writer itself: no other connection sees that database', async () => {
    const database = await openDatabase('sqlite::memory:');
    try {
      expect(database.reader).toBe(database.db);
    } finally {
      await database.close();
    }
  });
});
