import { Kysely } from 'kysely';
import { describe, expect } from 'vitest';
import type { BatchStatement, Database, Tables } from '../../storage/database.js';
import { openSqlite3Database } from '../../storage/sqlite/open-sqlite3-database.js';
import { Sqlite3Dialect } from '../../storage/sqlite/sqlite3-dialect.js';
import { isUniqueViolation } from '../../storage/errors.js';
import { BACKENDS, databaseTest } from '../helpers/databases.js';

const AT = '2025-01-01T00:00:00.000Z';

// On SQLite a batch whose values can all be written as exact literals runs as one
// script; a fraction forces the statement-by-statement path. Both must behave the same.
const PATHS = { script: 'Fabrikam', statements: 0.5 } as const;

function partner(id: string, name: string | number): BatchStatement {
  return { sql: 'insert into partners (id, name, created_at) values (?, ?, ?)', params: [id, name, AT] };
}

async function partnerIds(database: Database | Kysely<Tables>): Promise<string[]> {
  const db = 'db' in database ? database.db : database;
  const rows = await db.selectFrom('partners').select('id').orderBy('id').execute();
  return rows.map((row) => row.id);
}

for (const backend of BACKENDS) {
  const test = databaseTest(backend);

  for (const [path, name] of Object.entries(PATHS)) {
    describe(`${backend}: runBatch (${path})`, () => {
      test('commits every statement, values intact', async ({ database }) => {
        await database.runBatch([
          partner('p1', name),
          partner('p2', "O'Brien ? -- not a comment"),
          { sql: 'update partners set created_at = ? where id = ?', params: [name, 'p1'] },
        ]);
        const rows = await database.db.selectFrom('partners').select(['id', 'name', 'created_at']).orderBy('id').execute();
        expect(rows).toEqual([
          { id: 'p1', name: String(name), created_at: String(name) },
          { id: 'p2', name: "O'Brien ? -- not a comment", created_at: AT },
        ]);
      });

      test('a failing statement in the middle rolls everything back', async ({ database }) => {
        await database.runBatch([partner('p0', name)]);
        const failing = database.runBatch([partner('p1', name), partner('p0', name), partner('p2', name)]);
        const error: unknown = await failing.catch((e: unknown) => e);
        expect(isUniqueViolation(error)).toBe(true);
        expect(await partnerIds(database)).toEqual(['p0']);
        // The connection is usable, and outside any transaction, afterwards.
        await database.runBatch([partner('p3', name)]);
        expect(await partnerIds(database)).toEqual(['p0', 'p3']);
      });
    });
  }

  describe(`${backend}: runBatch`, () => {
    test('foreign keys are checked at commit, across the whole batch', async ({ database }) => {
      const instance = (id: string, parentId: string | null): BatchStatement => ({
        sql: 'insert into instances (id, machine, version, snapshot, status, parent_id, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?)',
        params: [id, 'invoice', 1, '{}', 'open', parentId, AT, AT],
      });
      await database.runBatch([instance('child', 'parent'), instance('parent', null)]);
      await expect(database.runBatch([instance('other', null), instance('orphan', 'missing')])).rejects.toThrow(/foreign key/i);
      const rows = await database.db.selectFrom('instances').select('id').orderBy('id').execute();
      expect(rows).toEqual([{ id: 'child' }, { id: 'parent' }]);
    });

    test('interleaves safely with concurrent Kysely transactions and queries', async ({ database }) => {
      const work: Promise<unknown>[] = [];
      for (let i = 0; i < 50; i++) {
        // Odd batches fail on their last statement; odd transactions throw after writing.
        const batch = [partner(`b${i}a`, 'x'), partner(`b${i}b`, 'x')];
        work.push(database.runBatch(i % 2 === 0 ? batch : [...batch, partner(`b${i}a`, 'x')]));
        work.push(
          database.db.transaction().execute(async (trx) => {
            await trx.insertInto('partners').values({ id: `k${i}`, name: 'x', created_at: AT }).execute();
            await new Promise((resolve) => setImmediate(resolve));
            await trx.selectFrom('partners').selectAll().execute();
            if (i % 2 === 1) throw new Error('undo');
          }),
        );
        work.push(database.db.selectFrom('partners').select('id').execute());
      }
      const settled = await Promise.allSettled(work);
      const reasons = settled.flatMap((result) => (result.status === 'rejected' ? [result.reason as Error] : []));
      expect(reasons).toHaveLength(50);
      expect(reasons.every((reason) => reason.message === 'undo' || isUniqueViolation(reason))).toBe(true);
      const expected = Array.from({ length: 25 }, (_, j) => [`b${2 * j}a`, `b${2 * j}b`, `k${2 * j}`]).flat().sort();
      expect(await partnerIds(database)).toEqual(expected);
    });

    test('batches queued behind a busy connection each keep their own outcome', async ({ database }) => {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let inside!: () => void;
      const begun = new Promise<void>((resolve) => (inside = resolve));
      const holding = database.db.transaction().execute(async (trx) => {
        await trx.insertInto('partners').values({ id: 'p0', name: 'x', created_at: AT }).execute();
        inside();
        await held;
      });
      await begun;
      const outcomes = Promise.allSettled([
        database.runBatch([partner('p1', 'x'), partner('p2', 'x')]),
        database.runBatch([partner('p3', 'x'), partner('p0', 'x')]),
        database.runBatch([{ sql: 'insert into partners (id, name, created_at) values (?, ?, ?)', params: ['p4', 'x'] }]),
        database.runBatch([partner('p5', 'x')]),
      ]);
      release();
      await holding;
      const [first, duplicate, malformed, last] = await outcomes;
      expect(first.status).toBe('fulfilled');
      expect(duplicate.status === 'rejected' && isUniqueViolation(duplicate.reason)).toBe(true);
      expect(malformed.status === 'rejected' && String(malformed.reason)).toMatch(/expected 3 parameters, got 2/);
      expect(last.status).toBe('fulfilled');
      expect(await partnerIds(database)).toEqual(['p0', 'p1', 'p2', 'p5']);
    });

    test('an empty batch does nothing', async ({ database }) => {
      await database.runBatch([]);
      expect(await partnerIds(database)).toEqual([]);
    });

    test('refuses a statement whose parameters do not match its placeholders', async ({ database }) => {
      await expect(database.runBatch([{ sql: 'insert into partners (id, name, created_at) values (?, ?, ?)', params: ['p1', 'x'] }]))
        .rejects.toThrow(/expected 3 parameters, got 2/);
      expect(await partnerIds(database)).toEqual([]);
    });

    test('refuses values that the backends would store differently', async ({ database }) => {
      for (const value of [new Date(0), { a: 1 }, 'a\0b']) {
        const odd = { sql: 'insert into partners (id, name, created_at) values (?, ?, ?)', params: ['p2', 'x', value] };
        await expect(database.runBatch([partner('p1', 'x'), odd])).rejects.toThrow(/not portable/);
      }
      expect(await partnerIds(database)).toEqual([]);
    });

    test('numbers, bigints and nulls keep their types', async ({ database }) => {
      await database.runBatch([
        { sql: 'insert into clock (id, now_ms) values (?, ?)', params: [1, 2n ** 53n - 1n] },
        { sql: 'insert into partners (id, name, created_at) values (?, ?, ?)', params: ['p1', '-0.5', AT] },
      ]);
      expect(await database.db.selectFrom('clock').selectAll().execute()).toEqual([{ id: 1, now_ms: 2 ** 53 - 1 }]);
      expect(await database.db.selectFrom('partners').select('name').execute()).toEqual([{ name: '-0.5' }]);
    });
  });
}

