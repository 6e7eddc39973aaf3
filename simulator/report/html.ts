/** report.html: one self-contained offline page (findings, PERF cards, scenario table, uPlot charts) rendered from a Report. */
import { chartData } from './chart-data.ts';
import { mismatchKind } from './findings.ts';
import { CHART_SCRIPT } from './html-charts.ts';
import { BASE_CSS, OFFLINE_CSP, escapeHtml as e, jsonScript, uplotAssets } from './html-assets.ts';
import type { Report } from './model.ts';
import { fmtGateValue, fmtMs, replayerFigures } from './terminal.ts';

export { DISTRIBUTION_PERCENTILES } from './chart-data.ts';
export { REPORT_CHART_COUNT } from './html-charts.ts';

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
    // As in the terminal: a realtime run's figures are only as good as the replayer's timing, so say how it did.
    ...(r.replayer && (r.replayer.bottleneck || r.mode === 'realtime')
      ? [['replayer', `${r.replayer.bottleneck ? 'the bottleneck' : 'not a bottleneck'}: ${replayerFigures(r.replayer)}`] as [string, string]]
      : []),
    ['trace sha256', report.trace.sha256], ['outcome digest', report.digest ?? '— (realtime)'], ['sheetsim', `${report.sheetsim.version} on node ${report.sheetsim.node}`],
  ];
  const passed = report.gates.filter((g) => g.pass).length;
  const cards = report.gates.map((g) => `<div class="card ${g.pass ? 'pass' : 'fail'}"><div class="id">${e(g.id)} ${g.pass ? 'PASS' : 'FAIL'}</div><div class="v">${e(fmtGateValue(g))}</div><div class="d">${e(g.description)} (${e(g.comparator)} ${e(g.threshold)} ${e(g.unit)})</div>${g.note ? `<div class="n">${e(g.note)}</div>` : ''}</div>`).join('');
  const hasParts = Object.values(report.scenarios).some((s) => s.responseParts);
  const scenarioRows = Object.entries(report.scenarios).sort(([a], [b]) => a.localeCompare(b)).map(([name, s]) => {
    const statuses = Object.entries(s.statuses).map(([k, n]) => `${k}:${n}`).join(' ');
    const unknown = s.sheetsUnattributed ? ` (${s.sheetsUnattributed} unattributed)` : '';
    const calls = `${s.sheetsCalls ? `${s.sheetsCalls.mean.toFixed(2)} / ${s.sheetsCalls.max}` : 'n/a'}${unknown}`;
    const p = s.responseParts;
    const parts = hasParts ? (p ? `<td>${fmtMs(p.sheets.mean)}</td><td>${fmtMs(p.waits.mean)}</td><td>${fmtMs(p.compute.mean)}</td>` : '<td>—</td><td>—</td><td>—</td>') : '';
    return `<tr><td>${e(name)}</td><td>${s.count}</td><td>${(s.successRate * 100).toFixed(1)}%</td><td>${fmtMs(s.responseTime.mean)}</td><td>${fmtMs(s.responseTime.p50)}</td><td>${fmtMs(s.responseTime.p95)}</td><td>${fmtMs(s.responseTime.p99)}</td><td>${fmtMs(s.responseTime.max)}</td>${parts}<td>${e(calls)}</td><td>${e(statuses)}</td><td>${s.expectMismatches}</td></tr>`;
  }).join('');
  const methodRows = Object.entries(sh.byMethod).sort(([a], [b]) => a.localeCompare(b)).map(([m, v]) => `<tr><td>${e(m)}</td><td>${v.count}</td><td>${v.errors}</td><td>${v.status429}</td></tr>`).join('');
  // Sorted by kind, then scenario, then trace order, so the same kind of mismatch reads as one block.
  const examples = [...report.expectations.examples].sort((a, b) => mismatchKind(a).localeCompare(mismatchKind(b)) || a.scenario.localeCompare(b.scenario) || a.seq - b.seq);
  const mismatchRows = examples.map((x) => `<tr><td>${e(mismatchKind(x))}</td><td>${e(x.scenario)}</td><td>${x.seq}</td></tr>`).join('');
  const mem = report.memory.target ?? report.memory.sheetsim;
  const kpi = (label: string, value: string) => `<div class="kpi" title="${e(label)}"><span class="muted">${e(label)}</span><b>${e(value)}</b></div>`;
  const findings = report.findings.map((f) => `<li class="finding ${e(f.severity)}"><span class="sev">${e(f.severity)}</span><span class="text">${e(f.text)}</span> <a href="${e(f.anchor)}">${e(linkText(f.anchor))}</a></li>`).join('');
  const chart = (id: string, title: string, note = '') => `<div class="chart" id="${e(id)}"><h3>${e(title)}</h3>${note ? `<p class="muted note">${e(note)}</p>` : ''}<div class="plot"></div></div>`;
  const data = chartData(report);
  const memoryTitle = !report.memory.target ? 'Memory (RSS, MB) of sheetsim over wall time (the target is not sampled)'
    : data.memory.sameProcess ? 'Memory (RSS, MB) over wall time: sheetsim and the embedded target are one process'
    : 'Memory (RSS, MB) of the target and of sheetsim over wall time';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">${OFFLINE_CSP}
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>sheetsim report ${e(r.id)}</title>
<style>${css}${BASE_CSS}${REPORT_CSS}</style></head>
<body><main>
<h1>sheetsim performance report</h1>
<p class="sub">${e(r.id)}${r.label ? ` — ${e(r.label)}` : ''} · ${e(r.mode)}${r.mode === 'realtime' ? ` ×${e(r.speed)}` : ''}${r.partial ? ' · <b class="bad">PARTIAL</b>' : ''} · ${e(r.target.kind)}${r.target.backendProfile ? ` (profile ${e(r.target.backendProfile)})` : ''} · ${e(report.trace.events)} events, ${e((r.simulatedDurationMs / 1000).toFixed(0))} s simulated · <a href="#run">run details</a></p>
<h2>Findings</h2>
<ul class="findings" id="findings">${findings}</ul>
<div class="kpis" id="summary">${[
    kpi('requests', String(t.requests)), kpi('success', `${(t.successRate * 100).toFixed(1)}%`), kpi('p50', fmtMs(t.responseTime.p50)),
    kpi('p95', fmtMs(t.responseTime.p95)), kpi('p99', fmtMs(t.responseTime.p99)), kpi('max', fmtMs(t.responseTime.max)),
    kpi('Sheets calls', sh.available ? String(sh.calls) : 'n/a'), kpi('writes/min', sh.available ? `${sh.writes.peakPerMinute} / ${sh.quotaPerMinute}` : 'n/a'),
    kpi('429s', sh.available ? String(sh.status429) : 'n/a'), kpi('mismatches', String(report.expectations.mismatches)),
    kpi(report.memory.target ? 'target RSS' : 'sheetsim RSS', `${mem.peakMb.toFixed(0)} MB`),
  ].join('')}</div>
