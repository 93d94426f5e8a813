import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { change, formatValue, plural, subject } from '../format.js';
import type { Block, Compared, MapBlock, Measure, RankingBlock, Report, SectionResult, SeriesBlock, TotalsBlock } from '../model.js';
import { worldMapSvg } from './map.js';
import { SCRIPT } from './script.js';
import { STYLE } from './style.js';

const require = createRequire(import.meta.url);

/** uPlot (MIT), inlined: the page loads nothing from anywhere. */
function uplotAssets(): { script: string; style: string } {
  return {
    script: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    style: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  };
}

/**
 * No request of any kind leaves the page: inline script and styles only. Viewing a report tells no one.
 */
const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

/**
 * One self-contained HTML page: styles, uPlot, the page script and the report's data inline. Tables
 * carry every number and read without JavaScript; charts are drawn by the script from the same data.
 */
export function renderHtml(report: Report): string {
  const uplot = uplotAssets();
  const site = subject(report);
  const title = `siftlog report: ${site}, ${report.period.from}..${report.period.to}`;
  const ok = report.sections.filter((s) => s.status === 'ok');
  return `<!doctype html>
<html lang="en" class="no-js">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="generator" content="siftlog report">
<title>${escapeHtml(title)}</title>
<style>${uplot.style}</style>
<style>${STYLE}</style>
</head>
<body>
<a class="skip" href="#main">Skip to the report</a>
<header>
<p class="kicker">siftlog report</p>
<h1>${escapeHtml(site)}</h1>
<p class="period">${report.period.from} to ${report.period.to} (${escapeHtml([plural(report.period.days, 'day'), report.periodDescription].filter(Boolean).join(', '))}),
compared with ${report.previous.from} to ${report.previous.to}. ${report.dataFrom === null ? 'The store has no traffic yet.' : `Data from ${report.dataFrom} to ${report.dataTo}.`}</p>
<nav aria-label="Sections"><ul>${ok.map((s) => `<li><a href="#${s.id}">${escapeHtml(s.title)}</a></li>`).join('')}</ul></nav>
</header>
<main id="main">
${report.sections.map(sectionHtml).join('\n')}
</main>
<footer>Made by siftlog on ${escapeHtml(report.generatedAt.slice(0, 16).replace('T', ' '))} UTC from its trend tables: aggregates only, no addresses.
Visitors over several days count each day's visitors (visitor ids change daily). Changes compare with the previous period of the same length.
Charts drawn with uPlot (MIT licence).</footer>
<script type="application/json" id="siftlog-data">${jsonForScript(report)}</script>
<script>${uplot.script}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

function sectionHtml(section: SectionResult): string {
  if (section.status === 'missing') {
    return `<section id="${section.id}" aria-labelledby="${section.id}-title"><h2 id="${section.id}-title">${escapeHtml(section.title)}</h2>
<p class="missing">Not in this store yet: it has no ${section.missing.map((t) => `<code>siftlog.${escapeHtml(t)}</code>`).join(', ')}.</p></section>`;
  }
  const wide = section.blocks.filter((b) => b.kind !== 'ranking').map(blockHtml);
  const cards = section.blocks.filter((b) => b.kind === 'ranking').map(blockHtml);
  return `<section id="${section.id}" aria-labelledby="${section.id}-title"><h2 id="${section.id}-title">${escapeHtml(section.title)}</h2>
${wide.join('\n')}${cards.length > 0 ? `<div class="grid">${cards.join('\n')}</div>` : ''}</section>`;
}

function blockHtml(block: Block): string {
  switch (block.kind) {
    case 'totals':
      return totalsHtml(block);
    case 'series':
      return seriesHtml(block);
    case 'ranking':
      return rankingHtml(block);
    case 'map':
      return mapHtml(block);
  }
}

function mapHtml(block: MapBlock): string {
  const m = block.measure;
  const rows = block.countries.map((c) => `<tr><th scope="row">${escapeHtml(c.label)}</th><td>${escapeHtml(formatValue(c.value.current, m.format))}</td>`
    + `<td>${escapeHtml(formatValue(c.value.previous, m.format))}</td><td>${changeHtml(c.value, m)}</td></tr>`);
  const map = block.countries.length === 0 ? '<p class="empty">None in this period.</p>' : `<figure>${worldMapSvg(block, escapeHtml)}</figure>`;
  return `<div class="card" id="${block.id}"><h3>${escapeHtml(block.title)}</h3>${map}
<details><summary>Table: ${escapeHtml(m.label)} of every country</summary>
<table><caption>${escapeHtml(`${block.title}, every country with ${m.label} in the period`)}</caption>
<thead><tr><th scope="col" class="name">country</th><th scope="col">${escapeHtml(m.label)}</th><th scope="col">previous</th><th scope="col">change</th></tr></thead>
<tbody>${rows.join('')}</tbody></table></details></div>`;
}

function changeHtml(value: Compared, measure: Measure): string {
  const c = change(value, measure.format);
  const spoken = c.trend === 'unknown' ? 'previous period unknown' : c.trend === 'new' ? 'none in the previous period' : `${c.text} on the previous period`;
  return `<span class="change ${c.trend}" title="${escapeHtml(spoken)}">${escapeHtml(c.text)}</span>`;
}

function totalsHtml(block: TotalsBlock): string {
  const items = block.measures.map((m, i) => {
    const v = block.values[i];
    return `<div><dt>${escapeHtml(m.label)}</dt><dd><span class="value">${escapeHtml(formatValue(v.current, m.format))}</span>${changeHtml(v, m)}
<span class="was">previous: ${escapeHtml(formatValue(v.previous, m.format))}</span></dd></div>`;
  });
  return `<h3>${escapeHtml(block.title)}</h3><dl class="totals" id="${block.id}">${items.join('')}</dl>`;
}

function seriesHtml(block: SeriesBlock): string {
  const empty = block.points.every((p) => p.values.every((v) => v.current === 0 && (v.previous ?? 0) === 0));
  const unit = block.unit === 'hour' ? 'hour (UTC)' : 'day';
  const head = block.measures.map((m) => `<th scope="col">${escapeHtml(m.label)}</th><th scope="col">previous</th>`).join('');
  const rows = block.points.map((p) => `<tr><th scope="row">${p.at}</th>${p.values.map((v, i) =>
    `<td>${escapeHtml(formatValue(v.current, block.measures[i].format))}</td><td>${escapeHtml(formatValue(v.previous, block.measures[i].format))}</td>`).join('')}</tr>`);
  const chart = empty
    ? '<p class="empty">No traffic in this period or the previous one.</p>'
    : `<figure><div class="chart" data-block="${block.id}" role="img" aria-label="${escapeHtml(`${block.title}: line chart, this period solid and the previous period dashed; the numbers are in the table below`)}"></div>
<figcaption>${escapeHtml(block.title)}. Solid: this period; dashed: the previous period, at the same ${unit === 'day' ? 'day' : 'hour'} of the period.</figcaption></figure>`;
  return `<div class="card" id="${block.id}"><h3>${escapeHtml(block.title)}</h3>${chart}
<details><summary>Table: ${escapeHtml(block.title.toLowerCase())}</summary>
<table><caption>${escapeHtml(block.title)}, with the previous period's value at the same offset</caption>
<thead><tr><th scope="col" class="name">${unit}</th>${head}</tr></thead><tbody>${rows.join('')}</tbody></table></details></div>`;
}

function rankingHtml(block: RankingBlock): string {
  const [first, ...others] = block.measures;
  const head = `<tr><th scope="col">#</th><th scope="col" class="name">${escapeHtml(block.keyLabel)}</th><th scope="col">${escapeHtml(first.label)}</th>`
    + `<th scope="col">previous</th><th scope="col">change</th>${others.map((m) => `<th scope="col">${escapeHtml(m.label)}</th>`).join('')}</tr>`;
  const rows = block.rows.map((row, i) => {
    const [v, ...rest] = row.values;
    return `<tr><td class="rank">${i + 1}</td><th scope="row">${escapeHtml(row.label)}</th><td>${escapeHtml(formatValue(v.current, first.format))}</td>`
      + `<td>${escapeHtml(formatValue(v.previous, first.format))}</td><td>${changeHtml(v, first)}</td>`
      + `${rest.map((value, j) => `<td>${escapeHtml(formatValue(value.current, others[j].format))}</td>`).join('')}</tr>`;
  });
  const chart = block.rows.length === 0 ? '' : `<figure class="chart-only"><div class="chart" data-block="${block.id}" role="img"
aria-label="${escapeHtml(`${block.title} by ${first.label}: bar chart, this period beside the previous period; the numbers are in the table below`)}"></div></figure>`;
  const table = block.rows.length === 0 ? '<p class="empty">None in this period.</p>'
    : `<table><caption>${escapeHtml(`${block.title}, by ${first.label}`)}</caption><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
  const more = block.more > 0 ? `<p class="more">… and ${block.more} more.</p>` : '';
  const note = block.note ? `<p class="note">${escapeHtml(block.note)}</p>` : '';
  return `<div class="card" id="${block.id}"><h3>${escapeHtml(block.title)}</h3>${chart}${table}${more}${note}</div>`;
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text from the store into HTML text or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** JSON inside <script type="application/json">: no "<" can end the element or open a comment. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

