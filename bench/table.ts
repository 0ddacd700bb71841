/** A row of a printed table: a label, then one cell per column. */
export type TableRow = readonly [label: string, ...cells: string[]];

/** Formats rows as aligned text: the label column left-aligned, the others right-aligned. */
export function formatTable(header: TableRow, rows: readonly TableRow[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  const line = (row: TableRow) =>
    row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** A count with thousands separators and no decimals. */
export const count = (n: number): string => Math.round(n).toLocaleString('en-US');

/** A ratio as a percentage with one decimal. */
export const percent = (fraction: number): string => `${(fraction * 100).toFixed(1)} %`;

/** A number with a fixed number of decimals. */
export const fixed = (n: number, digits = 1): string => n.toFixed(digits);
