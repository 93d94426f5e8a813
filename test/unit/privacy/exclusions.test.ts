import t from 'tap';
import { emptyRawHit, type RawHit } from '../../../src/formats/types.js';
import { ExclusionRules, networkEntryError } from '../../../src/privacy/exclusions.js';
import { line, VisitPipeline } from '../../support/visit-pipeline.js';
import { tempDir } from '../../helpers/cli.js';

function raw(fields: Partial<RawHit>): RawHit {
  return Object.assign(emptyRawHit(), { time: Date.UTC(2026, 10, 30, 8), clientAddress: '203.0.113.9', method: 'GET', target: '/', status: 200,
    userAgent: 'Mozilla/5.0' }, fields);
}

t.test('exclusion rules: networks (every address form), paths, user agents, statuses — each counted under its own name', async (t) => {
  const rules = new ExclusionRules({
    networks: ['192.0.2.0/24', '2001:db8:10::/48', '198.51.100.7'],
    paths: ['/healthz', '/status/**'],
    userAgents: ['UptimeRobot', 'pingdom'],
    statuses: ['499', '5xx'],
  });
  const cases: Array<[Partial<RawHit>, string | null]> = [
    [{ clientAddress: '192.0.2.77' }, 'networks[0]'],
    [{ clientAddress: '::ffff:192.0.2.77' }, 'networks[0]'],
    [{ clientAddress: '192.0.2.77:51234' }, 'networks[0]'],
    [{ clientAddress: '[2001:DB8:10:ffff::1]:443' }, 'networks[1]'],
    [{ clientAddress: '198.51.100.7' }, 'networks[2]'],
    [{ clientAddress: '198.51.100.8' }, null],
    [{ clientAddress: 'host.example.net' }, null],
    [{ target: '/healthz' }, 'paths[0]'],
    [{ target: '/healthz?full=1' }, 'paths[0]'],
    [{ target: '/healthz/deep' }, null],
    [{ target: '/status/db' }, 'paths[1]'],
    [{ userAgent: 'Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)' }, 'user_agents[0]'],
    [{ userAgent: 'Pingdom.com_bot_version_1.4' }, 'user_agents[1]'],
    [{ userAgent: null }, null],
    [{ status: 499 }, 'statuses[0]'],
    [{ status: 503 }, 'statuses[1]'],
    [{ status: 404 }, null],
    [{ clientAddress: '192.0.2.1', target: '/healthz' }, 'networks[0]'],
  ];
  for (const [fields, rule] of cases) t.equal(rules.match(raw(fields)), rule, JSON.stringify(fields));
  t.same(rules.excludedByRule(), {
    'networks[0]': 4, 'networks[1]': 1, 'networks[2]': 1, 'paths[0]': 2, 'paths[1]': 1, 'user_agents[0]': 1, 'user_agents[1]': 1,
    'statuses[0]': 1, 'statuses[1]': 1,
  }, 'a line matching several rules counts once, under the first');
  t.equal(rules.excludedTotal, 13);
  t.notMatch(JSON.stringify(rules.excludedByRule()), /\d+\.\d+\.\d+/, 'rule names carry no address');
});

t.test('bad network entries are refused without echoing them', async (t) => {
  t.equal(networkEntryError('10.0.0.0/8'), null);
  t.equal(networkEntryError('10.0.0.0/33'), 'not an IP address or CIDR network with a valid prefix length');
  t.equal(networkEntryError('office'), 'not an IP address or CIDR network with a valid prefix length');
  t.throws(() => new ExclusionRules({ networks: ['10.0.0.0/40'], paths: [], userAgents: [], statuses: [] }), /^exclude\.networks\[0\]: invalid prefix length/);
});

t.test('excluded lines reach no request, no visit: applied before anything is counted', async (t) => {
  const dir = tempDir(t, 'siftlog-exclude-');
  const p = new VisitPipeline({ stateDir: dir, exclude: { networks: ['10.0.0.0/8'], paths: ['/healthz'], userAgents: ['UptimeRobot'], statuses: [] } });
  p.pushAll([
    line('10.1.2.3', '30/Nov/2026:08:00:00', 'GET /', 200),
    line('203.0.113.5', '30/Nov/2026:08:00:10', 'GET /healthz', 200),
    line('203.0.113.6', '30/Nov/2026:08:00:20', 'HEAD /', 200, '-', 'Mozilla/5.0+(compatible; UptimeRobot/2.0)'),
    line('203.0.113.7', '30/Nov/2026:08:00:30', 'GET /', 200),
  ]);
  p.finish();
  t.same(p.hits.map((h) => h.anon.clientNet), ['203.0.113.0/24']);
  t.equal(p.visits.length, 1);
  t.same(p.exclusions.excludedByRule(), { 'networks[0]': 1, 'paths[0]': 1, 'user_agents[0]': 1 });
});
