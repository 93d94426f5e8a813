import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseRange } from '../net/cidr.js';
import { isOrgCategory, type OrgCategory } from './category.js';

/**
 * User registries: the user's own list of address ranges → company, domain, category (their customers,
 * partners, offices), in CSV or YAML. Ranges may nest and overlap; the most specific (smallest) range wins.
 * See docs/enrichment.md for the file format and fixtures/registries/ for examples.
 */
export interface RegistryEntry {
  company: string;
  domain: string;
  /** '' when the file does not say: the organisation classifier then decides. */
  category: OrgCategory | '';
}

export class RegistryError extends Error {}

interface ParsedRange {
  family: 4 | 6;
  first: bigint;
  last: bigint;
  entry: RegistryEntry;
  /** Position in the files, so that of two equal ranges the later line wins (a later file overrides). */
  order: number;
}

/** Splits one CSV line; fields may be double-quoted with "" for a quote. */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') { value += '"'; i += 2; } else if (line[i] === '"') { i++; break; } else value += line[i++];
      }
      const comma = line.indexOf(',', i);
      fields.push(value);
      i = comma < 0 ? line.length + 1 : comma + 1;
    } else {
      const comma = line.indexOf(',', i);
      fields.push(line.slice(i, comma < 0 ? line.length : comma).trim());
      i = comma < 0 ? line.length + 1 : comma + 1;
    }
  }
  return fields;
}

interface RawEntry {
  network: string;
  company: string;
  domain: string;
  category: string;
  where: string;
}

function readCsv(file: string, text: string): RawEntry[] {
  const lines = text.split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? '').map((h) => h.toLowerCase());
  const col = (name: string) => header.indexOf(name);
  if (col('network') < 0 || col('company') < 0) {
    throw new RegistryError(`${file}:1: the header must name at least the columns network and company (optional: domain, category); found "${lines[0] ?? ''}"`);
  }
  const rows: RawEntry[] = [];
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n];
    if (line.trim() === '' || line.startsWith('#')) continue;
    const f = splitCsvLine(line);
    rows.push({
      network: f[col('network')] ?? '', company: f[col('company')] ?? '', domain: col('domain') >= 0 ? f[col('domain')] ?? '' : '',
      category: col('category') >= 0 ? f[col('category')] ?? '' : '', where: `${file}:${n + 1}`,
    });
  }
  return rows;
}

function readYaml(file: string, text: string): RawEntry[] {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new RegistryError(`${file}: not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const list = Array.isArray(doc) ? doc : (doc as { ranges?: unknown } | null)?.ranges;
  if (!Array.isArray(list)) throw new RegistryError(`${file}: expected a list of ranges (or a "ranges:" key holding one)`);
  return list.map((item: unknown, i: number) => {
    const r = (item ?? {}) as Record<string, unknown>;
    const s = (v: unknown) => (v === undefined || v === null ? '' : String(v));
    return { network: s(r.network), company: s(r.company), domain: s(r.domain), category: s(r.category), where: `${file}: ranges[${i}]` };
  });
}

function parseEntries(rows: RawEntry[], order: number, into: ParsedRange[]): number {
  for (const row of rows) {
    const network = parseRange(row.network);
    if (network === null) throw new RegistryError(`${row.where}: "${row.network}" is not a network: write a CIDR (10.0.0.0/8) or a first-last range (192.0.2.10-192.0.2.20)`);
    if (row.company.trim() === '') throw new RegistryError(`${row.where}: the company is empty`);
    const category = row.category.trim().toLowerCase();
    if (category !== '' && !isOrgCategory(category)) {
      throw new RegistryError(`${row.where}: unknown category "${row.category}": use isp, hosting, business, education, government or unknown`);
    }
    into.push({ ...network, entry: { company: row.company.trim(), domain: row.domain.trim().toLowerCase(), category: category as OrgCategory | '' }, order: order++ });
  }
  return order;
}

/**
 * Non-overlapping segments built from nested/overlapping ranges: each address maps to the smallest range
 * that holds it. Built once by a sweep over the range boundaries; looked up by binary search.
 */
class SegmentTable {
  private readonly firsts: bigint[] = [];
  private readonly lasts: bigint[] = [];
  private readonly entries: RegistryEntry[] = [];

  constructor(ranges: ParsedRange[]) {
    const sorted = [...ranges].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
    const cuts = new Set<bigint>();
    for (const r of sorted) { cuts.add(r.first); cuts.add(r.last + 1n); }
    const points = [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    let active: ParsedRange[] = [];
    let next = 0;
    for (let i = 0; i < points.length - 1; i++) {
      const at = points[i];
      while (next < sorted.length && sorted[next].first === at) active.push(sorted[next++]);
      active = active.filter((r) => r.last >= at);
      if (active.length === 0) continue;
      let best = active[0];
      for (const r of active) {
        const size = r.last - r.first, bestSize = best.last - best.first;
        if (size < bestSize || (size === bestSize && r.order > best.order)) best = r;
      }
      const end = points[i + 1] - 1n;
      const n = this.entries.length;
      if (n > 0 && this.entries[n - 1] === best.entry && this.lasts[n - 1] + 1n === at) this.lasts[n - 1] = end;
      else { this.firsts.push(at); this.lasts.push(end); this.entries.push(best.entry); }
    }
  }

  get size(): number {
    return this.entries.length;
  }

  find(key: bigint): RegistryEntry | null {
    let lo = 0;
    let hi = this.entries.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.firsts[mid] > key) hi = mid - 1;
      else if (this.lasts[mid] < key) lo = mid + 1;
      else return this.entries[mid];
    }
    return null;
  }
}

/** The user's registries, IPv4 and IPv6, in the order given (a later file overrides an equal range). */
export class UserRegistry {
  private constructor(
    private readonly v4: SegmentTable, private readonly v6: SegmentTable, readonly ranges: number,
    /** Entries by their domain, for clients logged by host name; the later line wins. */
    private readonly byDomain: ReadonlyMap<string, RegistryEntry>,
  ) {}

  static fromFiles(files: readonly string[]): UserRegistry {
    const ranges: ParsedRange[] = [];
    let order = 0;
    for (const file of files) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        throw new RegistryError(`${file}: cannot read the registry (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
      }
      const ext = extname(file).toLowerCase();
      const rows = ext === '.csv' ? readCsv(file, text) : ext === '.yaml' || ext === '.yml' ? readYaml(file, text) : null;
      if (rows === null) throw new RegistryError(`${file}: a registry must be a .csv, .yaml or .yml file`);
      order = parseEntries(rows, order, ranges);
    }
    return new UserRegistry(
      new SegmentTable(ranges.filter((r) => r.family === 4)), new SegmentTable(ranges.filter((r) => r.family === 6)), ranges.length,
      new Map(ranges.filter((r) => r.entry.domain !== '').map((r) => [r.entry.domain, r.entry])),
    );
  }

  /** The entry whose domain is `domain` (lower case), or null. */
  lookupDomain(domain: string): RegistryEntry | null {
    return this.byDomain.get(domain) ?? null;
  }

  lookupV4(ipInt: number): RegistryEntry | null {
    return this.v4.size === 0 ? null : this.v4.find(BigInt(ipInt));
  }

  lookupV6(groups: readonly number[]): RegistryEntry | null {
    if (this.v6.size === 0) return null;
    let value = 0n;
    for (const g of groups) value = (value << 16n) | BigInt(g);
    return this.v6.find(value);
  }
}
