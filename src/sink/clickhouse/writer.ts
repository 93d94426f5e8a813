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
  const c = hit.client;
  return `${Math.floor(hit.time / 1000)}\t${tsv(hit.site)}\t${tsv(hit.method)}\t${tsv(hit.path)}\t${tsv(hit.query)}\t${tsv(hit.protocol)}\t${
    hit.status}\t${hit.bytes}\t${hit.isPage ? 1 : 0}\t${c.isBot ? 1 : 0}\t${tsv(c.botName)}\t${hit.visitorId}\t${hit.isEntry ? 1 : 0}\t${
    hit.clientNet}\t${tsv(hit.country)}\t${tsv(hit.region)}\t${tsv(hit.city)}\t${hit.asn}\t${tsv(hit.org)}\t${tsv(c.browser)}\t${
    tsv(c.browserVersion)}\t${tsv(c.os)}\t${tsv(c.osVersion)}\t${c.deviceType}\t${tsv(hit.referrerHost)}\t${runId}\t${
    tsv(hit.orgDomain)}\t${hit.orgCategory}\t${hit.orgSource}\t${hit.referrerClass}\t${tsv(hit.referrerSource)}\t${
    tsv(hit.searchKeyword)}\t${campaignColumns(hit.campaign)}\t${tsv(hit.language)}\n`;
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
