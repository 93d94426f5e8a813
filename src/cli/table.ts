export interface Column {
  name: string;
  type: string;
}

const NUMERIC = /^(Nullable\()?(U?Int|Float|Decimal)/;

/** Renders rows as an aligned text table: numbers right-aligned, everything else left-aligned. */
export function renderTable(columns: readonly Column[], rows: readonly unknown[][]): string {
  const cells = rows.map((row) => row.map(formatCell));
  const widths = columns.map((c, i) => Math.max(c.name.length, ...cells.map((r) => r[i].length)));
  const numeric = columns.map((c) => NUMERIC.test(c.type));
  const line = (values: readonly string[]) => values
    .map((v, i) => (numeric[i] ? v.padStart(widths[i]) : v.padEnd(widths[i])))
    .join('  ')
    .trimEnd();
  const out = [line(columns.map((c) => c.name)), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.map(line)];
  out.push(`(${rows.length} row${rows.length === 1 ? '' : 's'})`);
  return `${out.join('\n')}\n`;
}

function formatCell(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
