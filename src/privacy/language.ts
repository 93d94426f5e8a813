/**
 * The visitor's preferred language from an Accept-Language header (`de-CH,de;q=0.9,en;q=0.8` → `de`):
 * the primary subtag of the entry with the highest weight, lower-case; '' when absent, `*` or malformed.
 * Only the primary language is kept: the full list is rare enough to help fingerprint a visitor.
 */
export function primaryLanguage(header: string): string {
  if (header.length === 0) return '';
  let best = '';
  let bestWeight = -1;
  for (const part of header.split(',')) {
    const semi = part.indexOf(';');
    const tag = (semi < 0 ? part : part.slice(0, semi)).trim();
    let weight = 1;
    if (semi >= 0) {
      const q = /q\s*=\s*([0-9.]+)/i.exec(part.slice(semi + 1));
      weight = q ? Number(q[1]) : 1;
    }
    const dash = tag.indexOf('-');
    const primary = (dash < 0 ? tag : tag.slice(0, dash)).toLowerCase();
    if (!/^[a-z]{2,3}$/.test(primary) || !(weight > 0)) continue;
    if (weight > bestWeight) {
      best = primary;
      bestWeight = weight;
    }
  }
  return best;
}
