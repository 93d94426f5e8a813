import t from 'tap';
import { TerminalProgress } from '../../../src/pipeline/progress.js';

/** The text with the terminal's erase-line sequence made visible. */
const shown = (text: string) => text.replaceAll('\u001b[K', '<clear>');

t.test('the progress line: share of the file, lines, rate and time left, redrawn in place at most 4 times a second', async (t) => {
  let now = 0;
  let written = '';
  const progress = new TerminalProgress((text) => {
    written += text;
  }, () => now, 120);
  progress.startInput('access.log.2.gz', 100 * 1048576);
  now = 1_000;
  progress.update(50_000, 25 * 1048576);
  t.equal(written, '\r\x1b[Kaccess.log.2.gz  25.0% of 100 MiB  50,000 lines  50,000 lines/s  ETA 0:03');
  now = 1_100;
  progress.update(60_000, 30 * 1048576);
  t.equal(written.split('\r').length, 2, 'not redrawn within 250 ms');
  now = 2_000;
  progress.update(100_000, 50 * 1048576);
  t.match(shown(written), /\r<clear>access\.log\.2\.gz {2}50\.0% of 100 MiB {2}100,000 lines {2}50,000 lines\/s {2}ETA 0:02$/);
  progress.startInput('-', null);
  now = 3_000;
  progress.update(10, undefined);
  t.match(shown(written), /\r<clear>- {2}10 lines {2}10 lines\/s$/, 'standard input: no size, no time left');
  progress.end();
  t.match(shown(written), /\r<clear>$/, 'cleared before the summary');
});
