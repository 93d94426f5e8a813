import { count, rate, ranking, type RankingSpec, type Section } from '../section.js';

const CONVERSIONS = count('conversions', 'conversions');
const CONVERSION_RATE = rate('conversion_rate', 'conversion rate', 'conversions', 'visits');
const VISITS_OF_GOAL = count('visits', 'visits');

/** Conversions of each goal by one first touch of the visit: the rows of goals_daily grouped by it. */
function byTouch(id: string, title: string, keyLabel: string, touch: string, where?: string): RankingSpec {
  return {
    id, title, keyLabel, from: 'goals_daily', keys: ['goal', touch], ...(where === undefined ? {} : { where }),
    measures: [CONVERSIONS, CONVERSION_RATE, VISITS_OF_GOAL], label: ([goal, key]) => `${key} → ${goal}`,
  };
}

/**
 * Goals: people's visits that reached each goal of the pipeline file, and the conversion rate (conversions
 * over the visits of the same first touch), by the visit's entry page, source and campaign (goals_daily,
 * by the day the visit started). Only rows that converted in the period are listed.
 */
export const goals: Section = {
  id: 'goals',
  title: 'Goals',
  reads: ['goals_daily'],
  async load(q) {
    return [
      await ranking(q, {
        id: 'goals-top', title: 'Goals', keyLabel: 'goal', from: 'goals_daily', keys: ['goal'],
        measures: [CONVERSIONS, CONVERSION_RATE, VISITS_OF_GOAL], label: ([goal]) => goal,
      }),
      await ranking(q, byTouch('goals-entry', 'Conversions by entry page', 'entry page → goal', `if(entry_page = '', '(no page)', entry_page)`)),
      await ranking(q, byTouch('goals-source', 'Conversions by source', 'source → goal',
        `if(referrer_source != '', referrer_source, if(referrer_class = '', 'unknown', referrer_class))`)),
      await ranking(q, byTouch('goals-campaign', 'Conversions by campaign', 'campaign → goal', 'utm_campaign', `utm_campaign != ''`)),
    ];
  },
};
