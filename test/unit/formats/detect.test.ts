import t from 'tap';
import { detectFormat, type FormatNotDetectedError } from '../../../src/formats/detect.js';
import { PRESETS } from '../../../src/formats/presets.js';

const UA = '"-" "Mozilla/5.0"';
const clf = '192.0.2.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 2326';

t.test('the fullest parse wins: common, combined, vhost and xff logs each get their own preset', async (t) => {
  t.equal(detectFormat([clf, clf]).preset.name, 'common');
  t.equal(detectFormat([`${clf} ${UA}`]).preset.name, 'combined');
  t.equal(detectFormat([`www.example.com:80 ${clf} ${UA}`]).preset.name, 'vhost_combined');
  t.equal(detectFormat([`www.example.com ${clf}`]).preset.name, 'vhost_common');
  t.equal(detectFormat([`${clf} ${UA} "203.0.113.7"`]).preset.name, 'combined_xff');
  t.equal(detectFormat([`${clf} ${UA} 0.004`]).preset.name, 'combined_timed');
});

t.test('every preset sample line is detected as its own preset', async (t) => {
  for (const preset of PRESETS) {
    if (preset.name === 'json') continue;
    const lines = preset.sample.split('\n').map((l) => l.trim());
    t.equal(detectFormat(lines).preset.name, preset.name, preset.name);
  }
});

t.test('a file that matches nothing shows the shape of its first line (never its text) and the closest candidates', async (t) => {
  const error = t.throws(() => detectFormat(['hello world', 'second line'])) as FormatNotDetectedError;
  t.equal(error.sampleLine, 'hello world');
  t.equal(error.candidates.length, PRESETS.length - 1);
  t.match(error.message, /^no known format matches; the first line looks like: "x x"; closest: \w+ 0\/2 \(mostly \w+\)/);
});

t.test('the closest candidates are those that got furthest into the lines', async (t) => {
  const error = t.throws(() => detectFormat(['1.2.3.4 - - [February - 10, 2012:16:42:07] "GET / HTTP/1.0" 301 368'])) as FormatNotDetectedError;
  t.same(error.candidates.slice(0, 2).map((c) => [c.name, c.commonReason]), [['common', 'bad_timestamp'], ['combined', 'bad_timestamp']]);
});
