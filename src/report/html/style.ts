/**
 * The page's own styles. Colours are custom properties so the charts (script.ts) draw in the same ones,
 * light or dark as the viewer prefers; the series colours keep a 3:1 contrast on either background.
 */
export const STYLE = `
:root {
  --bg: #ffffff; --fg: #1d2330; --muted: #5b6475; --line: #dde1e8; --card: #f6f7f9; --stripe: #eef0f4;
  --series-1: #2f5fd0; --series-2: #d9822b; --series-3: #1b8a5a; --previous: #8a93a6;
  --up: #17803d; --down: #b3261e;
  --m0: #e3e7ee; --m1: #c6d5f5; --m2: #97b3ec; --m3: #6690e0; --m4: #3f6fd1; --m5: #1f4fae;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #14171d; --fg: #e6e9ef; --muted: #a3abbb; --line: #343a46; --card: #1c2029; --stripe: #232835;
    --series-1: #7aa2ff; --series-2: #f0a35e; --series-3: #4fc48a; --previous: #8a93a6;
    --up: #5bd38a; --down: #ff8a80;
    --m0: #2a303c; --m1: #2c3f6b; --m2: #34539a; --m3: #4169c4; --m4: #5f88e6; --m5: #8fb0ff;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
header, main, footer { max-width: 1180px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 24px; }
h1 { font-size: 1.6rem; margin: 0 0 4px; }
h2 { font-size: 1.25rem; margin: 36px 0 12px; padding-bottom: 6px; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.02rem; margin: 0 0 8px; }
.period { color: var(--muted); margin: 0; }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 20px; top: 8px; background: var(--bg); padding: 4px 8px; }
nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: 4px 16px; padding: 0; margin: 12px 0 0; }
nav a { color: var(--series-1); }
.totals { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 12px; margin: 0 0 16px; }
.totals div { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.totals dt { color: var(--muted); font-size: .9rem; }
.totals dd { margin: 0; }
.totals .value { font-size: 1.5rem; font-weight: 650; font-variant-numeric: tabular-nums; white-space: nowrap; }
.totals .was { display: block; color: var(--muted); font-size: .85rem; }
.change { font-size: .88rem; font-weight: 600; margin-left: 6px; white-space: nowrap; }
.change.up { color: var(--up); } .change.down { color: var(--down); }
.change.same, .change.unknown, .change.new { color: var(--muted); }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 16px; }
.card + .card, .card + .grid { margin-top: 16px; }
.grid > .card { margin-top: 0; }
.kicker { color: var(--muted); margin: 0; font-size: .9rem; letter-spacing: .04em; text-transform: uppercase; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; min-width: 0; }
figure { margin: 0 0 10px; }
figcaption { color: var(--muted); font-size: .85rem; }
.chart { width: 100%; min-height: 40px; }
.no-js .chart, .no-js .chart-only { display: none; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
caption { text-align: left; color: var(--muted); font-size: .85rem; padding-bottom: 4px; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { text-align: right; color: var(--muted); font-weight: 600; white-space: nowrap; }
thead th.name, tbody th { text-align: left; }
tbody th { font-weight: 400; overflow-wrap: anywhere; min-width: 9em; }
tbody tr:nth-child(even) { background: var(--stripe); }
td { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; padding-left: 4px; }
td.rank { color: var(--muted); width: 2.5em; }
svg.map { width: 100%; height: auto; display: block; }
svg.map path { stroke: var(--card); stroke-width: .5; }
svg.map path:hover { stroke: var(--fg); stroke-width: 1; }
.m0 { fill: var(--m0); background: var(--m0); } .m1 { fill: var(--m1); background: var(--m1); } .m2 { fill: var(--m2); background: var(--m2); }
.m3 { fill: var(--m3); background: var(--m3); } .m4 { fill: var(--m4); background: var(--m4); } .m5 { fill: var(--m5); background: var(--m5); }
.legend { color: var(--muted); font-size: .85rem; margin: 4px 0 0; }
.swatch { display: inline-block; width: 1.4em; height: .8em; vertical-align: middle; }
details summary { cursor: pointer; color: var(--muted); margin: 6px 0; }
.missing, .empty, .note, .more { color: var(--muted); }
.note { font-size: .85rem; }
footer { color: var(--muted); font-size: .85rem; margin-top: 40px; padding-bottom: 32px; }
`;
