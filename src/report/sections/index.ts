import type { Section } from '../section.js';
import { bots } from './bots.js';
import { campaigns } from './campaigns.js';
import { clients } from './clients.js';
import { companies } from './companies.js';
import { countries } from './countries.js';
import { pages } from './pages.js';
import { sources } from './sources.js';
import { status } from './status.js';
import { traffic } from './traffic.js';

/**
 * Every section of the report, in the order it is shown. Issue 12's sections (visits: bounce rate,
 * duration, entry and exit pages; goals and conversions; e-mail opens and clicks; response-time
 * percentiles and status classes) are added here, each reading its own table; a store without that table
 * shows the section as one line saying so.
 */
export const SECTIONS: readonly Section[] = [traffic, pages, sources, campaigns, countries, companies, clients, status, bots];
