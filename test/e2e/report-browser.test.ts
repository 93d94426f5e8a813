import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import t from 'tap';
import { buildReport } from '../../src/report/build.js';
import { renderHtml } from '../../src/report/html/page.js';
import { ROOT } from '../helpers/cli.js';
import { WEEK } from '../support/report-log.js';
import { loadReportStore } from '../support/report-store.js';

/**
 * The HTML report in a real browser (Debian's chromium, installed by .ci/run; never a browser download):
 * no console error, no request leaves the page, every chart is drawn, the tables read without
 * JavaScript. It saves a screenshot: SIFTLOG_SCREENSHOT=docs/report.png refreshes the README's.
 */
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run'];
const SCREENSHOT = resolve(ROOT, process.env.SIFTLOG_SCREENSHOT ?? join('.tap', 'report-screenshot.png'));

if (!existsSync(CHROMIUM)) {
  // CI must run it: .ci/run installs chromium, so its absence there is a failure, not a skip.
  const why = `the browser test needs ${CHROMIUM}: apt-get install chromium (.ci/run installs it)`;
  if (process.env.CI) t.fail(why);
  else t.skip(why);
} else {
  t.test('the HTML report in headless Chromium', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'siftlog-report-browser-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const store = await loadReportStore(dir);
    const report = await buildReport(store.client, { period: `${WEEK.from}..${WEEK.to}` });
    await store.close();
    const file = join(dir, 'report.html');
    writeFileSync(file, renderHtml(report));
    const charts = report.sections.flatMap((s) => (s.status === 'ok' ? s.blocks : []))
      .filter((b) => (b.kind === 'series') || (b.kind === 'ranking' && b.rows.length > 0)).map((b) => b.id);

    const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    t.teardown(() => browser.close());

    await t.test('with JavaScript: no error, no request, every chart drawn', async (t) => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
      // The tests run through tsx, whose esbuild keeps function names by wrapping them in `__name(…)`; a
      // function given to page.evaluate is sent as its source, so the page needs that helper too.
      await page.addInitScript('globalThis.__name = (target) => target');
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('dialog', (d) => {
        problems.push(`dialog: ${d.message()}`);
        void d.dismiss();
      });
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });

      const drawn = await page.evaluate(() => {
        // For each chart: its block, and how many canvas pixels are in a series colour (not background, grid or text).
        const root = getComputedStyle(document.documentElement);
        const hex = (name: string) => root.getPropertyValue(name).trim();
        const rgb = (h: string) => [1, 3, 5].map((i) => Number.parseInt(h.slice(i, i + 2), 16));
        const palette = ['--series-1', '--series-2', '--series-3', '--previous'].map((n) => rgb(hex(n)));
        return [...document.querySelectorAll<HTMLElement>('.chart[data-block]')].map((el) => {
          const canvas = el.querySelector('canvas');
          let inked = 0;
          if (canvas !== null && canvas.width > 0 && canvas.height > 0) {
            const pixels = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
            for (let i = 0; i < pixels.length; i += 4) {
              const near = palette.some(([r, g, b]) => Math.abs(pixels[i] - r) + Math.abs(pixels[i + 1] - g) + Math.abs(pixels[i + 2] - b) < 40);
              if (near && pixels[i + 3] > 200) inked++;
            }
          }
          return { block: el.dataset.block ?? '', inked, width: canvas?.width ?? 0 };
        });
      });
      t.same(problems, [], 'no console error or warning, no page error, no dialog');
      t.same(requests, [pathToFileURL(file).href], 'the page loads nothing but itself');
      t.same(drawn.map((d) => d.block), charts, 'a chart for the series and for every list that has rows');
      for (const d of drawn) t.ok(d.inked > 50 && d.width > 300, `${d.block} is drawn (${d.inked} pixels of data)`);
      const map = report.sections.flatMap((s) => (s.status === 'ok' ? s.blocks : [])).find((b) => b.kind === 'map');
      const shaded = await page.evaluate(() => [...document.querySelectorAll('svg.map path:not(.m0) title')].map((e) => e.textContent ?? ''));
      t.ok(shaded.length > 0, `the map shades ${shaded.length} countries`);
      const labels = map?.kind === 'map' ? map.countries.map((c) => c.label) : [];
      t.same(shaded.filter((title) => !labels.some((l) => title.startsWith(`${l}: `))), [], 'only countries of the data, each titled with its numbers');
      mkdirSync(dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true, clip: { x: 0, y: 0, width: 1280, height: 1500 } });
      t.comment(`screenshot: ${SCREENSHOT}`);
      await page.close();
    });

    await t.test('without JavaScript: every table is there, with its numbers', async (t) => {
      const context = await browser.newContext({ javaScriptEnabled: false });
      const page = await context.newPage();
      await page.goto(pathToFileURL(file).href);
      t.equal(await page.evaluate(() => document.documentElement.className), 'no-js');
      const firstRow = await page.evaluate(() => [...document.querySelectorAll('#pages-top tbody tr:first-child > *')].map((c) => c.textContent));
      const top = report.sections.flatMap((s) => (s.status === 'ok' ? s.blocks : [])).find((b) => b.id === 'pages-top');
      t.ok(top?.kind === 'ranking' && top.rows.length > 0);
      if (top?.kind === 'ranking') {
        const [v] = top.rows[0].values;
        t.same(firstRow.slice(0, 4), ['1', top.rows[0].label, String(v.current), String(v.previous)]);
      }
      const hidden = await page.evaluate(() => [...document.querySelectorAll('.chart')].every((c) => getComputedStyle(c).display === 'none'));
      t.ok(hidden, 'empty chart boxes are not shown');
      const tables = await page.evaluate(() => [...document.querySelectorAll('table')].filter((tb) => tb.querySelector('caption') && tb.querySelector('th[scope]')).length);
      t.equal(tables, charts.length + 1, 'every chart, and the map, has its table, with a caption and header cells');
      await context.close();
    });
  });
}
