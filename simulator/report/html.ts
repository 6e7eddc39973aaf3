/** report.html: one self-contained offline page (PERF cards, scenario table, uPlot charts) rendered from a Report. */
import { decodeHistogram } from '../metrics/histogram.ts';
import { BASE_CSS, OFFLINE_CSP, escapeHtml as e, jsonScript, uplotAssets } from './html-assets.ts';
import type { Report } from './model.ts';
import { fmtGateValue, fmtMs } from './terminal.ts';

/** Percentiles drawn in the distribution chart; x is plotted as -log10(1 - p) so the tail gets room. */
export const DISTRIBUTION_PERCENTILES = [0, 25, 50, 75, 90, 95, 97.5, 99, 99.5, 99.9, 99.95, 99.99];

/** Number of charts report.html draws (the Chromium test checks it). */
export const REPORT_CHART_COUNT = 5;

/** The chart data embedded in the page, computed here so the page only draws. */
export function chartData(report: Report) {
  const scenarios = Object.keys(report.scenarios).sort();
  const nines = DISTRIBUTION_PERCENTILES.map((p) => -Math.log10(1 - p / 100));
  const distribution = scenarios.map((name) => {
    const h = decodeHistogram(report.scenarios[name]!.histograms.responseTime);
    return DISTRIBUTION_PERCENTILES.map((p) => (h.totalCount === 0 ? null : Math.round(h.getValueAtPercentile(p)) / 1000));
  });
  const tl = report.timeline;
  const writesPerMinute: number[] = [];
  let window = 0;
  for (let i = 0; i < tl.length; i++) {
    window += tl[i]!.sheetsWrites;
    if (i >= 60) window -= tl[i - 60]!.sheetsWrites;
    writesPerMinute.push(window);
  }
  const classes = ['2xx', '3xx', '4xx', '5xx', 'error'] as const;
  const stacked: number[][] = [];
  let running = tl.map(() => 0);
  for (const c of classes) {
    running = running.map((v, i) => v + (tl[i]!.statusClasses[c] ?? 0));
    stacked.push(running);
  }
  const memX = [...new Set([...(report.memory.target?.samples ?? []), ...report.memory.sheetsim.samples].map((m) => m.s))].sort((a, b) => a - b);
  const memSeries = (samples: { s: number; rssMb: number }[] | undefined) => {
    const byS = new Map((samples ?? []).map((m) => [m.s, m.rssMb]));
    return memX.map((s) => byS.get(s) ?? null);
  };
  const perf05 = report.gates.find((g) => g.id === 'PERF-05')?.threshold ?? 30;
  return {
    scenarios,
    distribution: { x: nines, percentiles: DISTRIBUTION_PERCENTILES, series: distribution },
    timeline: {
      s: tl.map((p) => p.s),
      requests: tl.map((p) => p.requests),
      p95: tl.map((p) => (p.requests > 0 ? p.p95 : null)),
      writesPerMinute,
      quota: report.sheets.quotaPerMinute,
      perf05,
      classes,
      stacked,
    },
    memory: { s: memX, target: report.memory.target ? memSeries(report.memory.target.samples) : null, sheetsim: memSeries(report.memory.sheetsim.samples) },
  };
}

