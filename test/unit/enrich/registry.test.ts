import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { CompanyLookup } from '../../../src/enrich/company.js';
import { OrgClassifier } from '../../../src/enrich/category.js';
import { RegistryError, splitCsvLine, UserRegistry } from '../../../src/enrich/registry.js';
import { parseRange as parseNetwork } from '../../../src/net/cidr.js';

const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'registries');
const registry = UserRegistry.fromFiles([join(FIXTURES, 'example.csv'), join(FIXTURES, 'example.yaml')]);
const companies = new CompanyLookup({ registry, mmdb: null, asn: null, classifier: new OrgClassifier() });

t.test('networks: CIDR, first-last ranges and single addresses, IPv4 and IPv6', async (t) => {
  t.same(parseNetwork('10.1.2.3/8'), { family: 4, first: 167772160n, last: 184549375n }, 'host bits are cleared');
  t.same(parseNetwork('192.0.2.10 - 192.0.2.20'), { family: 4, first: 3221225994n, last: 3221226004n });
  t.same(parseNetwork('192.0.2.7'), { family: 4, first: 3221225991n, last: 3221225991n });
  t.same(parseNetwork('2001:db8::/126'), { family: 6, first: 0x20010db8n << 96n, last: (0x20010db8n << 96n) + 3n });
  t.equal(parseNetwork('10.0.0.0/33'), null);
  t.equal(parseNetwork('192.0.2.20-192.0.2.10'), null, 'a range must not run backwards');
  t.equal(parseNetwork('192.0.2.1-2001:db8::1'), null, 'a range stays in one family');
  t.equal(parseNetwork('example.com'), null);
});

t.test('CSV fields may be quoted', async (t) => {
  t.same(splitCsvLine('1.2.3.0/24,"Guest Wi-Fi, Berlin",,isp'), ['1.2.3.0/24', 'Guest Wi-Fi, Berlin', '', 'isp']);
  t.same(splitCsvLine('a,"say ""hi""",b'), ['a', 'say "hi"', 'b']);
});

t.test('the most specific range wins; a range without category is classified by name, else business', async (t) => {
  t.same(companies.lookup('198.51.100.5', 4),
    { asn: 0, org: 'Example Holdings', domain: 'example-holdings.com', category: 'business', source: 'registry' });
  t.same(companies.lookup('198.51.100.130', 4),
    { asn: 0, org: 'Example Holdings Berlin Office', domain: 'berlin.example-holdings.com', category: 'business', source: 'registry' });
  t.same(companies.lookup('198.51.100.205', 4),
    { asn: 0, org: 'Guest Wi-Fi, Berlin', domain: '', category: 'isp', source: 'registry' });
  t.equal(companies.lookup('198.51.100.211', 4).org, 'Example Holdings Berlin Office', 'past the end of the inner range');
  t.equal(companies.lookup('198.51.99.255', 4).org, '', 'outside every range');
});

t.test('YAML registries with ranges, and IPv6', async (t) => {
  t.same(companies.lookup('203.0.113.1', 4),
    { asn: 0, org: 'Ministry of Examples', domain: 'examples.gov', category: 'government', source: 'registry' });
  t.same(companies.lookup('203.0.113.100', 4), { asn: 0, org: 'Example Cloud', domain: '', category: 'hosting', source: 'registry' });
  t.same(companies.lookup('2001:db8:1234:5::1', 6),
    { asn: 0, org: 'Example Holdings', domain: 'example-holdings.com', category: 'business', source: 'registry' });
  t.same(companies.lookup('2001:db8:12ff::1', 6),
    { asn: 0, org: 'Example University', domain: 'example.edu', category: 'education', source: 'registry' });
});

t.test('user registries answer before the public registry', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'siftlog-registry-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'mine.csv');
  writeFileSync(file, 'network,company,domain,category\n1.1.1.0/24,Our Resolver Partner,partner.example,business\n');
  const lookup = await CompanyLookup.open({ registry: UserRegistry.fromFiles([file]), mmdbFile: null, asn: true });
  t.same(lookup.lookup('1.1.1.1', 4), { asn: 0, org: 'Our Resolver Partner', domain: 'partner.example', category: 'business', source: 'registry' });
  t.same(lookup.lookup('1.0.0.1', 4), { asn: 13335, org: 'Cloudflare, Inc.', domain: '', category: 'hosting', source: 'asn' });
  t.same(lookup.lookup('2001:4860:4860::8888', 6), { asn: 15169, org: 'Google LLC', domain: '', category: 'hosting', source: 'asn' });
});

t.test('a broken registry says which file, line and what to write', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'siftlog-registry-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, 'network,company\n10.0.0.0/8,Intranet\nnot-a-network,Someone\n');
  t.throws(() => UserRegistry.fromFiles([bad]), new RegistryError(`${bad}:3: "not-a-network" is not a network: write a CIDR (10.0.0.0/8) or a first-last range (192.0.2.10-192.0.2.20)`));
  const noHeader = join(dir, 'noheader.csv');
  writeFileSync(noHeader, '10.0.0.0/8,Intranet\n');
  t.throws(() => UserRegistry.fromFiles([noHeader]), /noheader\.csv:1: the header must name at least the columns network and company/);
  const category = join(dir, 'category.yaml');
  writeFileSync(category, '- network: 10.0.0.0/8\n  company: Intranet\n  category: corporate\n');
  t.throws(() => UserRegistry.fromFiles([category]), /category\.yaml: ranges\[0\]: unknown category "corporate"/);
  t.throws(() => UserRegistry.fromFiles([join(dir, 'missing.csv')]), /missing\.csv: cannot read the registry \(ENOENT\)/);
});
