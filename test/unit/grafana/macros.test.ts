import t from 'tap';
import {
  expandMacropro, expandSqlutil, interpolateVariables, type MacroContext, MacroError, stripComments,
} from '../../support/grafana-macros.js';

// The time ranges and expected texts are the ones clickhouse-datasource's own tests (pkg/macros/macros_test.go)
// and its macro documentation give.
const RANGE: MacroContext = { from: new Date('2014-11-12T11:45:26.371Z'), to: new Date('2015-11-12T11:45:26.371Z'), intervalMs: 20_000 };
const INTERPOLATE: MacroContext = { from: new Date('2014-11-12T11:45:26.123Z'), to: new Date('2015-11-12T11:45:26.456Z'), intervalMs: 20_000 };
const EXPANDERS = { sqlutil: expandSqlutil, macropro: expandMacropro } as const;

t.test('each macro expands to the text the plugin documents, in both expanders', async (t) => {
  const cases: [string, string][] = [
    ['$__fromTime', 'toDateTime(1415792726)'],
    ['$__toTime', 'toDateTime(1447328726)'],
    ['$__fromTime_ms', 'fromUnixTimestamp64Milli(1415792726371)'],
    ['$__toTime_ms', 'fromUnixTimestamp64Milli(1447328726371)'],
    ['$__dateFilter(dateCol)', "dateCol >= toDate('2014-11-12') AND dateCol <= toDate('2015-11-12')"],
    ['$__dateTimeFilter(dateCol, timeCol)',
      "(dateCol >= toDate('2014-11-12') AND dateCol <= toDate('2015-11-12')) AND (timeCol >= toDateTime(1415792726) AND timeCol <= toDateTime(1447328726))"],
    ['$__dt(dateCol, timeCol)',
      "(dateCol >= toDate('2014-11-12') AND dateCol <= toDate('2015-11-12')) AND (timeCol >= toDateTime(1415792726) AND timeCol <= toDateTime(1447328726))"],
    ['$__timeFilter(time)', 'time >= toDateTime(1415792726) AND time <= toDateTime(1447328726)'],
    ['$__timeFilter_ms(time)', 'time >= fromUnixTimestamp64Milli(1415792726371) AND time <= fromUnixTimestamp64Milli(1447328726371)'],
    ['$__timeInterval(col)', 'toStartOfInterval(toDateTime(col), INTERVAL 20 second)'],
    ['$__timeInterval_ms(col)', 'toStartOfInterval(toDateTime64(col, 3), INTERVAL 20000 millisecond)'],
    ['$__interval_s', '20'],
  ];
  for (const [name, expand] of Object.entries(EXPANDERS)) {
    for (const [macro, expected] of cases) t.equal(expand(macro, RANGE), expected, `${name}: ${macro}`);
  }
});

t.test('whole queries expand as the plugin\'s interpolation tests show, in both expanders', async (t) => {
  const cases: [string, string][] = [
    ['select * from foo where $__timeFilter(cast(sth as timestamp))',
      'select * from foo where cast(sth as timestamp) >= toDateTime(1415792726) AND cast(sth as timestamp) <= toDateTime(1447328726)'],
    ['select * from foo where $__timeFilter(cast(sth as timestamp) )',
      'select * from foo where cast(sth as timestamp) >= toDateTime(1415792726) AND cast(sth as timestamp) <= toDateTime(1447328726)'],
    ['select * from foo where $__timeFilter_ms(cast(sth as timestamp))',
      'select * from foo where cast(sth as timestamp) >= fromUnixTimestamp64Milli(1415792726123) AND cast(sth as timestamp) <= fromUnixTimestamp64Milli(1447328726456)'],
    ['select * from foo where ( date >= $__fromTime and date <= $__toTime ) limit 100',
      'select * from foo where ( date >= toDateTime(1415792726) and date <= toDateTime(1447328726) ) limit 100'],
    ['select * from foo where ( date >= $__fromTime ) and ( date <= $__toTime ) limit 100',
      'select * from foo where ( date >= toDateTime(1415792726) ) and ( date <= toDateTime(1447328726) ) limit 100'],
    ['select * from foo where ( date >= $__fromTime_ms and date <= $__toTime_ms ) limit 100',
      'select * from foo where ( date >= fromUnixTimestamp64Milli(1415792726123) and date <= fromUnixTimestamp64Milli(1447328726456) ) limit 100'],
  ];
  for (const [name, expand] of Object.entries(EXPANDERS)) {
    for (const [query, expected] of cases) t.equal(expand(query, INTERPOLATE), expected, `${name}: ${query}`);
  }
});

