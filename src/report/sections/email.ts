import { count, ranking, type Section, type TrendMeasure } from '../section.js';

const uniq = (id: string, label: string, column: string): TrendMeasure => ({ id, label, format: 'count', column, merge: 'uniq' });
const CLICKS = count('clicks', 'clicks');
const UNIQUE_CLICKS = uniq('unique_clicks', 'unique clicks', 'clickers');

/**
 * E-mail: opens of the open pixel and clicks of the click redirect per mailing, and clicks per link.
 * Unique recipients are keyed hashes per mailing and day (the recipient is never stored): over several days
 * the daily uniques add up. Every open counts, image proxies included.
 */
export const email: Section = {
  id: 'email',
  title: 'E-mail',
  reads: ['email_daily'],
  async load(q) {
    return [
      await ranking(q, {
        id: 'email-campaigns', title: 'Mailings', keyLabel: 'mailing', from: 'email_daily', keys: ['campaign'],
        measures: [count('opens', 'opens'), uniq('unique_opens', 'unique opens', 'openers'), CLICKS, UNIQUE_CLICKS],
        label: ([campaign]) => campaign,
        note: 'Unique opens and clicks are counted per mailing and day: over several days the daily uniques add up.',
      }),
      await ranking(q, {
        id: 'email-links', title: 'Clicked links', keyLabel: 'link (mailing)', from: 'email_daily', keys: ['link', 'campaign'],
        where: `link != ''`, measures: [CLICKS, UNIQUE_CLICKS], label: ([link, campaign]) => `${link} (${campaign})`,
      }),
    ];
  },
};
