import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { createPrivacyViews } from '../../src/sink/clickhouse/privacy-views.js';
import { DATABASE } from '../../src/sink/clickhouse/schema.js';
import { Store } from '../../src/sink/clickhouse/store.js';
import { publishRows } from '../helpers/publish.js';
import { copyTemplateStore } from '../helpers/store-template.js';

t.test('views that name a company or network hide groups with fewer than k visitors', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'siftlog-groups-'));
  const store = await Store.open({ dir: copyTemplateStore(dir) });
  t.teardown(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  await store.migrate();
  // Big Corp: 3 visitors on one network on 1 May; Tiny Ltd: 2 visitors (one came twice), 1 on 2 May.
  const rows = [
    ['2024-05-01 09:00:00', 1, '198.51.100.0/24', 64500, 'Big Corp'],
    ['2024-05-01 09:01:00', 2, '198.51.100.0/24', 64500, 'Big Corp'],
    ['2024-05-01 09:02:00', 3, '198.51.100.0/24', 64500, 'Big Corp'],
    ['2024-05-01 10:00:00', 4, '203.0.113.0/24', 64501, 'Tiny Ltd'],
    ['2024-05-01 10:05:00', 4, '203.0.113.0/24', 64501, 'Tiny Ltd'],
    ['2024-05-01 11:00:00', 5, '203.0.113.0/24', 64501, 'Tiny Ltd'],
    ['2024-05-02 11:00:00', 6, '203.0.113.0/24', 64501, 'Tiny Ltd'],
  ].map(([ts, visitor, net, asn, org]) => ({ ts, site: 's', visitor_id: visitor, client_net: net, asn, org, is_page: 1 }));
  await publishRows(store, rows);
  const select = async (query: string) => (await store.client.query({ query, format: 'JSONEachRow' })).json();

  await createPrivacyViews(store.client, 3);
  t.same(await select(`SELECT day, org, hits, visitors FROM ${DATABASE}.companies_daily ORDER BY day, org`),
    [{ day: '2024-05-01', org: 'Big Corp', hits: '3', visitors: '3' }], 'Tiny Ltd has 2 visitors on 1 May: hidden');
  t.same(await select(`SELECT org, visitors FROM ${DATABASE}.companies_monthly ORDER BY org`),
    [{ org: 'Big Corp', visitors: '3' }, { org: 'Tiny Ltd', visitors: '3' }], 'over the month Tiny Ltd reaches 3');
  t.same(await select(`SELECT client_net, visitors FROM ${DATABASE}.networks_daily ORDER BY client_net`),
    [{ client_net: '198.51.100.0/24', visitors: '3' }]);
  t.same(await select(`SELECT org, visitors FROM ${DATABASE}.companies_between(first = '2024-05-02', last = '2024-05-31')`), [],
    'one visitor in the period: hidden');

  await createPrivacyViews(store.client, 2);
  t.same(await select(`SELECT day, org, visitors FROM ${DATABASE}.companies_daily ORDER BY day, org`), [
    { day: '2024-05-01', org: 'Big Corp', visitors: '3' }, { day: '2024-05-01', org: 'Tiny Ltd', visitors: '2' },
  ], 're-created with a new k');
});
