import t from 'tap';
import { SECTIONS } from '../../../src/report/sections/index.js';

t.test('sections read only trend tables and privacy views, each named, so a read-only role can run the report', async (t) => {
  const allowed = ['traffic_hourly', 'pages_daily', 'sources_daily', 'campaigns_daily', 'geo_daily', 'companies_between', 'clients_daily'];
  t.same(SECTIONS.flatMap((s) => s.reads).filter((name) => !allowed.includes(name)), [], 'never requests, never a state table directly');
  t.same(SECTIONS.map((s) => s.id), ['traffic', 'pages', 'sources', 'campaigns', 'countries', 'companies', 'clients', 'status', 'bots']);
  t.equal(new Set(SECTIONS.map((s) => s.id)).size, SECTIONS.length, 'ids are unique: they are the page anchors');
});
