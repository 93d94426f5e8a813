import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { glob } from 'tinyglobby';
import { SourceError, type InputSpec } from './file.js';

const GLOB_CHARS = /[*?[\]{}]/;

/**
 * Turns the command line's input arguments into inputs: '-' is standard input, an existing path is itself,
 * and anything with glob characters is expanded (sorted, so rotated logs load oldest name first; an absolute
 * pattern gives absolute names, a relative one names relative to the working directory).
 * A glob that matches nothing is an error the user must see.
 */
export async function resolveInputs(args: readonly string[]): Promise<InputSpec[]> {
  const inputs: InputSpec[] = [];
  for (const arg of args) {
    if (arg === '-') {
      inputs.push({ name: '<stdin>', path: null });
    } else if (!existsSync(arg) && GLOB_CHARS.test(arg)) {
      const matches = (await glob(arg, { onlyFiles: true, expandDirectories: false, absolute: isAbsolute(arg) })).sort();
      if (matches.length === 0) throw new SourceError(arg, 'the pattern matches no file');
      for (const path of matches) inputs.push({ name: path, path });
    } else {
      inputs.push({ name: arg, path: arg });
    }
  }
  return inputs;
}
