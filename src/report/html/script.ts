/**
 * The page's script, run after uPlot: draws each `.chart[data-block]` from the report data inlined in
 * `#siftlog-data`. Series are lines over time (this period solid, the previous one dashed at the same
 * offset); rankings are horizontal bars of their first measure (this period beside the previous one).
 * Plain browser JavaScript kept as text: it is inlined into the page as it is, and the browser test
 * (test/e2e/report-browser.test.ts) fails on any error it throws.
 */
export const SCRIPT = `
(function () {
  'use strict';
  var root = document.documentElement;
  root.classList.remove('no-js');
  var report = JSON.parse(document.getElementById('siftlog-data').textContent);
  var blocks = {};
  report.sections.forEach(function (s) {
    if (s.status === 'ok') s.blocks.forEach(function (b) { blocks[b.id] = b; });
  });
  var style = getComputedStyle(root);
  var color = function (name) { return style.getPropertyValue(name).trim(); };
  var PALETTE = [color('--series-1'), color('--series-2'), color('--series-3')];
  var PREVIOUS = color('--previous');
  var AXIS = { stroke: color('--muted'), grid: { stroke: color('--line'), width: 1 }, ticks: { stroke: color('--line'), width: 1 } };
  var compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
  var whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  var shown = function (format, v) {
    if (v === null || v === undefined) return '\u2013';
    if (format === 'bytes') return compact.format(v) + 'B';
    if (format === 'percent') return v.toFixed(1) + '%';
    if (format === 'ms') return whole.format(v) + ' ms';
    if (format === 'seconds') return v < 60 ? Math.round(v) + 's' : (v / 60).toFixed(1) + 'm';
    if (format === 'ratio') return v.toFixed(2);
    return whole.format(v);
  };
  var ticks = function (format) {
    return function (u, splits) { return splits.map(function (v) { return format === 'count' ? compact.format(v) : shown(format, v); }); };
  };
  var utc = function (ts) { return uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'); };
  var iso = function (ts) { return new Date(ts * 1000).toISOString(); };
  // Day ticks read 05-17; hour ticks 14:00, with the date at midnight.
  var timeTicks = function (unit) {
    return function (u, splits) {
      return splits.map(function (ts) {
        var t = iso(ts);
        return unit === 'day' || t.slice(11, 13) === '00' ? t.slice(5, 10) : t.slice(11, 16);
      });
    };
  };
  var seconds = function (at) { return Date.parse(at.length === 10 ? at + 'T00:00:00Z' : at.replace(' ', 'T') + ':00Z') / 1000; };

  function seriesChart(el, block) {
    var xs = block.points.map(function (p) { return seconds(p.at); });
    var data = [xs];
    var series = [{ label: block.unit === 'hour' ? 'hour (UTC)' : 'day',
      value: function (u, ts) { return ts === null ? '\u2013' : block.unit === 'hour' ? iso(ts).slice(0, 16).replace('T', ' ') : iso(ts).slice(0, 10); } }];
    block.measures.forEach(function (m, i) {
      var c = PALETTE[i % PALETTE.length];
      data.push(block.points.map(function (p) { return p.values[i].current; }));
      series.push({ label: m.label, stroke: c, width: 2, value: function (u, v) { return shown(m.format, v); } });
    });
    block.measures.forEach(function (m, i) {
      var c = PALETTE[i % PALETTE.length];
      data.push(block.points.map(function (p) { return p.values[i].previous; }));
      series.push({ label: m.label + ', previous period', stroke: c, width: 1.5, dash: [5, 4], alpha: 0.75,
        value: function (u, v) { return shown(m.format, v); } });
    });
    return new uPlot({
      width: el.clientWidth, height: 300, tzDate: utc,
      scales: { x: { time: true }, y: { range: function (u, min, max) { return [0, max > 0 ? max * 1.08 : 1]; } } },
      axes: [
        Object.assign({ values: timeTicks(block.unit), space: 48,
          incrs: block.unit === 'day' ? [86400, 172800, 604800, 1209600, 2592000, 7776000, 31536000] : [3600, 7200, 10800, 21600, 43200, 86400] }, AXIS),
        Object.assign({ values: ticks('count'), size: 56 }, AXIS),
      ],
      series: series,
      legend: { live: true },
    }, data, el);
  }

  // uPlot's axis font: the bar labels' column is as wide as the longest label.
  var measurer = document.createElement('canvas').getContext('2d');
  measurer.font = '12px system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif';
  var measure12 = function (text) { return measurer.measureText(text).width; };

  function barChart(el, block) {
    var n = block.rows.length;
    var first = block.measures[0];
    var xs = block.rows.map(function (r, i) { return i; });
    var labels = block.rows.map(function (r) { return r.label.length > 30 ? r.label.slice(0, 29) + '\\u2026' : r.label; });
    var longest = labels.reduce(function (a, l) { return Math.max(a, measure12(l)); }, 0);
    var labelWidth = Math.min(Math.round(el.clientWidth * 0.45), Math.ceil(longest) + 36);
    var bars = function (align) { return uPlot.paths.bars({ size: [0.42, 28], align: align, gap: 1 }); };
    return new uPlot({
      width: el.clientWidth, height: 40 + n * 30,
      scales: {
        x: { time: false, ori: 1, dir: -1, range: [-0.5, n - 0.5] },
        y: { ori: 0, dir: 1, range: function (u, min, max) { return [0, max > 0 ? max * 1.05 : 1]; } },
      },
      axes: [
        { scale: 'x', side: 3, size: labelWidth, gap: 6, stroke: AXIS.stroke, grid: { show: false }, ticks: { show: false },
          splits: function () { return xs; }, values: function () { return labels; } },
        Object.assign({ scale: 'y', side: 0, size: 30, values: ticks(first.format) }, AXIS),
      ],
      series: [
        { label: block.keyLabel, value: function (u, i) { return i === null || block.rows[i] === undefined ? '\u2013' : block.rows[i].label; } },
        { label: first.label + ', this period', fill: PALETTE[0], stroke: PALETTE[0], width: 0, paths: bars(-1), points: { show: false },
          value: function (u, v) { return shown(first.format, v); } },
        { label: 'previous period', fill: PREVIOUS, stroke: PREVIOUS, width: 0, paths: bars(1), points: { show: false },
          value: function (u, v) { return shown(first.format, v); } },
      ],
      cursor: { points: { show: false } },
      legend: { live: true },
    }, [xs, block.rows.map(function (r) { return r.values[0].current; }), block.rows.map(function (r) { return r.values[0].previous; })], el);
  }

  var charts = [];
  document.querySelectorAll('.chart[data-block]').forEach(function (el) {
    var block = blocks[el.getAttribute('data-block')];
    if (block === undefined) throw new Error('siftlog report: no data for chart ' + el.getAttribute('data-block'));
    charts.push({ el: el, plot: block.kind === 'series' ? seriesChart(el, block) : barChart(el, block) });
  });
  var pending = 0;
  window.addEventListener('resize', function () {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(function () {
      charts.forEach(function (c) { c.plot.setSize({ width: c.el.clientWidth, height: c.plot.height }); });
    });
  });
})();
`;
