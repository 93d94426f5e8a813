import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATABASE } from './schema.js';

/** The engine's Layer 1 session, as much of it as the overlay uses. */
interface OverlaySession {
  queryAsync(sql: string, options?: { format?: string }): Promise<unknown>;
  close(): void;
}

/**
 * A read-only view of an embedded store whose folder this user cannot write (the engine needs to write
 * a `status` file and temporary parts in its own data folder). The engine runs on a private temporary
 * folder instead, with the store's data folder configured as a second disk, and every table of the store
 * is attached from it: MergeTree tables on that disk (merges stopped, nothing written), views made anew
 * from their queries.
 * Materialized views and the staging database are left out: nothing is inserted through an overlay.
 *
 * Returns the temporary folder to open a connection on (the engine shares one native connection per
 * folder) and a function that closes the overlay and deletes that folder.
 */
export async function openOverlay(dataDir: string): Promise<{ path: string; close: () => void }> {
  const { Session } = await import('chdb');
  const path = mkdtempSync(join(tmpdir(), 'siftlog-readonly-'));
  const config = join(path, 'overlay.xml');
  writeFileSync(config, overlayConfig(dataDir));
  let session: OverlaySession | null = null;
  const close = () => {
    session?.close();
    rmSync(path, { recursive: true, force: true });
  };
  try {
    session = new Session(join(path, 'engine'), { connectionArgs: [`--config-file=${config}`] }) as OverlaySession;
    await session.queryAsync('SYSTEM STOP MERGES');
    await session.queryAsync(`CREATE DATABASE IF NOT EXISTS ${DATABASE}`);
    for (const statement of attachStatements(join(dataDir, 'metadata', DATABASE))) await session.queryAsync(statement);
  } catch (err) {
    close();
    throw err;
  }
  return { path: join(path, 'engine'), close };
}

const STORE_POLICY = 'siftlog_store';

function overlayConfig(dataDir: string): string {
  const escaped = `${dataDir}/`.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<clickhouse>
  <storage_configuration>
    <disks><${STORE_POLICY}><type>local</type><path>${escaped}</path></${STORE_POLICY}></disks>
    <policies><${STORE_POLICY}><volumes><main><disk>${STORE_POLICY}</disk></main></volumes></${STORE_POLICY}></policies>
  </storage_configuration>
</clickhouse>
`;
}

/**
 * ATTACH statements for the tables and views in a database's metadata folder: tables first (views read
 * them), MergeTree tables on the store's disk.
 */
export function attachStatements(metadataDir: string): string[] {
  const tables: string[] = [];
  const views: string[] = [];
  for (const file of readdirSync(metadataDir).filter((f) => f.endsWith('.sql')).sort()) {
    const name = decodeURIComponent(file.slice(0, -'.sql'.length));
    const text = readFileSync(join(metadataDir, file), 'utf8').trim();
    const head = /^ATTACH (TABLE|VIEW|MATERIALIZED VIEW|DICTIONARY) _ /.exec(text);
    if (head === null || head[1] === 'MATERIALIZED VIEW' || head[1] === 'DICTIONARY') continue;
    const statement = `ATTACH ${head[1]} ${DATABASE}.\`${name}\` ${text.slice(head[0].length)}`;
    if (head[1] === 'VIEW') {
      // A view is created anew from its query (ATTACH would insist on metadata this engine does not have).
      const query = /(^|\n)AS (SELECT|WITH|\()/.exec(text);
      if (query !== null) views.push(`CREATE VIEW ${DATABASE}.\`${name}\` ${text.slice(query.index + query[1].length)}`);
    } else if (/\bENGINE = \w*MergeTree\b/.test(statement)) {
      tables.push(/\nSETTINGS /.test(statement)
        ? `${statement}, storage_policy = '${STORE_POLICY}'`
        : `${statement}\nSETTINGS storage_policy = '${STORE_POLICY}'`);
    }
  }
  return [...tables, ...views];
}
