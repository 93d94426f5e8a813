const SHAPE_MAX = 300;

/**
 * A line's shape without its content: every run of letters becomes `a`, every run of digits `9`, any other
 * character that is not ASCII punctuation or a space `?`; punctuation and spaces stay. A line that cannot be
 * split into fields is kept as this: it still shows why it did not parse (a missing quote, a field too many:
 * `9.9.9.9 - a a [9/a/9:9:9:9 +9] "a /a a/9.9" 9 9`), and nothing of any name, address or number is left.
 */
export function lineShape(line: string): string {
  let out = '';
  let last = -1;
  for (let i = 0; i < line.length && out.length < SHAPE_MAX; i++) {
    const c = line.charCodeAt(i);
    const kind = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? 1 : c >= 48 && c <= 57 ? 2 : c >= 32 && c < 127 ? 0 : 3;
    if (kind === 0) {
      out += line[i];
      last = -1;
    } else if (kind !== last) {
      out += kind === 1 ? 'a' : kind === 2 ? '9' : '?';
      last = kind;
    }
  }
  return out;
}
