import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { ReferrerClassifier } from '../../../src/enrich/referrer.js';
import { customPreset } from '../../../src/formats/index.js';
import { emptyRawHit } from '../../../src/formats/types.js';
import { DEFAULT_PRIVACY, PrivacyBoundary } from '../../../src/privacy/boundary.js';
import { SaltStore } from '../../../src/privacy/salt.js';

const LINE = '203.0.113.9 - - [01/May/2024:12:00:00 +0000] "GET / HTTP/1.1" 200 10 "de-CH,de;q=0.9,en;q=0.8"';

t.test('nginx and Apache format strings read Accept-Language; the boundary keeps its primary language', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'siftlog-lang-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const boundary = new PrivacyBoundary(DEFAULT_PRIVACY, new SaltStore(dir, 2), {
    geo: null, company: null, referrers: new ReferrerClassifier(), campaigns: true,
  });
  for (const format of [
    '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_accept_language"',
    '%h %l %u %t \\"%r\\" %>s %b \\"%{Accept-Language}i\\"',
  ]) {
    const parser = customPreset(format).create({ proxies: null });
    const raw = emptyRawHit();
    t.equal(parser.parse(LINE, raw), null, format);
    t.equal(raw.acceptLanguage, 'de-CH,de;q=0.9,en;q=0.8');
    t.equal(boundary.cross(raw).language, 'de');
    t.equal(parser.parse(LINE.replace('"de-CH,de;q=0.9,en;q=0.8"', '"-"'), raw), null);
    t.equal(raw.acceptLanguage, '', 'a "-" header is no language');
  }
});
