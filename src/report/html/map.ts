import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { geoEqualEarth, geoPath } from 'd3-geo';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { feature } from 'topojson-client';
import isoCountries from 'i18n-iso-countries';
import { formatValue } from '../format.js';
import type { MapBlock } from '../model.js';

const require = createRequire(import.meta.url);
const WIDTH = 960;
const HEIGHT = 470;
const LEVELS = 5;

interface Shape {
  /** ISO 3166-1 numeric, as Natural Earth's shapes are keyed; '' for the few without one. */
  numeric: string;
  name: string;
  d: string;
}

let shapes: Shape[] | null = null;

/**
 * Country outlines (Natural Earth 1:110m, public domain, from world-atlas) projected once per process
 * (Equal Earth, areas true to size) into SVG paths.
 */
function worldShapes(): Shape[] {
  if (shapes !== null) return shapes;
  const topology = JSON.parse(readFileSync(require.resolve('world-atlas/countries-110m.json'), 'utf8')) as
    Topology<{ countries: GeometryCollection<{ name: string }> }>;
  const world = feature(topology, topology.objects.countries);
  const path = geoPath(geoEqualEarth().fitSize([WIDTH, HEIGHT], { type: 'Sphere' })).digits(1);
  shapes = world.features.map((f) => ({ numeric: String(f.id ?? ''), name: f.properties?.name ?? '', d: path(f) ?? '' }));
  return shapes;
}

/** Shade 1–5 by the square root of the share of the largest value, so small countries still show. */
function level(value: number, max: number): number {
  return value <= 0 || max <= 0 ? 0 : Math.max(1, Math.ceil(LEVELS * Math.sqrt(value / max)));
}

/**
 * A world map as inline SVG: drawn without JavaScript, each country with a <title> (its numbers on hover
 * or focus), the whole with a title and description for screen readers. Its numbers are in the table under it.
 */
export function worldMapSvg(block: MapBlock, escapeHtml: (s: string) => string): string {
  const max = Math.max(0, ...block.countries.map((c) => c.value.current));
  const byNumeric = new Map(block.countries.map((c) => [isoCountries.alpha2ToNumeric(c.code) ?? '', c]));
  const paths = worldShapes().map((shape) => {
    const country = shape.numeric === '' ? undefined : byNumeric.get(shape.numeric);
    const shade = country ? level(country.value.current, max) : 0;
    const title = country
      ? `${country.label}: ${formatValue(country.value.current, block.measure.format)} ${block.measure.label} (previous period ${formatValue(country.value.previous, block.measure.format)})`
      : shape.name;
    return `<path class="m${shade}" d="${shape.d}"><title>${escapeHtml(title)}</title></path>`;
  });
  const onMap = new Set(worldShapes().map((s) => s.numeric));
  const shown = block.countries.filter((c) => onMap.has(isoCountries.alpha2ToNumeric(c.code) ?? '')).length;
  const description = `${block.countries.length} countries had ${block.measure.label} in the period (${shown} large enough for the map); `
    + 'darker is more. The numbers are in the table below.';
  const legend = Array.from({ length: LEVELS }, (_, i) => `<span class="swatch m${i + 1}"></span>`).join('');
  return `<svg class="map" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${block.id}-svg-title ${block.id}-svg-desc">
<title id="${block.id}-svg-title">${escapeHtml(block.title)}</title><desc id="${block.id}-svg-desc">${escapeHtml(description)}</desc>
${paths.join('\n')}</svg>
<p class="legend" aria-hidden="true">fewer ${legend} more (${escapeHtml(formatValue(max, block.measure.format))} ${escapeHtml(block.measure.label)} at most)</p>`;
}
