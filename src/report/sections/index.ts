import type { Section } from '../section.js';
import { bots } from './bots.js';
import { campaigns } from './campaigns.js';
import { clients } from './clients.js';
import { companies } from './companies.js';
import { countries } from './countries.js';
import { email } from './email.js';
import { goals } from './goals.js';
import { pages } from './pages.js';
import { performance } from './performance.js';
import { sources } from './sources.js';
import { status } from './status.js';
import { traffic } from './traffic.js';
import { visits } from './visits.js';

/**
 * Every section of the report, in the order it is shown, each reading its own tables; a store without one
 * shows the section as one line saying so.
 */
export const SECTIONS: readonly Section[] = [
  traffic, visits, pages, sources, campaigns, goals, email, countries, companies, clients, status, performance, bots,
];
