import t from 'tap';
import { PageRule } from '../../../src/enrich/page.js';
import type { CheckedText } from '../../../src/privacy/brands.js';
import { campaignOf, NO_CAMPAIGN } from '../../../src/privacy/campaign.js';
import { primaryLanguage } from '../../../src/privacy/language.js';
import { scrubFreeText as scrub } from '../../../src/privacy/scrub.js';

const scrubFreeText = (text: string) => scrub(text) as CheckedText;

t.test('campaigns: utm_* values, decoded, lower-cased and scrubbed', async (t) => {
  t.same(campaignOf('/landing?utm_source=Newsletter&utm_medium=email&utm_campaign=Spring+Sale&utm_term=log%20tools&utm_content=hero', scrubFreeText),
    { source: 'newsletter', medium: 'email', campaign: 'spring sale', term: 'log tools', content: 'hero' });
  t.same(campaignOf('/x?utm_source=jane.doe%40example.com&id=5', scrubFreeText),
    { source: '{email}', medium: '', campaign: '', term: '', content: '' });
  t.equal(campaignOf('/x?id=5', scrubFreeText), NO_CAMPAIGN);
  t.equal(campaignOf('/utm_source', scrubFreeText), NO_CAMPAIGN, 'only the query counts');
});

t.test('Accept-Language: the primary subtag of the preferred language', async (t) => {
  t.equal(primaryLanguage('de-CH,de;q=0.9,en;q=0.8'), 'de');
  t.equal(primaryLanguage('en;q=0.5, fr-FR;q=0.9'), 'fr');
  t.equal(primaryLanguage('*'), '');
  t.equal(primaryLanguage('de;q=0, pt-BR'), 'pt', 'q=0 means not acceptable');
  t.equal(primaryLanguage(''), '');
});

t.test('pages vs assets: default rule', async (t) => {
  const rule = new PageRule();
  t.equal(rule.isPage('/', 200), true);
  t.equal(rule.isPage('/docs/intro', 200), true);
  t.equal(rule.isPage('/index.html', 304), true);
  t.equal(rule.isPage('/css/site.css', 200), false);
  t.equal(rule.isPage('/logo.PNG', 200), false);
  t.equal(rule.isPage('/missing', 404), false);
  t.equal(rule.isPage('/moved', 301), false);
  t.equal(rule.isPage('/v1.2/guide', 200), true, 'a dot in a folder name is no extension');
});

t.test('pages vs assets: configured extensions and statuses', async (t) => {
  const rule = new PageRule(['', 'pdf'], ['2xx', '301']);
  t.equal(rule.isPage('/report.pdf', 200), true);
  t.equal(rule.isPage('/index.html', 200), false);
  t.equal(rule.isPage('/moved', 301), true);
  t.equal(rule.isPage('/x', 304), false);
  t.throws(() => new PageRule([''], ['ok']), /"ok" is neither a status class/);
});

t.test('campaigns: the first value of a key counts, unknown utm_ keys are ignored', async (t) => {
  t.same(campaignOf('/x?utm_source=a&utm_source=b&utm_constructor=x&utm_id=9', scrubFreeText),
    { source: 'a', medium: '', campaign: '', term: '', content: '' });
});