<div class="charts two">
${chart('chart-writes', `Sheets calls per sliding simulated minute against the ${sh.quotaPerMinute}/min quota and PERF-05`, sh.available ? '' : 'Call log unavailable: no Sheets figures.')}
${chart('chart-errors', 'Sheets 429s and failed answers per simulated second')}
${chart('chart-latency', 'Latency p95 and requests per simulated second (warm-up and overload shaded)')}
${chart('chart-calls', 'Sheets calls per event by scenario: mean (bar) and max (dot)', sh.available ? '' : 'Call log unavailable: no Sheets figures.')}
</div>
<h2>Performance requirements</h2>
${report.gates.length ? `<div class="cards" id="gates">${cards}</div><p class="verdict ${passed === report.gates.length ? 'good' : 'bad'}">${passed}/${report.gates.length} requirements passed</p>` : (r.validity && !r.validity.valid ? '<p class="verdict bad">PERF gates not evaluated: the run is invalid, so there is no verdict.</p>' : '<p class="muted">PERF gates not evaluated (--no-gates).</p>')}
<h2>Scenarios</h2>
<div class="scroll"><table id="scenarios"><thead><tr><th>scenario</th><th>count</th><th>success</th><th>mean</th><th>p50</th><th>p95</th><th>p99</th><th>max</th>${hasParts ? '<th>Sheets (mean)</th><th>waits (mean)</th><th>compute (mean)</th>' : ''}<th>Sheets calls mean / max</th><th>statuses</th><th>expect mismatches</th></tr></thead><tbody>${scenarioRows}</tbody></table></div>
<h2>More charts</h2>
<div class="charts two">
${chart('chart-distribution', 'Response time percentiles per scenario (count in brackets)', 'Each line stops at the highest percentile its count supports (at least one event above it).')}
${chart('chart-status', 'Status mix per simulated second (stacked)')}
${chart('chart-memory', memoryTitle)}
</div>
<h2>Sheets API calls by method</h2>
${sh.available ? `<table><thead><tr><th>method</th><th>calls</th><th>errors</th><th>429</th></tr></thead><tbody>${methodRows}</tbody></table><p class="muted">reads ${sh.reads.total} (peak ${sh.reads.peakPerMinute}/min), writes ${sh.writes.total} (peak ${sh.writes.peakPerMinute}/min, ${(sh.writeUtilisation * 100).toFixed(0)}% of quota), bursts ${sh.bursts}, largest append ${sh.maxAppendRows} rows</p>` : '<p class="muted">Call log unavailable.</p>'}
<h2 id="mismatches">Expectation mismatches</h2>
${mismatchRows ? `<p class="muted">${report.expectations.mismatches} of ${report.expectations.checked} events missed the trace's expect; report.json keeps the first ${examples.length}, listed by kind.</p><table id="mismatch-table"><thead><tr><th>expected → actual</th><th>scenario</th><th>seq</th></tr></thead><tbody>${mismatchRows}</tbody></table>` : `<p class="muted">${report.expectations.mismatches} of ${report.expectations.checked} events missed the trace's expect.</p>`}
<h2 id="run">Run details</h2>
<div class="meta">${meta.map(([k, v]) => `<span>${e(k)}</span><b>${e(v)}</b>`).join('')}</div>
</main>
${jsonScript('report-data', data)}
<script>${js}</script>
<script>${CHART_SCRIPT}</script>
</body></html>
`;
}

/** What a finding's link points at, in words. */
function linkText(anchor: string): string {
  if (anchor.startsWith('#chart-')) return 'see chart';
  return ({ '#scenarios': 'see table', '#mismatches': 'see table', '#gates': 'see gates', '#summary': 'see figures', '#run': 'see run details' } as Record<string, string>)[anchor] ?? 'see';
}

/** Styles only the report page uses (BASE_CSS is shared with the diff page). */
const REPORT_CSS = `
.sub{margin:0 0 6px;color:#4a5463;font-size:13px}
.findings{list-style:none;margin:0 0 14px;padding:0;display:grid;gap:6px}
.finding{background:#fff;border:1px solid #e1e5ea;border-left:6px solid #6b7582;border-radius:6px;padding:5px 12px;font-size:14px}
.finding.critical{border-left-color:#dc2626;background:#fff5f5}.finding.warning{border-left-color:#ea580c}.finding.info{border-left-color:#2563eb}
.finding .sev{display:inline-block;min-width:64px;margin-right:8px;font-size:11px;font-weight:700;text-transform:uppercase;color:#4a5463}
.finding.critical .sev{color:#b42318}.finding a{font-size:12px;color:#2563eb;white-space:nowrap}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(92px,1fr));gap:8px;margin-bottom:14px}.kpi{padding:5px 10px;min-width:0}.kpi span{font-size:12px}.kpi b{font-size:15px;white-space:nowrap}
.charts.two{grid-template-columns:1fr 1fr}.chart .note{margin:0 0 4px;font-size:12px}
.u-legend{font-size:12px}.u-legend .u-value{font-variant-numeric:tabular-nums}
.scroll{overflow-x:auto}
@media (max-width:900px){.charts.two{grid-template-columns:1fr}}
`;
