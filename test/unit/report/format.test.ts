import t from 'tap';
import { change, formatBytes, formatValue } from '../../../src/report/format.js';
import { clean, fit, sparkline } from '../../../src/report/text.js';
import { escapeHtml, jsonForScript } from '../../../src/report/html/page.js';
import { countryLabel } from '../../../src/report/sections/countries.js';

t.test('numbers read the same everywhere: English grouping, decimal byte units, one decimal for rates', async (t) => {
  t.same([formatValue(0, 'count'), formatValue(1234567, 'count'), formatValue(null, 'count')], ['0', '1,234,567', '?']);
  t.same([formatBytes(0), formatBytes(999), formatBytes(1000), formatBytes(1024), formatBytes(33_080_000), formatBytes(2.5e15)],
    ['0 B', '999 B', '1.00 kB', '1.02 kB', '33.1 MB', '2.50 PB']);
  t.same([formatValue(42.25, 'percent'), formatValue(87, 'ms'), formatValue(1234, 'ms')], ['42.3%', '87 ms', '1.23 s']);
  t.same([formatValue(2.475, 'ratio'), formatValue(2, 'ratio'), formatValue(null, 'ratio')], ['2.48', '2.00', '?']);
});

t.test('visit durations read as seconds, minutes and seconds, or hours and minutes, short enough for a card', async (t) => {
  t.same([0, 44.6, 59.4, 60, 223, 3599, 3600, 7830].map((s) => formatValue(s, 'seconds')),
    ['0s', '45s', '59s', '1m 00s', '3m 43s', '59m 59s', '1h 00m', '2h 10m']);
  t.same(change({ current: 223, previous: 229 }, 'seconds').text, '-2.6%', 'a duration changes by a percent');
});

t.test('a change is a percent for counts and percentage points for rates; new, same and unknown are words', async (t) => {
  t.same(change({ current: 150, previous: 100 }, 'count'), { text: '+50%', trend: 'up' });
  t.same(change({ current: 95, previous: 100 }, 'count'), { text: '-5.0%', trend: 'down' });
  t.same(change({ current: 5, previous: 0 }, 'count'), { text: 'new', trend: 'new' });
  t.same(change({ current: 0, previous: 0 }, 'count'), { text: '-', trend: 'same' });
  t.same(change({ current: 7, previous: 7 }, 'count'), { text: '0%', trend: 'same' });
  t.same(change({ current: 7, previous: null }, 'count'), { text: '?', trend: 'unknown' });
  t.same(change({ current: 40, previous: 42.5 }, 'percent'), { text: '-2.5 pp', trend: 'down' });
});

t.test('text output: sparklines, lines cut to width, and no control character from the logs reaches the terminal', async (t) => {
  t.equal(sparkline([0, 1, 2, 4, 8]), '▁▂▃▅█', 'eight heights, the highest value the full bar');
  t.equal(sparkline([0, 0]), '▁▁');
  t.equal(sparkline(Array.from({ length: 120 }, (_, i) => (i < 60 ? 1 : 3))), `${'▃'.repeat(30)}${'█'.repeat(30)}`, 'long series summed into 60 bars');
  t.equal(fit('/a/very/long/path', 8), '/a/very…');
  t.equal(fit('日本語のパス', 6), '日本語のパス', 'counted in characters, not bytes');
  t.equal(clean('/x\u001b[31mred\u0007\u009b'), '/x\\x1b[31mred\\x07\\x9b');
});

t.test('HTML output: text is escaped, and inlined data cannot close its script element', async (t) => {
  t.equal(escapeHtml(`<script>alert("x") & 'y'</script>`), '&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;');
  const json = jsonForScript({ path: '</script><!-- \u2028' });
  t.notMatch(json, /</);
  t.same(JSON.parse(json), { path: '</script><!-- \u2028' });
});

t.test('countries are named in English beside their code', async (t) => {
  t.same([countryLabel('DE'), countryLabel(''), countryLabel('ZZ'), countryLabel('not a code')], ['DE Germany', 'unknown', 'ZZ Unknown Region', 'not a code']);
});
