/**
 * The small pattern language the pipeline file uses to name requests, shared by exclusions (`exclude.paths`,
 * `exclude.statuses`, matched inside the boundary) and goals (`goals[].path`, `goals[].status`, matched on the
 * scrubbed path after it): one syntax, one implementation.
 *
 * Paths: a pattern without wildcards is exact (`/signup`); `*` matches any characters except `/`, `**` any
 * characters including `/` (`/docs/**` is a prefix of everything under /docs/); `?` one character
 * except `/`. Paths compare case-sensitively, as servers do.
 */
export type PathTest = (path: string) => boolean;

export class PatternError extends Error {}

export function isWildcardPattern(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

export function compilePathPattern(pattern: string): PathTest {
  if (!pattern.startsWith('/')) throw new PatternError(`"${pattern}" is not a path pattern: it must start with /`);
  if (!isWildcardPattern(pattern)) return (path) => path === pattern;
  const star = pattern.indexOf('*');
  // `/docs/**` with no other wildcard: a prefix test, no regular expression.
  if (star === pattern.length - 2 && pattern.endsWith('**') && !pattern.includes('?')) {
    const prefix = pattern.slice(0, -2);
    return (path) => path.startsWith(prefix);
  }
  let source = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        source += '.*';
        i++;
      } else {
        source += '[^/]*';
      }
    } else if (c === '?') {
      source += '[^/]';
    } else {
      source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  const re = new RegExp(`${source}$`);
  return (path) => re.test(path);
}

/** Statuses given as classes (`2xx`) or single codes (`304`, or the number 304). */
export class StatusSet {
  /** members[status] is 1 for statuses in the set. */
  private readonly members = new Uint8Array(1000);

  constructor(entries: readonly (string | number)[]) {
    for (const entry of entries) {
      const text = String(entry).trim().toLowerCase();
      if (/^[1-5]xx$/.test(text)) this.members.fill(1, Number(text[0]) * 100, Number(text[0]) * 100 + 100);
      else if (/^[1-5]\d\d$/.test(text)) this.members[Number(text)] = 1;
      else throw new PatternError(`"${entry}" is neither a status class such as 2xx nor a status such as 304`);
    }
  }

  has(status: number): boolean {
    return status >= 0 && status < 1000 && this.members[status] === 1;
  }
}

/** The check a pipeline file's status list must pass; the message names the first bad entry. */
export function statusEntryError(entry: string | number): string | null {
  return /^[1-5](xx|\d\d)$/i.test(String(entry).trim()) ? null : `"${entry}": write a status class such as 2xx or a status such as 304`;
}

/** The check a pipeline file's path pattern must pass. */
export function pathPatternError(pattern: string): string | null {
  return pattern.startsWith('/') ? null : `"${pattern}": a path pattern starts with / (exact, or with * ** ? wildcards)`;
}