/** The whole report.html page. */
export function renderReportHtml(report: Report): string {
  const { js, css } = uplotAssets();
  const r = report.run;
  const t = report.totals;
  const sh = report.sheets;
  const meta: [string, string][] = [
    ['run', r.id], ['label', r.label ?? '—'], ['mode', `${r.mode}${r.mode === 'realtime' ? ` ×${r.speed}` : ''}${r.partial ? ' (PARTIAL)' : ''}`],
    ['started', r.startedAt], ['duration', `${(r.simulatedDurationMs / 1000).toFixed(0)} s simulated, ${(r.wallDurationMs / 1000).toFixed(1)} s wall`],
    ['target', `${r.target.kind} ${r.target.url ?? r.target.command ?? ''}${r.target.backendProfile ? ` (profile ${r.target.backendProfile})` : ''}${r.target.commit ? ` @ ${r.target.commit}` : ''}`],
    ['trace', `${report.trace.path} — ${report.trace.events} events, ${report.trace.header.profile} seed ${report.trace.header.seed}`],
    ...(r.validity && !r.validity.valid ? [['validity', `INVALID (no verdict): ${r.validity.reasons.join('; ')}`] as [string, string]] : []),
    ...(r.overload?.saturated ? [['overload', `SATURATED from s = ${r.overload.fromS ?? '?'}: backlog up to ${r.overload.maxInFlight}, lateness up to ${fmtMs(r.overload.maxLatenessMs)}, ${r.overload.notSent} events not sent by the deadline`] as [string, string]] : []),
    ...(r.replayer?.bottleneck ? [['replayer', `bottleneck: event-loop delay p99 ${fmtMs(r.replayer.eventLoopDelayP99Ms)}`] as [string, string]] : []),
    ['trace sha256', report.trace.sha256], ['outcome digest', report.digest ?? '— (realtime)'], ['sheetsim', `${report.sheetsim.version} on node ${report.sheetsim.node}`],
  ];
  const passed = report.gates.filter((g) => g.pass).length;
  const cards = report.gates.map((g) => `<div class="card ${g.pass ? 'pass' : 'fail'}"><div class="id">${e(g.id)} ${g.pass ? 'PASS' : 'FAIL'}</div><div class="v">${e(fmtGateValue(g))}</div><div class="d">${e(g.description)} (${e(g.comparator)} ${e(g.threshold)} ${e(g.unit)})</div>${g.note ? `<div class="n">${e(g.note)}</div>` : ''}</div>`).join('');
  const scenarioRows = Object.entries(report.scenarios).sort(([a], [b]) => a.localeCompare(b)).map(([name, s]) => {
    const statuses = Object.entries(s.statuses).map(([k, n]) => `${k}:${n}`).join(' ');
    const calls = s.sheetsCalls ? `${s.sheetsCalls.mean.toFixed(2)} / ${s.sheetsCalls.max}` : 'n/a';
    return `<tr><td>${e(name)}</td><td>${s.count}</td><td>${(s.successRate * 100).toFixed(1)}%</td><td>${fmtMs(s.responseTime.mean)}</td><td>${fmtMs(s.responseTime.p50)}</td><td>${fmtMs(s.responseTime.p95)}</td><td>${fmtMs(s.responseTime.p99)}</td><td>${fmtMs(s.responseTime.max)}</td><td>${e(calls)}</td><td>${e(statuses)}</td><td>${s.expectMismatches}</td></tr>`;
  }).join('');
  const methodRows = Object.entries(sh.byMethod).sort(([a], [b]) => a.localeCompare(b)).map(([m, v]) => `<tr><td>${e(m)}</td><td>${v.count}</td><td>${v.errors}</td><td>${v.status429}</td></tr>`).join('');
  const mismatchRows = report.expectations.examples.slice(0, 20).map((x) => `<tr><td>${x.seq}</td><td>${e(x.scenario)}</td><td>${e(x.expected.status)} ${e(x.expected.action_taken ?? '')}</td><td>${e(x.actual.status ?? 'error')} ${e(x.actual.action_taken ?? '')}</td></tr>`).join('');
  const mem = report.memory.target ?? report.memory.sheetsim;
  const kpi = (label: string, value: string) => `<div class="kpi"><span class="muted">${e(label)}</span><b>${e(value)}</b></div>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">${OFFLINE_CSP}
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>sheetsim report ${e(r.id)}</title>
<style>${css}${BASE_CSS}</style></head>
<body><main>
<h1>sheetsim performance report</h1>
<div class="meta">${meta.map(([k, v]) => `<span>${e(k)}</span><b>${e(v)}</b>`).join('')}</div>
<h2>Summary</h2>
<div class="kpis">${[
    kpi('requests', String(t.requests)), kpi('success rate', `${(t.successRate * 100).toFixed(1)}%`), kpi('p50', fmtMs(t.responseTime.p50)),
    kpi('p95', fmtMs(t.responseTime.p95)), kpi('p99', fmtMs(t.responseTime.p99)), kpi('max', fmtMs(t.responseTime.max)),
    kpi('Sheets calls', sh.available ? String(sh.calls) : 'n/a'), kpi('peak writes/min', sh.available ? `${sh.writes.peakPerMinute} / ${sh.quotaPerMinute}` : 'n/a'),
    kpi('Sheets 429s', sh.available ? String(sh.status429) : 'n/a'), kpi('expect mismatches', String(report.expectations.mismatches)),
    kpi(report.memory.target ? 'target memory peak' : 'sheetsim memory peak', `${mem.peakMb.toFixed(0)} MB (+${mem.increaseMb.toFixed(1)})`),
  ].join('')}</div>
<h2>Performance requirements</h2>
${report.gates.length ? `<div class="cards" id="gates">${cards}</div><p class="verdict ${passed === report.gates.length ? 'good' : 'bad'}">${passed}/${report.gates.length} requirements passed</p>` : (r.validity && !r.validity.valid ? '<p class="verdict bad">PERF gates not evaluated: the run is invalid, so there is no verdict.</p>' : '<p class="muted">PERF gates not evaluated (--no-gates).</p>')}
<h2>Scenarios</h2>
<table id="scenarios"><thead><tr><th>scenario</th><th>count</th><th>success</th><th>mean</th><th>p50</th><th>p95</th><th>p99</th><th>max</th><th>Sheets calls mean / max</th><th>statuses</th><th>expect mismatches</th></tr></thead><tbody>${scenarioRows}</tbody></table>
<h2>Charts</h2>
<div class="charts">
<div class="chart"><h3>Response time percentile distribution per scenario (ms)</h3><div id="chart-distribution"></div></div>
<div class="chart"><h3>Latency p95 (ms) and requests per simulated second</h3><div id="chart-latency"></div></div>
<div class="chart"><h3>Sheets writes per sliding simulated minute, against the quota (${e(sh.quotaPerMinute)}/min) and PERF-05</h3><div id="chart-writes"></div></div>
<div class="chart"><h3>Status mix per simulated second (stacked)</h3><div id="chart-status"></div></div>
<div class="chart"><h3>Memory (RSS, MB) over wall time (s)</h3><div id="chart-memory"></div></div>
</div>
<h2>Sheets API calls by method</h2>
${sh.available ? `<table><thead><tr><th>method</th><th>calls</th><th>errors</th><th>429</th></tr></thead><tbody>${methodRows}</tbody></table><p class="muted">reads ${sh.reads.total} (peak ${sh.reads.peakPerMinute}/min), writes ${sh.writes.total} (peak ${sh.writes.peakPerMinute}/min, ${(sh.writeUtilisation * 100).toFixed(0)}% of quota), bursts ${sh.bursts}, largest append ${sh.maxAppendRows} rows</p>` : '<p class="muted">Call log unavailable.</p>'}
${mismatchRows ? `<h2>Expectation mismatches (first ${Math.min(20, report.expectations.examples.length)})</h2><table><thead><tr><th>seq</th><th>scenario</th><th>expected</th><th>actual</th></tr></thead><tbody>${mismatchRows}</tbody></table>` : ''}
</main>
${jsonScript('report-data', chartData(report))}
<script>${js}</script>
<script>${CHART_SCRIPT}</script>
</body></html>
`;
}

