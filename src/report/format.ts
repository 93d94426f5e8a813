import type { Compared, Report, ValueFormat } from './model.js';

/** Numbers as both renderers show them: fixed English grouping, so a report reads the same everywhere. */
const GROUPED = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

export function formatValue(value: number | null, format: ValueFormat): string {
  if (value === null) return '?';
  switch (format) {
    case 'count':
      return GROUPED.format(value);
    case 'bytes':
      return formatBytes(value);
    case 'percent':
      return `${value.toFixed(1)}%`;
    case 'ms':
      return value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toPrecision(3)} s`;
    case 'seconds':
      return formatSeconds(value);
    case 'ratio':
      return value.toFixed(2);
  }
}

/** A duration read at a glance, short enough for a card: 45s, 3m 05s, 2h 10m. */
export function formatSeconds(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Decimal units, three significant digits: 999 B, 1.02 kB, 12.3 MB. */
export function formatBytes(bytes: number): string {
  let unit = 0;
  let value = bytes;
  while (value >= 999.5 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toPrecision(3)} ${UNITS[unit]}`;
}

export type Trend = 'up' | 'down' | 'same' | 'new' | 'unknown';

/** The change from the previous period: percent for counts, percentage points for rates. */
export function change(value: Compared, format: ValueFormat): { text: string; trend: Trend } {
  const { current, previous } = value;
  if (previous === null) return { text: '?', trend: 'unknown' };
  if (current === previous) return { text: current === 0 ? '-' : '0%', trend: 'same' };
  if (format === 'percent') {
    const points = current - previous;
    return { text: `${points > 0 ? '+' : ''}${points.toFixed(1)} pp`, trend: points > 0 ? 'up' : 'down' };
  }
  if (previous === 0) return { text: 'new', trend: 'new' };
  const percent = ((current - previous) / previous) * 100;
  const rounded = Math.abs(percent) >= 10 ? Math.round(percent).toString() : percent.toFixed(1);
  return { text: `${percent > 0 ? '+' : ''}${rounded}%`, trend: percent > 0 ? 'up' : 'down' };
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Whom the report is about: its site, the only site of the store, or all of them. */
export function subject(report: Report): string {
  return report.site ?? (report.sites.length === 1 ? report.sites[0] : `all sites (${report.sites.length})`);
}
