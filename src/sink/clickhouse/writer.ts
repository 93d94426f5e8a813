import { Readable } from 'node:stream';
import type { ClickHouseClient } from '@clickhouse/client';
import { NO_CAMPAIGN, type Campaign } from '../../enrich/campaign.js';
import type { Hit } from '../../enrich/hit.js';
import { DATABASE, REQUEST_COLUMNS } from './schema.js';

const ESCAPES = /[\t\n\\\r\0]/;

/** Escapes a value for ClickHouse's TabSeparated format. */
export function tsv(value: string): string {
  if (!ESCAPES.test(value)) return value;
  return value.replace(/[\t\n\\\r\0]/g, (c) => (c === '\t' ? '\\t' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\0' ? '\\0' : '\\\\'));
}

/** One `requests` row in REQUEST_COLUMNS order. */
export function requestRow(hit: Hit, runId: string): string {
  const a = hit.anon;
  const c = hit.client;
  return `${Math.floor(a.time / 1000)}\t${tsv(a.site)}\t${tsv(a.method)}\t${tsv(a.path)}\t${tsv(a.query)}\t${tsv(a.protocol)}\t${
    a.status}\t${a.bytes}\t${hit.isPage ? 1 : 0}\t${c.isBot ? 1 : 0}\t${tsv(c.botName)}\t${a.visitorId}\t${hit.isEntry ? 1 : 0}\t${
    a.clientNet}\t${tsv(a.country)}\t${tsv(a.region)}\t${tsv(a.city)}\t${a.asn}\t${tsv(a.org)}\t${tsv(c.browser)}\t${
    tsv(c.browserVersion)}\t${tsv(c.os)}\t${tsv(c.osVersion)}\t${c.deviceType}\t${tsv(a.referrerHost)}\t${runId}\t${
    tsv(a.orgDomain)}\t${a.orgCategory}\t${a.orgSource}\t${a.referrerClass}\t${tsv(a.referrerSource)}\t${
    tsv(a.searchKeyword)}\t${campaignColumns(a.campaign)}\t${tsv(a.language)}\n`;
}

const NO_CAMPAIGN_COLUMNS = '\t\t\t\t';

function campaignColumns(m: Campaign): string {
  if (m === NO_CAMPAIGN) return NO_CAMPAIGN_COLUMNS;
  return `${tsv(m.source)}\t${tsv(m.medium)}\t${tsv(m.campaign)}\t${tsv(m.term)}\t${tsv(m.content)}`;
}

/**
 * Batches `requests` rows as TabSeparated text and inserts a batch while the next one is being built
 * (at most one insert in flight). The materialized views fill the trend tables from each insert.
 */
export class RequestWriter {
  private rows: string[] = [];
  private inFlight: Promise<void> | null = null;
  rowsWritten = 0;

  constructor(private readonly client: ClickHouseClient, private readonly batchRows = 100_000) {}

  push(row: string): void {
    this.rows.push(row);
  }

  /** Starts an insert once a full batch is waiting (after the previous insert has finished). */
  async drain(): Promise<void> {
    if (this.rows.length >= this.batchRows) await this.send();
  }

  /** Inserts whatever is pending and waits for every insert to finish. */
  async finish(): Promise<void> {
    await this.send();
    if (this.inFlight) await this.inFlight;
    this.inFlight = null;
  }

  private async send(): Promise<void> {
    if (this.inFlight) await this.inFlight;
    this.inFlight = null;
    if (this.rows.length === 0) return;
    const body = Buffer.from(this.rows.join(''));
    const count = this.rows.length;
    this.rows = [];
    this.inFlight = this.client.insert({
      table: `${DATABASE}.requests`,
      values: Readable.from([body], { objectMode: false }),
      format: 'TabSeparated',
      columns: [...REQUEST_COLUMNS],
    }).then(() => {
      this.rowsWritten += count;
    });
  }
}
