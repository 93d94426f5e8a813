import { Store } from '../../src/sink/clickhouse/store.js';

/** Builds the template store (store-template.ts) in the folder given: a new store, every migration run, closed. */
const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: build-store-template.ts <new store folder>');
const store = await Store.open({ dir });
try {
  await store.migrate();
} finally {
  await store.close();
}
