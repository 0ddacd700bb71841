import { describe, expect, test } from 'vitest';
import { splitOnPlaceholders } from '../../storage/sql-placeholders.js';

describe('splitOnPlaceholders', () => {
  test('splits at each placeholder', () => {
    expect(splitOnPlaceholders('insert into t (a, b) values (?, ?)')).toEqual(['insert into t (a, b) values (', ', ', ')']);
  });

  test('skips question marks in strings, quoted names and comments', () => {
    const sql = `select '?', 'it''s ?', "a?b", [c?], \`d?\` -- ?\n/* ? */ from t where x = ?`;
    expect(splitOnPlaceholders(sql)).toEqual([sql.slice(0, -1), '']);
  });

  test('allows a trailing semicolon but not a second statement', () => {
    expect(splitOnPlaceholders('delete from t where a = ?; ')).toHaveLength(2);
    expect(() => splitOnPlaceholders('delete from t; delete from u')).toThrow(/one statement/);
    expect(splitOnPlaceholders("select ';' as x")).toHaveLength(1);
  });

  test('refuses numbered placeholders, which only SQLite understands', () => {
    expect(() => splitOnPlaceholders('select ?1')).toThrow(/numbered/);
  });
});
