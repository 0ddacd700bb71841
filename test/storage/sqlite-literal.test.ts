import fc from 'fast-check';
import type sqlite3 from 'sqlite3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { toBindable } from '../../storage/sqlite/sqlite-bindable.js';
import { toSqliteLiteral } from '../../storage/sqlite/sqlite-literal.js';
import { openSqlite3Database } from '../../storage/sqlite/open-sqlite3-database.js';

// The batch script inlines parameters as literals; it must store exactly what binding
// the same parameter would, or the two batch paths would disagree.
describe('toSqliteLiteral', () => {
  let db: sqlite3.Database;
  beforeAll(async () => {
    db = await openSqlite3Database(':memory:');
  });
  afterAll(() => new Promise<void>((resolve) => db.close(() => resolve())));

  const select = (sql: string, params: unknown[]) =>
    new Promise<unknown[]>((resolve, reject) => db.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows))));

  // Everything a batch carries in practice: text, integers of every size, flags, bytes.
  const inlinable = fc.oneof(
    fc.string({ unit: 'grapheme' }).filter((s) => !s.includes('\0')),
    fc.string({ unit: 'binary' }).filter((s) => !s.includes('\0')),
    fc.integer(),
    fc.maxSafeInteger(),
    fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }),
    fc.boolean(),
    fc.constant(null),
    fc.uint8Array().map((bytes) => Buffer.from(bytes)),
  );

  async function expectSameAsBound(value: unknown, literal: string): Promise<void> {
    const bound = await select('select ? as v, typeof(?) as t', [toBindable(value), toBindable(value)]);
    const inlined = await select(`select ${literal} as v, typeof(${literal}) as t`, []);
    expect(inlined).toEqual(bound);
  }

  test('a literal selects the same value and type as the bound parameter', async () => {
    await fc.assert(
      fc.asyncProperty(inlinable, async (value) => {
        const literal = toSqliteLiteral(value);
        expect(literal).toBeDefined();
        await expectSameAsBound(value, literal as string);
      }),
      { numRuns: 500 },
    );
  });

  test('a number beyond 32 bits is a double, as sqlite3 binds it', async () => {
    expect(toSqliteLiteral(1_735_689_600_000)).toBe('1735689600000.0');
    await expectSameAsBound(1_735_689_600_000, '1735689600000.0');
  });

  test('leaves to binding what it cannot write exactly', () => {
    for (const value of [0.1, -1.5, Number.NaN, Infinity, 2 ** 53, 'a\0b', new Date(0), {}]) {
      expect(toSqliteLiteral(value)).toBeUndefined();
    }
  });
});