interface Counted {
  readonly dialect: Sqlite3Dialect;
  readonly db: Kysely<Tables>;
  /** Transactions sent to SQLite so far. */
  transactions(): number;
}

/** Runs `body` on a dialect over the file whose connection counts the transactions it is sent. */
async function withCountingDialect(file: string, body: (counted: Counted) => Promise<void>): Promise<void> {
  let transactions = 0;
  const counting = async () => {
    const connection = await openSqlite3Database(file);
    const exec = connection.exec.bind(connection);
    return Object.assign(connection, {
      exec: (script: string, callback: (err: Error | null) => void) => {
        if (script.startsWith('BEGIN IMMEDIATE')) transactions++;
        return exec(script, callback);
      },
    });
  };
  const dialect = new Sqlite3Dialect({ database: counting });
  const db = new Kysely<Tables>({ dialect });
  try {
    await body({ dialect, db, transactions: () => transactions });
  } finally {
    await db.destroy();
  }
}

describe('sqlite: runBatch', () => {
  const test = databaseTest('sqlite');

  test('batches that queued while the connection was busy are committed in one transaction', async ({ sandbox }) => {
    await (await sandbox.open()).close();
    await withCountingDialect(sandbox.file!, async ({ dialect, db, transactions }) => {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let inside!: () => void;
      const begun = new Promise<void>((resolve) => (inside = resolve));
      const holding = db.transaction().execute(async (trx) => {
        await trx.insertInto('partners').values({ id: 'p0', name: 'x', created_at: AT }).execute();
        inside();
        await held;
      });
      await begun;
      const queued = Promise.all([1, 2, 3].map((i) => dialect.runBatch([partner(`p${i}`, 'x')])));
      release();
      await holding;
      await queued;
      expect(transactions()).toBe(1);
      expect(await partnerIds(db)).toEqual(['p0', 'p1', 'p2', 'p3']);
      // Alone, a batch is a transaction of its own.
      await dialect.runBatch([partner('p4', 'x')]);
      expect(transactions()).toBe(2);
    });
  });

  test('a batch that finds the connection free is sent to SQLite before runBatch returns', async ({ sandbox }) => {
    await (await sandbox.open()).close();
    await withCountingDialect(sandbox.file!, async ({ dialect, db, transactions }) => {
      await dialect.runBatch([partner('p1', 'x')]);
      const sent = dialect.runBatch([partner('p2', 'x')]);
      // No await in between: whatever else waits on the microtask queue cannot come first.
      expect(transactions()).toBe(2);
      await sent;
      expect(await partnerIds(db)).toEqual(['p1', 'p2']);
    });
  });

  test('a deferrable batch waits for the next batch and commits with it, or alone after its wait', async ({ sandbox }) => {
    await (await sandbox.open()).close();
    await withCountingDialect(sandbox.file!, async ({ dialect, db, transactions }) => {
      await dialect.runBatch([partner('p0', 'x')]);
      const deferred = dialect.runBatch([partner('p1', 'x')], { deferrable: true });
      expect(transactions()).toBe(1);
      await dialect.runBatch([partner('p2', 'x')]);
      await deferred;
      expect(transactions()).toBe(2);
      // With nothing to go with, it is written all the same.
      await dialect.runBatch([partner('p3', 'x')], { deferrable: true });
      expect(transactions()).toBe(3);
      expect(await partnerIds(db)).toEqual(['p0', 'p1', 'p2', 'p3']);
      // Closing writes what still waits rather than dropping it.
      const last = dialect.runBatch([partner('p4', 'x')], { deferrable: true });
      await db.destroy();
      await last;
      expect(transactions()).toBe(4);
    });
    const reopened = await sandbox.open();
    try {
      expect(await partnerIds(reopened)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
    } finally {
      await reopened.close();
    }
  });
});
