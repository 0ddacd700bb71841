import { describe, expect, test } from 'vitest';
import { insertMany } from '../../storage/multi-row.js';

describe('insertMany', () => {
  test('writes the rows as one statement, their values in row order', () => {
    const statements = insertMany('t', ['a', 'b'], [
      [1, 'x'],
      [2, null],
      [3, 'z'],
    ], 'on conflict do nothing');
    expect(statements).toEqual([{ sql: 'insert into t (a, b) values (?, ?), (?, ?), (?, ?) on conflict do nothing', params: [1, 'x', 2, null, 3, 'z'] }]);
  });

  test('splits rows into statements of at most 30,000 parameters, each with its own text', () => {
    const rows = Array.from({ length: 10_001 }, (_, i) => [i, i, i]);
    const statements = insertMany('t', ['a', 'b', 'c'], rows);
    expect(statements.map((s) => s.params.length)).toEqual([30_000, 3]);
    expect(statements[1]).toEqual({ sql: 'insert into t (a, b, c) values (?, ?, ?)', params: [10_000, 10_000, 10_000] });
    expect(statements.flatMap((s) => s.params)).toEqual(rows.flat());
  });

  test('the same shape gets the same text, another shape its own', () => {
    const [first] = insertMany('t', ['a', 'b'], [[1, 2]]);
    const [again] = insertMany('t', ['a', 'b'], [[3, 4]]);
    const [otherColumns] = insertMany('t', ['a', 'c'], [[5, 6]]);
    const [otherSuffix] = insertMany('t', ['a', 'b'], [[7, 8]], 'returning a');
    expect(again!.sql).toBe(first!.sql);
    expect(again!.params).toEqual([3, 4]);
    expect(otherColumns!.sql).toBe('insert into t (a, c) values (?, ?)');
    expect(otherSuffix!.sql).toBe('insert into t (a, b) values (?, ?) returning a');
  });

  test('no rows, no statements', () => {
    expect(insertMany('t', ['a'], [])).toEqual([]);
  });
});
