import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * A data file of a public-data npm package (`@ip-location-db/*`). Names the package to install when it is
 * missing, since the optional ones (GeoLite2 copies) are not installed with siftlog.
 */
export function embeddedPackageFile(pkg: string, file: string): string {
  let dir: string;
  try {
    dir = dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    throw new Error(`${pkg} is not installed: run "npm install ${pkg}" beside siftlog, or choose another database in the pipeline file`);
  }
  return join(dir, file);
}
