import t from 'tap';
import { databaseNames, renameIdentifiers, renameParams, renameTable, renaming } from '../../../src/sink/clickhouse/database-names.js';

const map = renaming(databaseNames('web'));

t.test('a store named web uses web, web_staging and web_secrets', async (t) => {
  t.same(databaseNames('web'), { main: 'web', staging: 'web_staging', secrets: 'web_secrets' });
  t.same(renaming(databaseNames()), new Map(), 'the defaults rename nothing');
  for (const bad of ['', '1x', 'a-b', 'x_staging', 'x_secrets', 'a'.repeat(64), 'a b']) t.throws(() => databaseNames(bad), { message: /^--database / }, bad);
});

t.test('database names are renamed as identifiers only', async (t) => {
  t.equal(renameIdentifiers('SELECT * FROM siftlog.requests JOIN siftlog_staging.r__1 USING (x)', map), 'SELECT * FROM web.requests JOIN web_staging.r__1 USING (x)');
  t.equal(renameIdentifiers('CREATE DATABASE IF NOT EXISTS `siftlog_secrets`', map), 'CREATE DATABASE IF NOT EXISTS `web_secrets`');
  t.equal(renameIdentifiers("SELECT 'siftlog.requests', \"siftlog\" FROM siftlog.t", map), "SELECT 'siftlog.requests', \"siftlog\" FROM web.t", 'not in strings');
  t.equal(renameIdentifiers('SELECT t.siftlog, siftlog_x FROM siftlog.t -- siftlog\n/* siftlog */', map), 'SELECT t.siftlog, siftlog_x FROM web.t -- siftlog\n/* siftlog */', 'not a column, a longer word or a comment');
  t.equal(renameIdentifiers("SELECT 'it''s siftlog', siftlog.f()", map), "SELECT 'it''s siftlog', web.f()");
  t.equal(renameTable('siftlog_staging.requests__1', map), 'web_staging.requests__1');
  t.equal(renameTable('other.requests', map), 'other.requests');
  t.same(renameParams({ db: 'siftlog_staging', database: 'siftlog', name: 'siftlog' }, map), { db: 'web_staging', database: 'web', name: 'siftlog' });
});
