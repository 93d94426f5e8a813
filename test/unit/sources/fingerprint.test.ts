import { statSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { FINGERPRINT_LINES, inputKey, prefixFingerprints as keyed } from '../../../src/sources/fingerprint.js';
import { tempDir } from '../../helpers/cli.js';

const KEY = Buffer.alloc(32, 7);
const prefixFingerprints = (lines: readonly string[]) => keyed(lines, KEY);

t.test('one fingerprint per first line, up to FINGERPRINT_LINES; a longer file keeps the shorter one\'s prints', async (t) => {
  const lines = Array.from({ length: 40 }, (_, i) => `line ${i}`);
  const all = prefixFingerprints(lines);
  t.equal(all.length, FINGERPRINT_LINES);
  t.same(prefixFingerprints(lines.slice(0, 5)), all.slice(0, 5), 'a file that grew from 5 lines has the 5-line print');
  t.equal(new Set(all).size, all.length, 'every prefix has its own print');
  t.same(prefixFingerprints([]), []);
});

t.test('the content decides, line by line: an empty line or a changed first line gives other prints', async (t) => {
  const [one] = prefixFingerprints(['a']);
  t.not(prefixFingerprints(['a', ''])[1], one);
  t.not(prefixFingerprints(['b'])[0], one);
  t.not(prefixFingerprints(['ab'])[0], prefixFingerprints(['a', 'b'])[1], 'line breaks count');
  t.match(one, /^[A-Za-z0-9_-]{43}$/, 'SHA-256 in base64url');
});

t.test('keyed: another store\'s key gives other prints; the key is made once, 32 bytes, mode 0600', async (t) => {
  const state = join(tempDir(t), 'state');
  const key = inputKey(state);
  t.equal(key.length, 32);
  t.equal(statSync(join(state, 'input-key')).mode & 0o777, 0o600);
  t.same(inputKey(state), key, 'the same key on the next run');
  t.not(keyed(['a'], key)[0], prefixFingerprints(['a'])[0]);
});
