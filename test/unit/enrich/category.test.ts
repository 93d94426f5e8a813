import t from 'tap';
import { categoryFromName, categoryFromUserType, OrgClassifier } from '../../../src/enrich/category.js';

t.test('organisation names: education and government before hosting and access providers', async (t) => {
  t.equal(categoryFromName('Massachusetts Institute of Technology'), 'education');
  t.equal(categoryFromName('University of Example Hosting Centre'), 'education');
  t.equal(categoryFromName('Federal Ministry of Examples'), 'government');
  t.equal(categoryFromName('Hetzner Online GmbH'), 'hosting');
  t.equal(categoryFromName('DIGITALOCEAN-ASN'), 'hosting');
  t.equal(categoryFromName('Comcast Cable Communications, LLC'), 'isp');
  t.equal(categoryFromName('Deutsche Telekom AG'), 'isp');
  t.equal(categoryFromName('Siemens AG'), 'business');
  t.equal(categoryFromName('Quad9'), 'unknown', 'no hint in the name: not guessed');
});

t.test('well-known AS numbers decide where names mislead', async (t) => {
  const c = new OrgClassifier();
  t.equal(c.classify(16509, 'AMAZON-02'), 'hosting');
  t.equal(c.classify(3320, 'Deutsche Telekom AG'), 'isp');
  t.equal(c.classify(237, 'Merit Network Inc.'), 'education');
  t.equal(c.classify(0, ''), 'unknown');
});

t.test("the user's overrides by AS number or name win", async (t) => {
  const c = new OrgClassifier({ AS16509: 'business', 'hetzner online gmbh': 'business' });
  t.equal(c.classify(16509, 'AMAZON-02'), 'business');
  t.equal(c.classify(24940, 'Hetzner Online GmbH'), 'business');
  t.equal(c.classify(24941, 'Other Hosting GmbH'), 'hosting');
});

t.test('MaxMind Enterprise user types', async (t) => {
  t.equal(categoryFromUserType('residential'), 'isp');
  t.equal(categoryFromUserType('cellular'), 'isp');
  t.equal(categoryFromUserType('college'), 'education');
  t.equal(categoryFromUserType('military'), 'government');
  t.equal(categoryFromUserType('hosting'), 'hosting');
  t.equal(categoryFromUserType('business'), 'business');
  t.equal(categoryFromUserType(''), null);
});
