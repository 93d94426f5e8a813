// The queries suite again, with every day of a publish built alone (sink/clickhouse/day-chunks.ts): the
// trend tables and visits must come out with the same hand-worked numbers as when all days are built at once.
process.env.SIFTLOG_PUBLISH_CHUNK_ROWS = '1';
await import('./queries.test.js');
