/**
 * The script report.html runs: it reads the embedded chart data (chart-data.ts) and draws the charts with the
 * inlined uPlot. Text reaches the page only through uPlot (textContent) and the canvas, never as HTML.
 */

/** Number of charts report.html draws (the Chromium test checks that each one has a canvas). */
export const REPORT_CHART_COUNT = 7;

export const CHART_SCRIPT = `
(function () {
  var d = JSON.parse(document.getElementById('report-data').textContent);
  var palette = ['#2563eb','#dc2626','#16a34a','#9333ea','#ea580c','#0891b2','#ca8a04','#db2777','#4b5563','#65a30d'];
  var dpr = window.devicePixelRatio || 1;
  var drawn = 0;
  function group(s) { return s.replace(/\\B(?=(\\d{3})+(?!\\d))/g, ','); }
  function num(v) {
    if (v == null) return '\\u2014';
    var a = Math.abs(v);
    return a >= 100 ? group(String(Math.round(v))) : a >= 10 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v === 0 ? '0' : v.toFixed(3);
  }
  function int(v) { return v == null ? '\u2014' : group(String(Math.round(v))); }
  function ms(v) { return v == null ? '\\u2014' : Math.abs(v) >= 1000 ? (v / 1000).toFixed(2) + ' s' : num(v) + ' ms'; }
  function mb(v) { return v == null ? '\\u2014' : v.toFixed(0) + ' MB'; }
  // Legends are static in a screenshot: without the cursor a series shows its max, total or last value, not uPlot's "--".
  function summary(kind, fmt) {
    return function (u, v, si, idx) {
      if (idx != null) return fmt(v);
      var data = u.data[si], best = null;
      for (var i = 0; i < data.length; i++) {
        var x = data[i];
        if (x == null) continue;
        best = kind === 'last' ? x : kind === 'total' ? (best || 0) + x : (best == null || x > best ? x : best);
      }
      return kind + ' ' + fmt(best);
    };
  }
  // Splits of a log-like (asinh) axis: 0 and the powers of ten within the range, so no negative or crowded ticks.
  function decades(u, axisIdx, min, max) {
    var out = min <= 0 ? [0] : [];
    for (var v = 1; v <= max; v *= 10) if (v >= min) out.push(v);
    return out;
  }
  // uPlot passes null for a tick it dropped for lack of room: leave it blank.
  function decadeValues(fmt) { return function (u, splits) { return splits.map(function (v) { return v == null ? '' : fmt(v); }); }; }
  function constant(text) { return function () { return text; }; }
  function xRange(unit) {
    return function (u, v, si, idx) {
      if (idx != null) return num(v) + ' ' + unit;
      var x = u.data[0];
      var f = function (n) { return num(n).replace(/\\.0+$/, ''); };
      return x.length ? f(x[0]) + '\\u2013' + f(x[x.length - 1]) + ' ' + unit : '';
    };
  }
  function plot(id, opts, data) {
    var el = document.querySelector('#' + id + ' .plot');
    opts.width = Math.max(320, (el.clientWidth || 560) - 4);
    opts.height = opts.height || 230;
    var u = new uPlot(opts, data, el);
    drawn++;
    return u;
  }
  function text(u, str, x, y, color, align) {
    var ctx = u.ctx;
    ctx.save();
    ctx.font = '600 ' + Math.round(11 * dpr) + 'px system-ui, sans-serif';
    ctx.fillStyle = color;
    ctx.textBaseline = 'bottom';
    // Keep the label inside the plot: flip it to the other side of x when it would run past an edge.
    var w = ctx.measureText(str).width;
    var right = u.bbox.left + u.bbox.width;
    if (align === 'right' ? x - w < u.bbox.left : x + w > right) { align = align === 'right' ? 'left' : 'right'; }
    ctx.textAlign = align || 'left';
    ctx.fillText(str, Math.max(u.bbox.left, Math.min(x, right)), y);
    ctx.restore();
  }
  var t = d.timeline;
  var shortS = t.s.length;

  // Sheets writes per sliding minute against the quota: an asinh scale (log-like, 0 allowed) so 30 and 60 stay visible under a peak of 1,000.
  var wSeries = [{ label: 'simulated s', value: xRange('s') },
    { label: 'writes attempted', stroke: '#9333ea', width: 2, fill: 'rgba(147,51,234,0.10)', value: summary('peak', int) }];
  var wData = [t.s, t.writesPerMinute];
  if (t.admittedPerMinute) { wSeries.push({ label: 'writes admitted', stroke: '#16a34a', width: 2, value: summary('peak', int) }); wData.push(t.admittedPerMinute); }
  if (t.readsPerMinute) { wSeries.push({ label: 'reads', stroke: '#2563eb', width: 1.5, dash: [3, 3], value: summary('peak', int) }); wData.push(t.readsPerMinute); }
  wSeries.push({ label: 'quota', stroke: '#dc2626', width: 2, dash: [8, 4], points: { show: false }, value: constant(t.quota + '/min') });
  wData.push(t.s.map(function () { return t.quota; }));
  wSeries.push({ label: 'PERF-05', stroke: '#ea580c', width: 1.5, dash: [2, 4], points: { show: false }, value: constant('< ' + t.perf05 + '/min') });
  wData.push(t.s.map(function () { return t.perf05; }));
  var wMax = Math.max.apply(null, [t.quota * 2].concat(t.writesPerMinute, t.readsPerMinute || []));
  var w = plot('chart-writes', {
    scales: { x: { time: false }, y: { distr: 4, asinh: 1, range: [0, wMax * 1.6] } },
    axes: [{ label: 'simulated s' }, { label: 'per minute (log scale)', size: 60, splits: decades, values: decadeValues(int) }],
    series: wSeries,
    hooks: { draw: [function (u) {
      // The two limits are labelled at the right end of their lines, the peak next to its point; when the peak's
      // label would sit on the quota's, it goes above both.
      var right = u.bbox.left + u.bbox.width - 4 * dpr;
      var qy = u.valToPos(t.quota, 'y', true);
      text(u, 'quota ' + t.quota + '/min', right, qy - 2 * dpr, '#dc2626', 'right');
      text(u, 'PERF-05 ' + t.perf05 + '/min', right, u.valToPos(t.perf05, 'y', true) + 14 * dpr, '#ea580c', 'right');
      if (t.peak && t.peak.value > 0) {
        var px = u.valToPos(t.peak.s, 'x', true), py = u.valToPos(t.peak.value, 'y', true);
        u.ctx.fillStyle = '#6b21a8';
        u.ctx.beginPath(); u.ctx.arc(px, py, 3.5 * dpr, 0, 2 * Math.PI); u.ctx.fill();
        var label = 'peak ' + int(t.peak.value) + '/min at s = ' + int(t.peak.s) + (t.quota > 0 ? ' (' + (t.peak.value / t.quota).toFixed(1) + '\\u00d7 quota)' : '');
        var ly = Math.abs(py - 4 * dpr - qy) < 16 * dpr ? Math.min(py, qy) - 18 * dpr : py - 4 * dpr;
        u.ctx.font = '600 ' + Math.round(11 * dpr) + 'px system-ui, sans-serif';
        var lw = u.ctx.measureText(label).width;
        var fits = px + 6 * dpr + lw <= u.bbox.left + u.bbox.width;
        text(u, label, fits ? px + 6 * dpr : Math.max(u.bbox.left + lw, px - 6 * dpr), ly, '#6b21a8', fits ? 'left' : 'right');
      }
    }] }
  }, wData);
  // Where the quota line is drawn (CSS px from the plot's top), for the Chromium test's "visible without zooming" check.
  document.querySelector('#chart-writes .plot').setAttribute('data-quota-y', String(Math.round(w.valToPos(t.quota, 'y'))));

  // 429s and failed answers per simulated second.
  plot('chart-errors', {
    scales: { x: { time: false } },
    axes: [{ label: 'simulated s' }, { label: 'per second' }],
    series: [{ label: 'simulated s', value: xRange('s') },
      { label: 'Sheets 429s', stroke: '#9333ea', width: 1.5, fill: 'rgba(147,51,234,0.15)', value: summary('total', int) },
      { label: '5xx answers', stroke: '#dc2626', width: 1.5, value: summary('total', int) },
      { label: 'transport errors', stroke: '#4b5563', width: 1.5, value: summary('total', int) },
      { label: '4xx answers', stroke: '#ca8a04', width: 1, value: summary('total', int) }]
  }, [t.s, t.status429, t.status5xx, t.transportErrors, t.status4xx]);

  // p95 latency and load per second, warm-up and overload shaded.
  plot('chart-latency', {
    scales: { x: { time: false }, ms: { distr: 4, asinh: 1 } },
    axes: [{ label: 'simulated s' }, { label: 'p95 ms (log scale)', scale: 'ms', size: 60, splits: decades, values: decadeValues(int) }, { side: 1, label: 'requests/s', scale: 'req', grid: { show: false } }],
    series: [{ label: 'simulated s', value: xRange('s') },
      { label: 'p95', scale: 'ms', stroke: '#dc2626', width: 1.5, spanGaps: true, value: summary('max', ms) },
      { label: 'requests/s', scale: 'req', stroke: '#2563eb', width: 1, fill: 'rgba(37,99,235,0.08)', value: summary('max', int) }],
    hooks: { drawClear: [function (u) {
      t.shades.forEach(function (sh) {
        var x0 = u.valToPos(sh.from, 'x', true), x1 = u.valToPos(sh.to, 'x', true);
        u.ctx.fillStyle = sh.color;
        u.ctx.fillRect(x0, u.bbox.top, Math.max(x1 - x0, 2 * dpr), u.bbox.height);
      });
    }], draw: [function (u) {
      t.shades.forEach(function (sh) {
        text(u, sh.label + ' (s = ' + int(sh.from) + '\\u2013' + int(sh.to) + ')', u.valToPos(sh.from, 'x', true) + 4 * dpr, u.bbox.top + 14 * dpr, '#9a3412');
      });
    }] }
  }, [t.s, t.p95, t.requests]);

  // Sheets calls per operation: mean per event as a bar, the highest count of one event as a dot.
  var c = d.calls;
  var cx = c.scenarios.map(function (n, i) { return i; });
  var cSeries = [{ label: 'scenario', value: function (u, v, si, idx) { return idx == null ? c.scenarios.length + ' scenarios' : c.scenarios[v]; } },
    { label: 'mean calls per event', stroke: '#2563eb', fill: 'rgba(37,99,235,0.55)', width: 1, paths: uPlot.paths.bars({ size: [0.5, 80] }), points: { show: false }, value: summary('max', num) },
    { label: 'max calls of one event', stroke: '#dc2626', width: 0, paths: function () { return null; }, points: { show: true, size: 9, fill: '#dc2626' }, value: summary('max', int) }];
  var cData = [cx, c.mean, c.max];
  if (c.perf03 != null) {
    cSeries.push({ label: 'PERF-03 (FINALIZAR)', stroke: '#ea580c', width: 1.5, dash: [4, 4], points: { show: false }, value: constant('\\u2264 ' + c.perf03) });
    cData.push(cx.map(function () { return c.perf03; }));
  }
  plot('chart-calls', {
    scales: { x: { time: false, range: [-0.6, Math.max(cx.length, 1) - 0.4] }, y: { range: function (u, min, max) { return [0, Math.max(max || 0, c.perf03 || 0, 1) * 1.15]; } } },
    axes: [{ splits: function () { return cx; }, values: function (u, splits) { return splits.map(function (i) { return c.scenarios[i] || ''; }); }, rotate: -25, size: 70 }, { label: 'Sheets calls' }],
    series: cSeries
  }, cData);

  // Response-time percentiles per scenario, each line only as far as its count supports.
  var dist = d.distribution;
  var marks = [0, 90, 99, 99.9, 99.99];
  // Without a cursor, a line's legend shows its highest supported percentile: "p97.5 6.61 s".
  function highestPercentile(u, v, si, idx) {
    if (idx != null) return ms(v);
    var data = u.data[si];
    for (var k = data.length - 1; k >= 0; k--) if (data[k] != null) return 'p' + dist.percentiles[k] + ' ' + ms(data[k]);
    return 'no events';
  }
  var xmax = dist.x.length ? dist.x[dist.x.length - 1] : 0;
  plot('chart-distribution', {
    scales: { x: { time: false, range: [0, Math.max(xmax, 0.1)] }, y: { distr: 4, asinh: 1 } },
    axes: [{ splits: function () { return marks.map(function (p) { return -Math.log10(1 - p / 100); }).filter(function (x) { return x <= xmax + 1e-9; }); },
             values: function (u, vals) { return vals.map(function (v) { for (var i = 0; i < marks.length; i++) if (Math.abs(-Math.log10(1 - marks[i] / 100) - v) < 1e-6) return marks[i] + '%'; return ''; }); } },
           { label: 'ms (log scale)', size: 60, splits: decades, values: decadeValues(int) }],
    series: [{ label: 'percentile', value: function (u, v, si, i) { return i == null ? 'up to ' + (dist.percentiles[dist.percentiles.length - 1] || 0) + '%' : dist.percentiles[i] + '%'; } }]
      .concat(d.scenarios.map(function (name, i) { return { label: name + ' (' + dist.counts[i] + ')', stroke: palette[i % palette.length], width: 2, points: { show: true, size: 4 }, value: highestPercentile }; }))
  }, [dist.x].concat(dist.series));

  // Status classes per second, stacked; the legend shows each class's own count.
  var colors = { '2xx': '#16a34a', '3xx': '#0891b2', '4xx': '#ca8a04', '5xx': '#dc2626', 'error': '#4b5563' };
  var order = t.classes.map(function (cl, i) { return i; }).reverse();
  function own(i, idx) { return t.stacked[i][idx] - (i > 0 ? t.stacked[i - 1][idx] : 0); }
  plot('chart-status', {
    scales: { x: { time: false } },
    axes: [{ label: 'simulated s' }, { label: 'requests/s' }],
    series: [{ label: 'simulated s', value: xRange('s') }].concat(order.map(function (i) {
      var cl = t.classes[i];
      return { label: cl, stroke: colors[cl], fill: colors[cl], width: 1, points: { show: false }, value: function (u, v, si, idx) {
        if (idx != null) return int(own(i, idx));
        var total = 0; for (var k = 0; k < shortS; k++) total += own(i, k);
        return 'total ' + int(total);
      } };
    }))
  }, [t.s].concat(order.map(function (i) { return t.stacked[i]; })));

  // Memory of the two processes, or of one when the target runs inside sheetsim.
  var m = d.memory;
  var mseries = [{ label: 'wall s', value: xRange('s') }, { label: m.sameProcess ? 'sheetsim + embedded target (one process)' : 'sheetsim (replayer)', stroke: '#2563eb', width: 1.5, spanGaps: true, value: summary('max', mb) }];
  var mdata = [m.s, m.sheetsim];
  if (m.target) { mseries.push({ label: 'target', stroke: '#dc2626', width: 1.5, spanGaps: true, value: summary('max', mb) }); mdata.push(m.target); }
  plot('chart-memory', { scales: { x: { time: false } }, axes: [{ label: 'wall s' }, { label: 'RSS MB' }], series: mseries }, mdata);

  document.body.setAttribute('data-charts', String(drawn));
})();
`;
