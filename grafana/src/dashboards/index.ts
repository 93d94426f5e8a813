import type { DashboardSpec } from '../panel-spec.js';
import { acquisition } from './acquisition.js';
import { audience } from './audience.js';
import { content } from './content.js';
import { errors } from './errors.js';
import { overview } from './overview.js';
import { technology } from './technology.js';

/** Every dashboard, in the order the README describes them. */
export const DASHBOARDS: readonly DashboardSpec[] = [overview, content, acquisition, audience, technology, errors];
