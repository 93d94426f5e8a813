import t from 'tap';
import { parseEpoch, parseHaproxyTime, parseIsoTime, parseW3cDateTime } from '../../../src/formats/time.js';

t.test('ISO 8601 with fractions, Z, offsets with and without colon', async (t) => {
  t.equal(parseIsoTime('2018-11-30T22:23:00.186641Z'), Date.UTC(2018, 10, 30, 22, 23, 0, 186));
  t.equal(parseIsoTime('2013-10-10T16:52:00+02:00'), Date.UTC(2013, 9, 10, 14, 52));
  t.equal(parseIsoTime('2013-10-10T16:52:00-0530'), Date.UTC(2013, 9, 10, 22, 22));
  t.equal(parseIsoTime('2023-08-11T11:41:25'), Date.UTC(2023, 7, 11, 11, 41, 25), 'no zone: UTC');
  t.ok(Number.isNaN(parseIsoTime('2023-02-30T00:00:00Z')));
  t.ok(Number.isNaN(parseIsoTime('2023-08-11T11:41:25+2')));
});

t.test('epoch seconds with fraction, milliseconds, and implausible values', async (t) => {
  t.equal(parseEpoch('1703373474.8155608'), 1703373474815);
  t.equal(parseEpoch('1703373474815', 'ms'), 1703373474815);
  t.equal(parseEpoch('1703373474815123', 'us'), 1703373474815);
  t.ok(Number.isNaN(parseEpoch('1703373474815')), 'milliseconds read as seconds are out of range');
  t.ok(Number.isNaN(parseEpoch('-')));
});

t.test('W3C date and time are UTC; HAProxy dates carry milliseconds', async (t) => {
  t.equal(parseW3cDateTime('2015-01-13', '00:32:17'), Date.UTC(2015, 0, 13, 0, 32, 17));
  t.equal(parseW3cDateTime('2015-01-13', '00:32:17.250'), Date.UTC(2015, 0, 13, 0, 32, 17, 250));
  t.ok(Number.isNaN(parseW3cDateTime('13/01/2015', '00:32:17')));
  t.equal(parseHaproxyTime('06/Feb/2009:12:14:14.655'), Date.UTC(2009, 1, 6, 12, 14, 14, 655));
});
