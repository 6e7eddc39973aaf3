/** capacity.html: one self-contained offline page (answer, curve table, uPlot charts) in report.html's style. */
import { BASE_CSS, OFFLINE_CSP, escapeHtml as e, jsonScript, uplotAssets } from '../report/html-assets.ts';
import type { CapacityResult } from './capacity.ts';
import { answerLine, quotaLine } from './render.ts';
import type { CapacityPoint } from './verdict.ts';

/** Number of charts capacity.html draws. */
export const CAPACITY_CHART_COUNT = 3;

const fmtMs = (v: number | null) => (v === null ? '—' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${Math.round(v)} ms`);

/** The chart data embedded in the page (computed here, so the page only draws). */
export function capacityChartData(r: CapacityResult) {
  const p = r.points;
  return {
    workers: p.map((x) => x.workers),
    writesPeak: p.map((x) => x.writesPeak),
    readsPeak: p.map((x) => x.readsPeak),
    quota: r.points[0]?.quotaPerMinute ?? 60,
    status429: p.map((x) => x.status429),
    perf01: p.map((x) => x.perf01P95),
    p99: p.map((x) => x.p99),
    perf01Ms: r.gates.perf01Ms,
    perf02Ms: r.gates.perf02Ms,
    success: p.map((x) => Math.round(x.successRate * 1000) / 10),
    minSuccess: r.gates.minSuccess * 100,
    answer: r.answer,
  };
}

function rowHtml(p: CapacityPoint, label: string): string {
  return `<tr class="${p.pass ? '' : 'bad'}"><td>${e(label)}</td><td>${p.requests}</td><td>${p.writesPeak}</td><td>${p.writesMean}</td><td>${p.readsPeak}</td><td>${p.status429}</td><td>${e(fmtMs(p.perf01P95))}</td><td>${e(fmtMs(p.p99))}</td><td>${(p.successRate * 100).toFixed(1)}%</td><td class="why">${p.pass ? 'pass' : `FAIL: ${e(p.failures.join('; '))}`}</td></tr>`;
}

/** The whole capacity.html page. */
export function renderCapacityHtml(r: CapacityResult): string {
  const { js, css } = uplotAssets();
  const g = r.gates;
  const gateText = [g.no429 ? 'no Sheets 429' : null, g.perf01Ms !== null ? `PERF-01 p95 of ${g.perf01Scenario} < ${g.perf01Ms} ms` : null,
    g.perf02Ms !== null ? `PERF-02 p99 < ${g.perf02Ms} ms` : null, `success ≥ ${(g.minSuccess * 100).toFixed(1)}%`].filter(Boolean).join(', ');
  const meta: [string, string][] = [
    ['backend', r.name], ['seed', String(r.seed)], ['trace', `${(r.durationMs / 1000).toFixed(0)} s per count, think ${r.thinkMinMs}–${r.thinkMaxMs} ms`],
    ['gates', gateText], ['probes (exact mode, in order)', r.probes.join(', ')], ['wall time', `${(r.wallMs / 1000).toFixed(1)} s`],
  ];
  const c = r.confirmation;
  const confirmHtml = c
    ? `<p class="verdict ${c.pass ? 'good' : 'bad'}">Realtime confirmation at ${c.workers} workers (speed ×${c.speed}, ${c.gatesKind === 'all' ? 'same gates' : 'quota gates'}): ${c.pass ? 'PASS' : `FAIL — ${e(c.failures.join('; '))}`}</p>`
    : '<p class="muted">No realtime confirmation (skipped, or no count passed).</p>';
  const rows = r.points.map((p) => rowHtml(p, String(p.workers))).join('') + (c ? rowHtml(c, `${c.workers} (realtime ×${c.speed})`) : '');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">${OFFLINE_CSP}
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>sheetsim capacity ${e(r.name)}</title>
<style>${css}${BASE_CSS}tr.bad td{color:#b42318}td.why{white-space:normal;text-align:left;min-width:260px}</style></head>
<body><main>
<h1>sheetsim capacity: ${e(r.name)}</h1>
<div class="meta">${meta.map(([k, v]) => `<span>${e(k)}</span><b>${e(v)}</b>`).join('')}</div>
<p class="verdict ${r.answer > 0 ? 'good' : 'bad'}" id="answer">${e(answerLine(r))}</p>
${quotaLine(r) ? `<p class="verdict">${e(quotaLine(r))}</p>` : ''}
${confirmHtml}
${r.nonMonotonic.length ? `<p class="bad">Counts that passed above a failing count (not trusted): ${e(r.nonMonotonic.join(', '))}</p>` : ''}
<h2>Curve</h2>
<table id="curve"><thead><tr><th>workers</th><th>requests</th><th>writes/min peak</th><th>writes/min mean</th><th>reads/min peak</th><th>429s</th><th>PERF-01 p95</th><th>p99</th><th>success</th><th>verdict</th></tr></thead><tbody>${rows}</tbody></table>
<p class="muted">Writes and reads are attempted Sheets calls (429'd included), peak of the sliding simulated minute; the quota is ${e(r.points[0]?.quotaPerMinute ?? 60)} a minute each.</p>
<h2>Charts</h2>
<div class="charts">
<div class="chart"><h3>Sheets writes and reads per minute (peak) against the quota, by workers</h3><div id="chart-quota"></div></div>
<div class="chart"><h3>Response time (ms): PERF-01 p95 and p99 of all requests, by workers</h3><div id="chart-latency"></div></div>
<div class="chart"><h3>429s and success rate (%), by workers</h3><div id="chart-errors"></div></div>
</div>
</main>
${jsonScript('capacity-data', capacityChartData(r))}
<script>${js}</script>
<script>${CHART_SCRIPT}</script>
</body></html>
`;
}

// Runs in the page: draws the three curves with uPlot from the embedded data.
const CHART_SCRIPT = `
(function () {
  var d = JSON.parse(document.getElementById('capacity-data').textContent);
  function plot(id, series, data) {
    var el = document.getElementById(id);
    return new uPlot({ width: Math.max(320, (el.clientWidth || 900) - 4), height: 260, scales: { x: { time: false } },
      axes: [{ label: 'workers' }, {}], series: [{ label: 'workers' }].concat(series) }, [d.workers].concat(data), el);
  }
  function flat(v) { return d.workers.map(function () { return v; }); }
  plot('chart-quota', [
    { label: 'writes/min', stroke: '#2563eb', width: 2, points: { show: true } },
    { label: 'reads/min', stroke: '#16a34a', width: 2, points: { show: true } },
    { label: 'quota', stroke: '#dc2626', dash: [6, 4] }
  ], [d.writesPeak, d.readsPeak, flat(d.quota)]);
  plot('chart-latency', [
    { label: 'PERF-01 p95', stroke: '#9333ea', width: 2, points: { show: true } },
    { label: 'p99', stroke: '#ea580c', width: 2, points: { show: true } },
    { label: 'PERF-01 limit', stroke: '#9333ea', dash: [6, 4] },
    { label: 'PERF-02 limit', stroke: '#ea580c', dash: [6, 4] }
  ], [d.perf01, d.p99, flat(d.perf01Ms), flat(d.perf02Ms)]);
  plot('chart-errors', [
    { label: '429s', stroke: '#dc2626', width: 2, points: { show: true } },
    { label: 'success %', stroke: '#16a34a', width: 2, points: { show: true } }
  ], [d.status429, d.success]);
})();
`;
