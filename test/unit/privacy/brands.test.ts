import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import t from 'tap';

const SRC = join(import.meta.dirname, '..', '..', '..', 'src');
const BRANDS = ['AnonHit', 'ClientNet', 'VisitorId', 'SiteName', 'CheckedText', 'Branded'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []);
}

// The folder rules keep privacy/mint.ts to privacy/; a cast would go around it. TypeScript cannot forbid a
// cast, so this does: outside src/privacy/ no code may assert a value into one of the boundary's types.
t.test('no code outside src/privacy/ casts a value to one of the boundary\'s branded types', async (t) => {
  const cast = new RegExp(`\\bas\\s+(?:${BRANDS.join('|')})\\b|<(?:${BRANDS.join('|')})>\\s*[\\w(]`);
  const offenders = sources(SRC)
    .filter((file) => !relative(SRC, file).startsWith('privacy'))
    .filter((file) => cast.test(readFileSync(file, 'utf8')))
    .map((file) => relative(SRC, file));
  t.same(offenders, []);
  t.ok(cast.test('const x = text as ClientNet;') && cast.test('hit as unknown as AnonHit'), 'the pattern finds a cast');
});
