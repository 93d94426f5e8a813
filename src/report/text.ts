import { change, formatValue, plural, subject } from './format.js';
import type { Block, RankingBlock, Report, SectionResult, SeriesBlock, TotalsBlock } from './model.js';

/** The terminal report: every line fits this many columns. */
export const TEXT_WIDTH = 100;
const SPARK = '▁▂▃▄▅▆▇█';
const MAX_SPARK = 60;
const NUMBER_WIDTH = 10;
const CHANGE_WIDTH = 8;

/** A compact summary for a terminal: totals with their change, then the top 10 of each section. */
export function renderText(report: Report): string {
  const lines = [...header(report)];
  for (const section of report.sections) lines.push('', ...renderSection(section));
  return `${lines.map((l) => fit(l, TEXT_WIDTH)).join('\n')}\n`;
}

export function header(report: Report): string[] {
  const site = subject(report);
  const { period, previous } = report;
  const range = report.dataFrom === null ? 'no traffic in the store yet' : `data from ${report.dataFrom} to ${report.dataTo}`;
  return [
    `siftlog report: ${clean(site)}, ${period.from}..${period.to} (${[plural(period.days, 'day'), report.periodDescription].filter(Boolean).join(', ')})`,
    `compared with ${previous.from}..${previous.to}; ${range}`,
  ];
}

function renderSection(section: SectionResult): string[] {
  const title = section.title.toUpperCase();
  if (section.status === 'missing') {
    return [`${title}: not in this store yet (it has no ${section.missing.map((t) => `siftlog.${t}`).join(', ')})`];
  }
  const lines = [`${title} ${'─'.repeat(Math.max(0, TEXT_WIDTH - title.length - 1))}`];
  for (const block of section.blocks) {
    const blockLines = renderBlock(block);
    if (blockLines.length === 0) continue;
    if (lines.length > 1) lines.push('');
    lines.push(...blockLines);
  }
  return lines;
}

function renderBlock(block: Block): string[] {
  switch (block.kind) {
    case 'totals':
      return totalsLines(block);
    case 'series':
      return seriesLines(block);
    case 'ranking':
      return rankingLines(block);
    case 'map':
      return []; // a terminal has the country list; the map is for the HTML page
  }
}

function totalsLines(block: TotalsBlock): string[] {
  const labelWidth = Math.max(...block.measures.map((m) => m.label.length), 8);
  const row = (label: string, a: string, b: string, c: string) =>
    `  ${label.padEnd(labelWidth)}  ${a.padStart(12)}  ${b.padStart(12)}  ${c.padStart(CHANGE_WIDTH)}`;
  return [
    row('', 'this period', 'previous', 'change'),
    ...block.measures.map((m, i) => {
      const v = block.values[i];
      return row(m.label, formatValue(v.current, m.format), formatValue(v.previous, m.format), change(v, m.format).text);
    }),
  ];
}

function seriesLines(block: SeriesBlock): string[] {
  const labelWidth = Math.max(...block.measures.map((m) => m.label.length));
  const lines = [`  ${block.title} (${block.points[0]?.at ?? ''} to ${block.points.at(-1)?.at ?? ''})`];
  block.measures.forEach((m, i) => {
    const values = block.points.map((p) => p.values[i].current);
    const peak = Math.max(0, ...values);
    const at = block.points[values.indexOf(peak)]?.at ?? '';
    const peakText = peak === 0 ? 'none' : `peak ${formatValue(peak, m.format)} (${at})`;
    lines.push(`  ${m.label.padEnd(labelWidth)}  ${sparkline(values)}  ${peakText}`);
  });
  return lines;
}

/** Bars of eight heights; long series are summed into at most MAX_SPARK buckets. */
export function sparkline(values: readonly number[]): string {
  const size = Math.ceil(values.length / MAX_SPARK) || 1;
  const buckets: number[] = [];
  for (let i = 0; i < values.length; i += size) buckets.push(values.slice(i, i + size).reduce((a, b) => a + b, 0));
  const max = Math.max(0, ...buckets);
  return buckets.map((v) => (max === 0 ? SPARK[0] : SPARK[Math.round((v / max) * (SPARK.length - 1))])).join('');
}

function rankingLines(block: RankingBlock): string[] {
  const [first, ...others] = block.measures;
  const cells = block.rows.map((row) => {
    const [v, ...rest] = row.values;
    return [formatValue(v.current, first.format), formatValue(v.previous, first.format), change(v, first.format).text,
      ...rest.map((value, i) => formatValue(value.current, others[i].format))];
  });
  const headers = [first.label, 'previous', 'change', ...others.map((m) => m.label)];
  const widths = headers.map((h, i) => Math.max(i === 2 ? CHANGE_WIDTH : NUMBER_WIDTH, h.length, ...cells.map((c) => c[i].length)));
  const rankWidth = String(block.rows.length).length + 1;
  const labelWidth = TEXT_WIDTH - 2 - rankWidth - 1 - widths.reduce((a, w) => a + w + 2, 0);
  const line = (rank: string, label: string, values: readonly string[]) =>
    `  ${rank.padStart(rankWidth)} ${fit(label, labelWidth).padEnd(labelWidth)}${values.map((v, i) => `  ${v.padStart(widths[i])}`).join('')}`;
  const lines = [`  ${block.title}, by ${first.label}`, line('#', block.keyLabel, headers)];
  if (block.rows.length === 0) lines.push('    (none in this period)');
  for (const [i, row] of block.rows.entries()) lines.push(line(String(i + 1), clean(row.label), cells[i]));
  if (block.more > 0) lines.push(`    … and ${block.more} more`);
  if (block.note) lines.push(...wrap(block.note, TEXT_WIDTH - 4).map((l) => `    ${l}`));
  return lines;
}

/** Log content on a terminal: control characters (escape sequences) shown as \xNN, never sent. */
export function clean(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are what it replaces
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Cuts a line to `width` characters (code points), ending it with … when cut. */
export function fit(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    if (current !== '' && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else current = current === '' ? word : `${current} ${word}`;
  }
  if (current !== '') lines.push(current);
  return lines;
}

