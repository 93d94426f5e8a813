import t from 'tap';
import { SECTIONS } from '../../../src/report/sections/index.js';

t.test('sections read only trend tables and privacy views, each named, so a read-only role can run the report', async (t) => {
  const allowed = ['traffic_hourly', 'pages_daily', 'sources_daily', 'campaigns_daily', 'geo_daily', 'companies_between', 'clients_daily',
    'goals_daily', 'email_daily', 'responses_hourly'];
  t.same(SECTIONS.flatMap((s) => s.reads).filter((name) => !allowed.includes(name)), [], 'never requests, never a state table directly');
  t.same(SECTIONS.map((s) => s.id), [
    'traffic', 'visits', 'pages', 'sources', 'campaigns', 'goals', 'email', 'countries', 'companies', 'clients', 'status', 'performance', 'bots',
  ]);
  t.equal(new Set(SECTIONS.map((s) => s.id)).size, SECTIONS.length, 'ids are unique: they are the page anchors');
});
