/**
 * The folder direction of src/, checked by `npm run lint` (and so by `npm test`). A line travels
 *
 *   sources → formats → privacy → enrich → sessions → sink
 *
 * and each folder may import only the folders before it (a stage knows the types of what it is handed, never
 * what comes after it); pipeline and cli sit on top and may import any stage; net is neutral: every stage
 * may import it and it imports nothing of siftlog. Type-only imports count: a type is a dependency too.
 * There are no exceptions.
 */
const STAGES = ['sources', 'formats', 'privacy', 'enrich', 'sessions', 'sink'];
const TOP = ['pipeline', 'cli'];
/** Readers of the store: after the sink, beside the run loop. */
const READERS = ['report'];

const stageRules = STAGES.map((stage, i) => ({
  name: `${stage}-imports-only-earlier-stages`,
  severity: 'error',
  comment: `${stage}/ is stage ${i + 1} of ${STAGES.join(' → ')}: it may import ${i === 0 ? 'no other stage' : STAGES.slice(0, i).join(', ')} and net/, not what comes after it, nor ${TOP.join(' or ')}.`,
  from: { path: `^src/${stage}/` },
  to: { path: `^src/(${[...STAGES.slice(i + 1), ...TOP, ...READERS].join('|')})/` },
}));

module.exports = {
  forbidden: [
    ...stageRules,
    {
      name: 'net-is-neutral',
      severity: 'error',
      comment: 'net/ parses and matches addresses for every stage alike: it imports nothing of siftlog.',
      from: { path: '^src/net/' },
      to: { path: '^src/', pathNot: '^src/net/' },
    },
    {
      name: 'raw-data-stays-before-the-boundary',
      severity: 'error',
      comment: 'What comes after privacy/ sees only what crossed the boundary (AnonHit): never the raw lines (sources/) or RawHit (formats/).',
      from: { path: '^src/(enrich|sessions|sink)/' },
      to: { path: '^src/(sources|formats)/' },
    },
    {
      name: 'only-the-boundary-mints',
      severity: 'error',
      comment: 'privacy/mint.ts gives values the boundary\'s brands (ClientNet, VisitorId, SiteName, CheckedText, AnonHit): only privacy/ may use it.',
      from: { pathNot: '^src/privacy/' },
      to: { path: '^src/privacy/mint\\.ts$' },
    },
    {
      name: 'report-reads-the-store-only',
      severity: 'error',
      comment: 'report/ answers from the tables the sink wrote: it imports sink/ (table names) and net/, never a stage before the sink or the run loop.',
      from: { path: '^src/report/' },
      to: { path: '^src/', pathNot: '^src/(report|sink|net)/' },
    },
    {
      name: 'only-cli-starts-a-report',
      severity: 'error',
      comment: 'The run loop does not make reports; a command does.',
      from: { path: '^src/pipeline/' },
      to: { path: '^src/report/' },
    },
    {
      name: 'pipeline-below-cli',
      severity: 'error',
      comment: 'The run loop does not depend on the commands that start it.',
      from: { path: '^src/pipeline/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'known-folders-only',
      severity: 'error',
      comment: 'Every module lives in one of the folders the rules above know, so that none escapes them.',
      from: { path: '^src/', pathNot: `^src/(${[...STAGES, ...TOP, ...READERS, 'net', 'types'].join('|')})/` },
      to: {},
    },
  ],
  options: {
    includeOnly: '^src/',
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
