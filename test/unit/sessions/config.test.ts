import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { defaultConfig, emailConfig, exclusionConfig, loadPipelineFile, sessionsConfig } from '../../../src/pipeline/config.js';
import { tempDir } from '../../helpers/cli.js';

function pipelineFile(t: Tap.Test, text: string): string {
  const dir = tempDir(t, 'siftlog-config-');
  const file = join(dir, 'p.yaml');
  writeFileSync(file, text);
  return file;
}

t.test('defaults: a 30-minute visit, a one-minute reordering window, no goals, no e-mail patterns, nothing excluded', async (t) => {
  const config = defaultConfig();
  t.same(sessionsConfig(config), { timeoutMs: 1_800_000, reorderWindowMs: 60_000, maxBufferedHits: 1_000_000 });
  t.same(config.goals, []);
  t.same(emailConfig(config), { open: null, click: null });
  t.same(exclusionConfig(config), { networks: [], paths: [], userAgents: [], statuses: [] });
});

t.test('goals, e-mail, exclusions and sessions as a pipeline file writes them', async (t) => {
  const config = loadPipelineFile(pipelineFile(t, `
sessions:
  visit_timeout_minutes: 20
  reorder_window_seconds: 300
goals:
  - { name: signup, path: /signup, method: POST, status: [2xx, 3xx] }
  - { name: docs, path: "/docs/**" }
  - { name: order, path: "/order/*/done", site: shop.example.com, status: [200] }
email:
  open: "/t/open.gif?c={campaign}&r={recipient}"
  click: "/t/click?c={campaign}&r={recipient}&u={url}"
exclude:
  networks: [192.0.2.0/24, "2001:db8::/32"]
  paths: [/healthz, "/status/**"]
  user_agents: [UptimeRobot]
  statuses: [499, 5xx]
`));
  t.same(sessionsConfig(config), { timeoutMs: 1_200_000, reorderWindowMs: 300_000, maxBufferedHits: 1_000_000 });
  t.same(config.goals, [
    { name: 'signup', path: '/signup', method: 'POST', status: ['2xx', '3xx'] },
    { name: 'docs', path: '/docs/**' },
    { name: 'order', path: '/order/*/done', site: 'shop.example.com', status: [200] },
  ]);
  t.same(emailConfig(config), { open: '/t/open.gif?c={campaign}&r={recipient}', click: '/t/click?c={campaign}&r={recipient}&u={url}' });
  t.same(exclusionConfig(config), {
    networks: ['192.0.2.0/24', '2001:db8::/32'], paths: ['/healthz', '/status/**'], userAgents: ['UptimeRobot'], statuses: [499, '5xx'],
  });
});

t.test('mistakes are named with file, field and reason', async (t) => {
  const file = pipelineFile(t, `
sessions:
  visit_timeout_minutes: 0
goals:
  - { name: signup, path: signup, status: [200, 2x] }
email:
  open: "/t/open.gif?r={reader}"
exclude:
  networks: [office]
  paths: [healthz]
  statuses: [600]
`);
  t.throws(() => loadPipelineFile(file), {
    message: [
      `${file}: sessions.visit_timeout_minutes: Too small: expected number to be >=1`,
      `${file}: goals.0.path: "signup": a path pattern starts with / (exact, or with * ** ? wildcards)`,
      `${file}: goals.0.status.1: "2x": write a status class such as 2xx or a status such as 304`,
      `${file}: email.open: unknown placeholder {reader} (use {campaign}, {recipient}, {url} or {link})`,
      `${file}: exclude.networks.0: not an IP address or CIDR network with a valid prefix length`,
      `${file}: exclude.paths.0: "healthz": a path pattern starts with / (exact, or with * ** ? wildcards)`,
      `${file}: exclude.statuses.0: "600": write a status class such as 2xx or a status such as 304`,
    ].join('\n'),
  });
});
