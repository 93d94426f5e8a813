/** A seeded generator (mulberry32): the same lines on every run, so a failure can be replayed. */
export function seededRandom(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const letters = (n: number) => Array.from({ length: n }, () => String.fromCharCode(97 + int(0, 25))).join('');
  return { int, letters, pick: <T>(xs: readonly T[]) => xs[int(0, xs.length - 1)] };
}
