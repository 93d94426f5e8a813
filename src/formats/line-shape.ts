const SHAPE_MAX = 300;

/**
 * A line's shape without its content: every run of letters becomes `x`, every run of digits `#`, any other
 * character that is not printable ASCII `?`, and `=` shows as `~`; other punctuation and spaces stay. A line
 * that cannot be split into fields is kept as this: it still shows why it did not parse (a missing quote, a
 * field too many: `#.#.#.# - x x [#/x/#:#:#:# +#] "x /x x/#.#" # #`), and nothing of any name, address or
 * number is left. Nor does it look like one: no two letters or any digit in a row (no e-mail, no address),
 * no `key=` (no query pair).
 */
export function lineShape(line: string): string {
  let out = '';
  let last = -1;
  for (let i = 0; i < line.length && out.length < SHAPE_MAX; i++) {
    const c = line.charCodeAt(i);
    const kind = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? 1 : c >= 48 && c <= 57 ? 2 : c >= 32 && c < 127 ? 0 : 3;
    if (kind === 0) {
      out += c === 61 /* = */ ? '~' : line[i];
      last = -1;
    } else if (kind !== last) {
      out += kind === 1 ? 'x' : kind === 2 ? '#' : '?';
      last = kind;
    }
  }
  return out;
}
