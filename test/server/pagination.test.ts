import { describe, expect, test } from 'vitest';
import { decodeCursor, filteredPage } from '../../server/pagination.js';

type Row = { readonly n: number };
const ROWS: Row[] = Array.from({ length: 1_000 }, (_, i) => ({ n: i }));
const key = (n: number) => String(n).padStart(5, '0');

/** Rows in order after a position, as listInstances reads them; counts the rows handed out. */
function table(rows: readonly Row[]) {
  const stats = { read: 0 };
  const read = async (after: [string] | undefined, count: number) => {
    const from = after === undefined ? 0 : rows.findIndex((r) => key(r.n) > after[0]);
    const chunk = from < 0 ? [] : rows.slice(from, from + count);
    stats.read += chunk.length;
    return chunk;
  };
  return { read, stats };
}

/** Every item of every page, following nextCursor from the start. */
async function walk(keep: (r: Row) => boolean, limit: number, budget?: number) {
  const { read, stats } = table(ROWS);
  const items: number[] = [];
  const pages: number[] = [];
  let after: [string] | undefined;
  for (;;) {
    const page = await filteredPage(read, keep, { after, limit, budget, view: (r) => r.n, position: (r): [string] => [key(r.n)] });
    items.push(...page.items);
    pages.push(page.items.length);
    expect(page.items.length).toBeLessThanOrEqual(limit);
    if (page.nextCursor === null) return { items, pages, stats };
    after = decodeCursor(page.nextCursor, 1) as [string];
  }
}

describe('filteredPage: pages of the rows a filter keeps, where no index holds the filter', () => {
  test('walking the pages yields exactly the kept rows, in order, in full pages while rows remain', async () => {
    const keep = (r: Row) => r.n % 7 === 3;
    const { items, pages } = await walk(keep, 10);
    expect(items).toEqual(ROWS.filter(keep).map((r) => r.n));
    // 143 kept rows: fourteen full pages and one of three; nextCursor null only after the last.
    expect(pages).toEqual([...Array(14).fill(10), 3]);
  });

  test('a rare match: a page cut short by the read budget holds fewer items (or none) and a cursor that goes on', async () => {
    const keep = (r: Row) => r.n === 5 || r.n === 990;
    const { items, pages, stats } = await walk(keep, 1, 300);
    expect(items).toEqual([5, 990]);
    expect(pages.filter((n) => n === 0).length).toBeGreaterThan(0);
    // Never more than the budget (in whole chunks) per page: every row read about once.
    expect(stats.read).toBeLessThan(ROWS.length + 2 * 400);
  });

  test('nothing kept: empty pages and, at the end, a null cursor', async () => {
    const { items, pages } = await walk(() => false, 50, 400);
    expect(items).toEqual([]);
    expect(pages.at(-1)).toBe(0);
  });
});
