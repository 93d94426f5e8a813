import t from 'tap';
import { backoffMs, classifyFailure, isIdempotent, ServerUnavailableError, withRetries } from '../../../src/sink/clickhouse/retry.js';

const errno = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code });

t.test('a failure is classified by whether the request may have run', async (t) => {
  t.equal(classifyFailure(errno('ECONNREFUSED')), 'not-sent');
  t.equal(classifyFailure(errno('ENOTFOUND')), 'not-sent');
  t.equal(classifyFailure(Object.assign(new Error('Too many simultaneous queries'), { code: '202' })), 'not-sent');
  t.equal(classifyFailure(errno('ECONNRESET')), 'maybe-ran');
  t.equal(classifyFailure(new Error('socket hang up')), 'maybe-ran');
  t.equal(classifyFailure(new Error('Timeout error.')), 'maybe-ran');
  t.equal(classifyFailure(Object.assign(new Error('Table is in readonly mode'), { code: '242' })), 'maybe-ran');
  t.equal(classifyFailure(Object.assign(new Error('Syntax error'), { code: '62' })), 'final');
  t.equal(classifyFailure(new Error('wrapped', { cause: errno('ECONNREFUSED') })), 'not-sent', 'through a cause');
});

t.test('only statements that give the same result twice are idempotent', async (t) => {
  for (const sql of [
    'SELECT 1', '  -- a comment\nWITH x AS (SELECT 1) SELECT * FROM x', 'CREATE TABLE IF NOT EXISTS a.b (x UInt8) ENGINE = Memory',
    'CREATE OR REPLACE VIEW a.v AS SELECT 1', 'DROP TABLE IF EXISTS a.b', 'ALTER TABLE a.b REPLACE PARTITION 20240301 FROM s.b',
    'ALTER TABLE a.b ON CLUSTER c DROP PARTITION 20240301', 'DELETE FROM a.b WHERE x = 1',
    'ALTER TABLE a.b ADD COLUMN IF NOT EXISTS y String, DROP COLUMN IF EXISTS z',
  ]) t.equal(isIdempotent(sql), true, sql);
  for (const sql of [
    'INSERT INTO a.b VALUES (1)', 'ALTER TABLE a.b ATTACH PARTITION 20240301 FROM s.b', 'CREATE TABLE a.b (x UInt8) ENGINE = Memory',
    'ALTER TABLE a.b ADD COLUMN y String', "ALTER TABLE a.b ADD COLUMN IF NOT EXISTS y String DEFAULT 'ADD COLUMN', UPDATE x = 1 WHERE 1",
    'DROP TABLE a.b', 'RENAME TABLE a.b TO a.c',
  ]) t.equal(isIdempotent(sql), false, sql);
});

t.test('the pause doubles from the first one up to the longest, with ±25% jitter', async (t) => {
  const policy = { attempts: 6, initialDelayMs: 100, maxDelayMs: 500 };
  t.same([1, 2, 3, 4, 5].map((r) => backoffMs(policy, r, () => 0.5)), [100, 200, 400, 500, 500]);
  t.equal(backoffMs(policy, 1, () => 0), 75);
  t.equal(backoffMs(policy, 1, () => 1), 125);
});

t.test('a request is retried while it may be, then fails saying how often it was tried', async (t) => {
  const policy = { attempts: 3, initialDelayMs: 1, maxDelayMs: 2 };
  let calls = 0;
  const retried: number[] = [];
  t.equal(await withRetries(async () => {
    calls++;
    if (calls < 3) throw errno('ECONNREFUSED');
    return 'ok';
  }, false, policy, { onRetry: ({ attempt }) => retried.push(attempt) }), 'ok');
  t.same(retried, [1, 2]);

  calls = 0;
  const gone = withRetries(async () => {
    calls++;
    throw errno('ECONNREFUSED');
  }, true, policy);
  const failure = await gone.catch((err: unknown) => err);
  t.ok(failure instanceof ServerUnavailableError);
  t.match(failure, { message: 'connect ECONNREFUSED 127.0.0.1:1 (3 tries)', attempts: 3, cause: { code: 'ECONNREFUSED' } });
  t.equal(calls, 3);

  calls = 0;
  await t.rejects(withRetries(async () => {
    calls++;
    throw errno('ECONNRESET');
  }, false, policy), { message: 'connect ECONNRESET 127.0.0.1:1' }, 'an insert that may have run is not sent again');
  t.equal(calls, 1);

  calls = 0;
  await t.rejects(withRetries(async () => {
    calls++;
    throw Object.assign(new Error('Syntax error'), { code: '62' });
  }, true, policy), { message: 'Syntax error' }, 'a refusal is final');
  t.equal(calls, 1);
});
