import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import { DASHBOARDS } from '../../../grafana/src/dashboards/index.js';
import { DATASOURCE_UID, PLUGIN_ID, ResultFormat } from '../../../grafana/src/query.js';
import { dashboardFile, layout, renderDashboard, SITE_VARIABLE_SQL } from '../../../grafana/src/render.js';

const GRAFANA = join(import.meta.dirname, '..', '..', '..', 'grafana');

t.test('the committed dashboard JSON is what the code generates (npm run grafana:build), and nothing else is there', async (t) => {
  const files = DASHBOARDS.map(dashboardFile);
  for (const file of files) {
    t.equal(readFileSync(join(GRAFANA, 'dashboards', file.name), 'utf8'), file.text, `${file.name}: run npm run grafana:build and commit`);
  }
  t.same(readdirSync(join(GRAFANA, 'dashboards')).sort(), files.map((f) => f.name).sort());
});

t.test('six dashboards with their own uids, tagged and linked to each other', async (t) => {
  t.same(DASHBOARDS.map((d) => d.title), [
    'siftlog / Overview', 'siftlog / Content', 'siftlog / Acquisition', 'siftlog / Audience', 'siftlog / Technology',
    'siftlog / Errors & performance',
  ]);
  t.equal(new Set(DASHBOARDS.map((d) => d.uid)).size, DASHBOARDS.length);
  for (const spec of DASHBOARDS) {
    const dashboard = renderDashboard(spec);
    t.same(dashboard.tags, ['siftlog']);
    t.same(dashboard.links?.map((l) => [l.type, l.tags, l.includeVars, l.keepTime]), [['dashboards', ['siftlog'], true, true]]);
    t.equal(dashboard.timezone, 'utc', 'the tables count UTC days and hours');
  }
});

t.test('site, period and data source are dashboard variables; the site list is a query over a trend table', async (t) => {
  const list = renderDashboard(DASHBOARDS[0]).templating?.list ?? [];
  t.same(list.map((v) => [v.name, v.type]), [['datasource', 'datasource'], ['site', 'query'], ['period', 'interval']]);
  const [datasource, site, period] = list;
  t.same([datasource.query, datasource.current?.value], [PLUGIN_ID, DATASOURCE_UID]);
  t.same(site.query, { refId: 'site', queryType: 'sql', editorType: 'sql', rawSql: SITE_VARIABLE_SQL });
  t.same([site.multi, site.includeAll, site.refresh], [true, true, 1]);
  t.same([period.query, period.auto, period.current?.value], ['1h,1d,7d,30d', true, '1d']);
});

t.test('each rendered panel carries its spec\'s SQL as a SQL-editor query of the ClickHouse plugin', async (t) => {
  for (const spec of DASHBOARDS) {
    const panels = renderDashboard(spec).panels ?? [];
    const live = spec.panels;
    t.same(panels.map((p) => p.title), live.map((p) => p.title), `${spec.title}: every panel, none waiting for a table`);
    t.same(panels.map((p) => p.id), live.map((_, i) => i + 1), `${spec.title}: panel ids 1, 2, 3…`);
    panels.forEach((panel, i) => {
      const kind = live[i].shape.kind;
      t.equal(panel.type, kind);
      t.same(panel.datasource, { type: PLUGIN_ID, uid: '${datasource}' });
      const targets = (panel as { targets?: Record<string, unknown>[] }).targets ?? [];
      t.equal(targets.length, 1);
      t.match(targets[0], {
        refId: 'A', editorType: 'sql', rawSql: live[i].sql,
        format: kind === 'timeseries' ? ResultFormat.TimeSeries : ResultFormat.Table,
        datasource: { type: PLUGIN_ID, uid: '${datasource}' },
      });
      if (kind === 'timeseries') t.equal(panel.interval, '$period', `${panel.title}: buckets follow the period variable`);
    });
  }
});

