import { existsSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { ROOT, siftlog, sqlRows, tempDir } from '../helpers/cli.js';

const LOG = join(ROOT, '..', 'shared', 'corpus', 'real', 'elastic_apache_logs.log');

if (!existsSync(LOG)) {
  t.pass('../shared is absent: the shared-corpus suite has nothing to check here');
} else {
  t.test('the elastic Apache log loads all 10,000 lines and answers the questions users ask', async (t) => {
    const store = join(tempDir(t), 'store');
    const run = siftlog(['ingest', LOG, '--store', store, '--json']);
    t.equal(run.code, 0, run.stderr);
    const summary = JSON.parse(run.stdout);
    // 9,999 complete lines plus one whose user agent lacks its closing quote: kept, and counted as repaired.
    t.match(summary, { linesRead: 10000, parsed: 10000, rejected: 0, rowsWritten: 10000, repaired: { unterminated_quote: 1 } });

    t.same(sqlRows(store, 'SELECT toString(day) AS day, hits FROM traffic_daily ORDER BY day'), [
      { day: '2015-05-17', hits: 1632 }, { day: '2015-05-18', hits: 2893 },
      { day: '2015-05-19', hits: 2896 }, { day: '2015-05-20', hits: 2579 },
    ]);
    // The manifest's status classes: 2xx 9171, 3xx 609, 4xx 217, 5xx 3.
    t.same(sqlRows(store, 'SELECT intDiv(status, 100) AS class, count() AS n FROM requests GROUP BY class ORDER BY class'), [
      { class: 2, n: 9171 }, { class: 3, n: 609 }, { class: 4, n: 217 }, { class: 5, n: 3 },
    ]);
    t.same(sqlRows(store, 'SELECT sum(status_4xx) AS e4, sum(status_5xx) AS e5 FROM traffic_daily'), [{ e4: 217, e5: 3 }]);
    const countries = sqlRows<{ country: string }>(store, "SELECT country FROM requests WHERE country != '' GROUP BY country ORDER BY count() DESC LIMIT 1");
    t.same(countries, [{ country: 'US' }]);
    const browsers = sqlRows<{ browser: string }>(store, "SELECT browser FROM clients_daily WHERE is_bot = 0 AND browser != '' GROUP BY browser ORDER BY sum(hits) DESC LIMIT 2");
    t.same(browsers.map((b) => b.browser).sort(), ['Chrome', 'Firefox']);
    const unknownCountry = sqlRows<{ n: number }>(store, "SELECT count() AS n FROM requests WHERE country = ''");
    t.ok(unknownCountry[0].n < 100, 'nearly every public address has a country');
  });
}
