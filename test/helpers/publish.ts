import { randomUUID } from 'node:crypto';
import { publish } from '../../src/sink/clickhouse/publish.js';
import { RunRecorder } from '../../src/sink/clickhouse/runs.js';
import { Staging } from '../../src/sink/clickhouse/staging.js';
import type { Store } from '../../src/sink/clickhouse/store.js';

/**
 * Publishes hand-made `requests` rows (objects with some of its columns; the others take their defaults)
 * the way a run does: staged, then swapped in with the trend tables built from them. Tests that plant
 * rows use it where they once inserted into `requests` and relied on materialized views.
 */
export async function publishRows(store: Store, rows: ReadonlyArray<Record<string, unknown>>): Promise<string> {
  const runId = randomUUID();
  const recorder = RunRecorder.begin(store.client, runId, 'ingest', 'test');
  await recorder.record('staging');
  const staging = await Staging.create(store.client, runId);
  await store.client.insert({ table: staging.requests, values: rows.map((r) => ({ ...r, run_id: runId })), format: 'JSONEachRow' });
  const result = await publish(store.client, { staging, scope: null, files: [], recorder });
  await recorder.record('published', { rowsWritten: rows.length, days: result.days });
  await staging.drop();
  return runId;
}
