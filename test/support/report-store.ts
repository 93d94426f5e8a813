import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openLookups } from '../../src/enrich/lookups.js';
import { defaultConfig } from '../../src/pipeline/config.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { createPrivacyViews } from '../../src/sink/clickhouse/privacy-views.js';
import { Store } from '../../src/sink/clickhouse/store.js';
import { resolveInputs } from '../../src/sources/inputs.js';
import { REPORT_EMAIL, REPORT_GOALS, REPORT_LOG_FORMAT, reportLog } from './report-log.js';
import { copyTemplateStore } from '../helpers/store-template.js';

/** A store loaded with the report's test log, as `siftlog ingest` leaves it (privacy views included). */
export async function loadReportStore(dir: string): Promise<Store> {
  const logFile = join(dir, 'access.log');
  writeFileSync(logFile, reportLog());
  const config = defaultConfig();
  config.log_format = REPORT_LOG_FORMAT;
  config.format = 'custom';
  config.goals = REPORT_GOALS;
  config.email = REPORT_EMAIL;
  const store = await Store.open({ dir: copyTemplateStore(join(dir, 'store')) });
  await store.migrate();
  const summary = await ingest(await resolveInputs([logFile]), config, store, await openLookups(config.enrich));
  if (summary.rejected !== 0 || summary.errors.length > 0) throw new Error(`the report's test log did not load cleanly: ${JSON.stringify(summary.errors)}`);
  await createPrivacyViews(store.client, config.privacy.small_group_k);
  return store;
}
