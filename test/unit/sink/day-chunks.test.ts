import t from 'tap';
import { CHUNK_ROWS, chunkDays, chunkRows } from '../../../src/sink/clickhouse/day-chunks.js';

t.test('days are grouped in order while their rows stay under the limit; a day over it stands alone', async (t) => {
  const rows = new Map([[20260101, 300], [20260102, 300], [20260103, 900], [20260104, 100], [20260105, 100]]);
  t.same(chunkDays([20260101, 20260102, 20260103, 20260104, 20260105], rows, 600),
    [[20260101, 20260102], [20260103], [20260104, 20260105]]);
  t.same(chunkDays([20260101, 20260102], rows, 1), [[20260101], [20260102]], 'a limit of 1: every day alone');
  t.same(chunkDays([20260101, 20260109], rows, 600), [[20260101, 20260109]], 'a day with no staged rows (visits only) costs nothing');
  t.same(chunkDays([], rows, 600), []);
});

t.test('the limit is CHUNK_ROWS unless SIFTLOG_PUBLISH_CHUNK_ROWS names a positive whole number', async (t) => {
  t.equal(chunkRows({}), CHUNK_ROWS);
  t.equal(chunkRows({ SIFTLOG_PUBLISH_CHUNK_ROWS: '1' }), 1);
  t.equal(chunkRows({ SIFTLOG_PUBLISH_CHUNK_ROWS: '0' }), CHUNK_ROWS);
  t.equal(chunkRows({ SIFTLOG_PUBLISH_CHUNK_ROWS: 'many' }), CHUNK_ROWS);
});
