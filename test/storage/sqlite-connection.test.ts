import { sql } from 'kysely';
import { copyFile, rm } from 'node:fs/promises';
import { describe, expect, test, vi } from 'vitest';
import { openDatabase } from '../../storage/database.js';
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