t.test('panels fill the 24-column grid row by row without overlapping', async (t) => {
  for (const spec of DASHBOARDS) {
    const cells = new Set<string>();
    const problems: string[] = [];
    for (const { x, y, w, h } of layout(spec.panels)) {
      if (x < 0 || x + w > 24) problems.push(`${x}+${w} outside the grid`);
      for (let i = x; i < x + w; i++) for (let j = y; j < y + h; j++) {
        if (cells.has(`${i},${j}`)) problems.push(`overlap at ${i},${j}`);
        cells.add(`${i},${j}`);
      }
    }
    t.same(problems, [], spec.title);
  }
  const stats = (n: number) => Array.from({ length: n }, (_, i) => ({
    title: `s${i}`, description: '', sql: '', shape: { kind: 'stat' as const, value: 'v' },
  }));
  t.same(layout(stats(5)).map((p) => p.w), [5, 5, 5, 5, 4], 'a run of stats shares one row');
  t.same(layout(stats(8)).map((p) => [p.x, p.w]), [[0, 3], [3, 3], [6, 3], [9, 3], [12, 3], [15, 3], [18, 3], [21, 3]]);
});

/** os.ExpandEnv as Grafana applies it to every string value of a provisioning file. */
const expandEnv = (value: unknown, env: Record<string, string>): unknown =>
  typeof value === 'string' ? value.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a?: string, b?: string) => env[a ?? b ?? ''] ?? '') : value;

t.test('the data source file gives the ClickHouse plugin the settings it reads, the password from the environment', async (t) => {
  const file = parse(readFileSync(join(GRAFANA, 'provisioning', 'datasources', 'siftlog.yaml'), 'utf8'));
  t.equal(file.apiVersion, 1);
  t.equal(file.datasources.length, 1);
  const [source] = file.datasources;
  t.match(source, { name: 'siftlog', uid: DATASOURCE_UID, type: PLUGIN_ID });
  // The keys clickhouse-datasource's LoadSettings reads (pkg/plugin/settings.go).
  const known = ['host', 'port', 'protocol', 'secure', 'path', 'tlsSkipVerify', 'tlsAuth', 'tlsAuthWithCACert', 'username', 'defaultDatabase',
    'dialTimeout', 'queryTimeout', 'customSettings', 'forwardGrafanaHeaders', 'httpHeaders'];
  for (const key of Object.keys(source.jsonData)) t.ok(known.includes(key), `jsonData.${key} is a setting of the plugin`);
  t.equal(source.jsonData.defaultDatabase, 'siftlog');
  t.same(Object.keys(source.secureJsonData), ['password']);
  t.equal(source.secureJsonData.password, '${SIFTLOG_GRAFANA_PASSWORD}', 'no password in the file');

  const env = {
    SIFTLOG_CLICKHOUSE_HOST: 'clickhouse.example.com', SIFTLOG_CLICKHOUSE_PORT: '8443', SIFTLOG_CLICKHOUSE_PROTOCOL: 'http',
    SIFTLOG_CLICKHOUSE_SECURE: 'true', SIFTLOG_GRAFANA_USER: 'siftlog_dashboard', SIFTLOG_GRAFANA_PASSWORD: 's3cret',
  };
  const settings = Object.fromEntries(Object.entries(source.jsonData).map(([k, v]) => [k, expandEnv(v, env)]));
  t.same(settings, {
    host: 'clickhouse.example.com', port: '8443', protocol: 'http', secure: 'true', username: 'siftlog_dashboard',
    defaultDatabase: 'siftlog', tlsAuthWithCACert: false,
  }, 'strings where the plugin parses strings (port: ParseInt, secure: ParseBool)');
  t.equal(expandEnv(source.secureJsonData.password, env), 's3cret');
});

t.test('the dashboard provider loads the generated files into a folder of their own', async (t) => {
  const file = parse(readFileSync(join(GRAFANA, 'provisioning', 'dashboards', 'siftlog.yaml'), 'utf8'));
  t.equal(file.apiVersion, 1);
  t.match(file.providers, [{
    name: 'siftlog', type: 'file', folder: 'siftlog', allowUiUpdates: false, options: { path: '${SIFTLOG_GRAFANA_DASHBOARDS}' },
  }]);
});

t.test('docs/grafana.md grants the read-only user exactly the tables and views the live dashboards read', async (t) => {
  const docs = readFileSync(join(GRAFANA, '..', 'docs', 'grafana.md'), 'utf8');
  const granted = [...docs.matchAll(/GRANT SELECT ON siftlog\.(\w+) TO siftlog_dashboard;/g)].map((m) => m[1]).sort();
  const read = new Set<string>();
  for (const sql of [SITE_VARIABLE_SQL, ...DASHBOARDS.flatMap((d) => d.panels.map((p) => p.sql))]) {
    for (const m of sql.matchAll(/\bsiftlog\.(\w+)/g)) read.add(m[1]);
  }
  t.same(granted, [...read].sort());
});
