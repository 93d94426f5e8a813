import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { readCompanyRecord } from '../../../src/enrich/company.js';
import { GeoLookup, readGeoRecord } from '../../../src/enrich/geo.js';
import { geoFilesOf } from '../../../src/enrich/lookups.js';
import { loadPipelineFile, resolveEnrichPaths } from '../../../src/pipeline/config.js';

t.test('geo records: the ip-location-db flat layout and the MaxMind layout', async (t) => {
  t.same(readGeoRecord({ country_code: 'DE', state1: 'Bavaria', city: 'Munich' }), { country: 'DE', region: 'Bavaria', city: 'Munich' });
  t.same(readGeoRecord({ country_code: 'DE' }), { country: 'DE', region: '', city: '' });
  t.same(readGeoRecord({ registered_country: { iso_code: 'FR' } }), { country: 'FR', region: '', city: '' }, 'registered country when no country');
  t.same(readGeoRecord({ country: { iso_code: 'CN' }, subdivisions: [{ iso_code: '22' }] }), { country: 'CN', region: '22', city: '' });
  t.same(readGeoRecord(null), { country: '', region: '', city: '' });
});

t.test('the embedded DB-IP lite databases answer both families', async (t) => {
  const geo = await GeoLookup.open(geoFilesOf('embedded')!);
  t.equal(geo.lookup('1.1.1.1', 4).country, 'AU');
  t.equal(geo.lookup('2001:4860:4860::8888', 6).country, 'CA');
  t.same(geo.lookup('192.168.1.1', 4), { country: '', region: '', city: '' });
});

t.test('company records: GeoLite2-ASN, GeoIP2-ISP and Enterprise traits', async (t) => {
  t.same(readCompanyRecord({ autonomous_system_number: 15169, autonomous_system_organization: 'Google LLC' }),
    { asn: 15169, org: 'Google LLC', domain: '', userType: '' });
  t.same(readCompanyRecord({ autonomous_system_number: 1221, autonomous_system_organization: 'Telstra Pty Ltd', isp: 'Telstra Internet', organization: 'Telstra Internet' }),
    { asn: 1221, org: 'Telstra Internet', domain: '', userType: '' });
  t.same(readCompanyRecord({ country: { iso_code: 'US' }, traits: { autonomous_system_number: 7018, isp: 'AT&T', organization: 'Acme Corp', domain: 'acme.example', user_type: 'business' } }),
    { asn: 7018, org: 'Acme Corp', domain: 'acme.example', userType: 'business' });
  t.equal(readCompanyRecord({ traits: { is_anycast: true } }), null);
});

t.test('pipeline files: enrichment settings, paths relative to the file, errors that name the field', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'siftlog-config-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'site.yaml');
  writeFileSync(file, [
    'enrich:',
    '  geo: { file: maxmind/GeoIP2-City.mmdb }',
    '  company_db: maxmind/GeoIP2-ISP.mmdb',
    '  registries: [customers.csv]',
    '  categories: { AS16509: business }',
    '  site_hosts: [example.org]',
    '  pages: { extensions: ["", html, pdf], statuses: [2xx] }',
  ].join('\n'));
  const config = loadPipelineFile(file);
  resolveEnrichPaths(config.enrich, dir);
  t.same(config.enrich.geo, { file: join(dir, 'maxmind/GeoIP2-City.mmdb') });
  t.equal(config.enrich.company_db, join(dir, 'maxmind/GeoIP2-ISP.mmdb'));
  t.same(config.enrich.registries, [join(dir, 'customers.csv')]);
  t.same(config.enrich.categories, { AS16509: 'business' });
  t.same(config.enrich.pages, { extensions: ['', 'html', 'pdf'], statuses: ['2xx'] });
  t.equal(config.enrich.campaigns, true);

  writeFileSync(file, 'enrich:\n  categories: { AS1: corporate }\n  pages: { statuses: [ok] }\n');
  let message = '';
  try {
    loadPipelineFile(file);
  } catch (err) {
    message = (err as Error).message;
  }
  t.match(message, `${file}: enrich.categories.AS1: `);
  t.match(message, `${file}: enrich.pages.statuses.0: write a status class such as 2xx or a status such as 304`);
});
