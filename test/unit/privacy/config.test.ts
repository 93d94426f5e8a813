import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { defaultConfig, loadPipelineFile, privacyConfig } from '../../../src/pipeline/config.js';

t.test('privacy defaults', async (t) => {
  const config = defaultConfig();
  t.same(config.privacy, {
    ipv4_prefix: 24, ipv6_prefix: 48, query_allow: ['utm_*'], salt_window_days: 2, time_zone: 'UTC', lookup_on: 'full',
    scrub: { rules: ['email', 'uuid', 'token', 'id', 'address'], custom: [], id_min_digits: 6, hex_token_min_length: 16 },
    small_group_k: 3,
  });
  t.equal(privacyConfig(config).lookupOn, 'full');
});

t.test('privacy settings are validated with the field named', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'siftlog-config-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'p.yaml');
  writeFileSync(file, 'privacy:\n  time_zone: Mars/Olympus\n  lookup_on: nowhere\n  scrub:\n    custom: [{ match: "(", replace: "x" }]\n');
  t.throws(() => loadPipelineFile(file), {
    message: `${file}: privacy.time_zone: unknown time zone: use an IANA name such as Europe/Berlin, America/New_York or UTC\n`
      + `${file}: privacy.lookup_on: Invalid option: expected one of "full"|"truncated"\n`
      + `${file}: privacy.scrub.custom.0.match: not a valid regular expression`,
  });
  writeFileSync(file, 'privacy:\n  time_zone: Europe/Berlin\n  lookup_on: truncated\n  ipv4_prefix: 16\n  small_group_k: 5\n');
  const config = loadPipelineFile(file);
  t.equal(config.privacy.time_zone, 'Europe/Berlin');
  t.same(privacyConfig(config).ipv4Prefix, 16);
  t.equal(config.privacy.small_group_k, 5);
});