t.test('an interval under a second is one second, and sub-second parts are cut off', async (t) => {
  t.equal(expandSqlutil('$__timeInterval(ts)', { ...RANGE, intervalMs: 200 }), 'toStartOfInterval(toDateTime(ts), INTERVAL 1 second)');
  t.equal(expandMacropro('$__interval_s', { ...RANGE, intervalMs: 86_400_900 }), '86400');
});

t.test('the wrong number of arguments is an error, as in the plugin', async (t) => {
  for (const expand of Object.values(EXPANDERS)) {
    t.throws(() => expand('$__dateTimeFilter(day)', RANGE), MacroError);
    t.throws(() => expand('$__timeFilter(a, b)', RANGE), /expected 1 argument, received 2/);
  }
});

t.test('arguments are read only when ( follows the name at once, in both expanders', async (t) => {
  for (const expand of Object.values(EXPANDERS)) {
    t.equal(expand('ts >= $__fromTime AND site IN (1, 2)', RANGE), 'ts >= toDateTime(1415792726) AND site IN (1, 2)');
    t.equal(expand("toDate($__fromTime, 'UTC')", RANGE), "toDate(toDateTime(1415792726), 'UTC')");
    t.equal(expand("$__timeInterval(toDateTime(day, 'UTC'))", RANGE), "toStartOfInterval(toDateTime(toDateTime(day, 'UTC')), INTERVAL 20 second)");
  }
});

t.test('sqlutil splits on a comma inside quotes and counts parentheses inside them; macropro does not', async (t) => {
  t.throws(() => expandSqlutil("$__timeFilter(x = 'a,b')", RANGE), /expected 1 argument, received 2/);
  t.equal(expandMacropro("$__timeFilter(x = 'a,b')", RANGE), "x = 'a,b' >= toDateTime(1415792726) AND x = 'a,b' <= toDateTime(1447328726)");
  t.throws(() => expandSqlutil("$__timeFilter(x = '(')", RANGE), /missing close bracket/);
});

t.test('sqlutil\'s own defaults the plugin keeps: $__interval as Grafana writes intervals, $__timeFrom in generic SQL', async (t) => {
  t.equal(expandSqlutil('bin(time, $__interval) / $__interval_ms', { ...RANGE, intervalMs: 600_000 }), 'bin(time, 10m) / 600000');
  t.equal(expandSqlutil('WHERE $__timeFrom(ts)', INTERPOLATE), "WHERE ts >= '2014-11-12T11:45:26Z'");
});

t.test('macropro leaves macros inside comments alone and blanks the comments; sqlutil expands them', async (t) => {
  t.equal(stripComments("a -- $__x\nb /* c\nd */ 'e -- f'"), "a        \nb     \n     'e -- f'");
  t.equal(expandMacropro('SELECT 1 -- $__timeFilter(a, b)\n', RANGE), 'SELECT 1                       \n');
  t.throws(() => expandSqlutil('SELECT 1 -- $__timeFilter(a, b)\n', RANGE), /received 2/);
});

t.test('a name no expander knows is reported, not sent to the server', async (t) => {
  for (const expand of Object.values(EXPANDERS)) t.throws(() => expand('WHERE $__timeFilterr(ts)', RANGE), /\$__timeFilterr is not a macro/);
  t.throws(() => expandMacropro('WHERE $__timeFrom(ts)', RANGE), /\$__timeFrom is not a macro/);
});

t.test('dashboard variables are replaced as Grafana\'s template service does; macros are left for the plugin', async (t) => {
  const values = { site: ['www.example.com', "o'brien.example"], one: 'a.example' };
  t.equal(interpolateVariables('site IN (${site:singlequote}) AND $__timeFilter(hour)', values),
    "site IN ('www.example.com','o\\'brien.example') AND $__timeFilter(hour)");
  t.equal(interpolateVariables('site = ${one:singlequote}', values), "site = 'a.example'");
  t.equal(interpolateVariables('site IN ($site)', values), "site IN ('www.example.com','o'brien.example')", 'the plugin\'s own format quotes lists only');
  t.equal(interpolateVariables('x = $one, y = [[one:raw]]', values), 'x = a.example, y = a.example');
  t.throws(() => interpolateVariables('site = $sites', values), /\$sites, which the dashboard does not define/);
  t.throws(() => interpolateVariables('site = ${one:csv}', values), /:csv is not reproduced/);
});