// Runs in the page: reads the embedded data and draws the charts with uPlot. Labels reach uPlot, which sets textContent.
const CHART_SCRIPT = `
(function () {
  var d = JSON.parse(document.getElementById('report-data').textContent);
  var palette = ['#2563eb','#dc2626','#16a34a','#9333ea','#ea580c','#0891b2','#ca8a04','#db2777','#4b5563','#65a30d'];
  function width(el) { return Math.max(320, (el.clientWidth || 900) - 4); }
  function plot(id, opts, data) {
    var el = document.getElementById(id);
    opts.width = width(el); opts.height = opts.height || 260;
    return new uPlot(opts, data, el);
  }
  var pctLabels = {0: '0%', 1: '90%', 2: '99%', 3: '99.9%', 4: '99.99%'};
  plot('chart-distribution', {
    scales: { x: { time: false }, y: { distr: 3 } },
    axes: [{ splits: function () { return [0, 1, 2, 3, 4]; }, values: function (u, vals) { return vals.map(function (v) { return pctLabels[v] || ''; }); } },
           { label: 'ms' }],
    series: [{ label: 'percentile', value: function (u, v, si, i) { return i == null ? '' : d.distribution.percentiles[i] + '%'; } }]
      .concat(d.scenarios.map(function (name, i) { return { label: name, stroke: palette[i % palette.length], width: 2, points: { show: true, size: 4 } }; }))
  }, [d.distribution.x].concat(d.distribution.series.map(function (s) { return s.map(function (v) { return v === null ? null : Math.max(v, 0.001); }); })));
  var t = d.timeline;
  plot('chart-latency', {
    scales: { x: { time: false } },
    axes: [{ label: 'simulated s' }, { label: 'p95 ms', scale: 'ms' }, { side: 1, label: 'requests/s', scale: 'req', grid: { show: false } }],
    series: [{ label: 's' }, { label: 'p95 ms', scale: 'ms', stroke: '#dc2626', width: 1.5, spanGaps: true }, { label: 'requests/s', scale: 'req', stroke: '#2563eb', width: 1, fill: 'rgba(37,99,235,0.08)' }]
  }, [t.s, t.p95, t.requests]);
  plot('chart-writes', {
    scales: { x: { time: false }, y: { range: function (u, min, max) { return [0, Math.max(max, t.quota) * 1.1]; } } },
    axes: [{ label: 'simulated s' }, { label: 'writes/min' }],
    series: [{ label: 's' }, { label: 'writes in last 60 s', stroke: '#9333ea', width: 2, fill: 'rgba(147,51,234,0.08)' },
             { label: 'quota ' + t.quota + '/min', stroke: '#dc2626', dash: [6, 4], width: 1.5, points: { show: false } },
             { label: 'PERF-05 ' + t.perf05 + '/min', stroke: '#ea580c', dash: [2, 4], width: 1.5, points: { show: false } }]
  }, [t.s, t.writesPerMinute, t.s.map(function () { return t.quota; }), t.s.map(function () { return t.perf05; })]);
  var colors = { '2xx': '#16a34a', '3xx': '#0891b2', '4xx': '#ca8a04', '5xx': '#dc2626', 'error': '#4b5563' };
  var order = t.classes.map(function (c, i) { return i; }).reverse();
  plot('chart-status', {
    scales: { x: { time: false } },
    axes: [{ label: 'simulated s' }, { label: 'requests/s' }],
    series: [{ label: 's' }].concat(order.map(function (i) { var c = t.classes[i]; return { label: c + ' (stacked)', stroke: colors[c], fill: colors[c], width: 1, points: { show: false } }; }))
  }, [t.s].concat(order.map(function (i) { return t.stacked[i]; })));
  var m = d.memory;
  var mseries = [{ label: 'wall s' }, { label: 'sheetsim RSS MB', stroke: '#2563eb', width: 1.5, spanGaps: true }];
  var mdata = [m.s, m.sheetsim];
  if (m.target) { mseries.push({ label: 'target RSS MB', stroke: '#dc2626', width: 1.5, spanGaps: true }); mdata.push(m.target); }
  plot('chart-memory', { scales: { x: { time: false } }, axes: [{ label: 'wall s' }, { label: 'MB' }], series: mseries }, mdata);
  document.body.setAttribute('data-charts', String(document.querySelectorAll('.uplot canvas').length));
})();
`;
