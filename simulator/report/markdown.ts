/** summary.md: the findings first, then the figures and verdicts, as Markdown for a pull request, a wiki or a chat. */
import { fmtInt } from './findings.ts';
import type { Finding, Report } from './model.ts';
import { fmtGateValue, fmtMs } from './terminal.ts';

const SEVERITY_MARK: Record<Finding['severity'], string> = { critical: '🔴 **critical**', warning: '🟠 warning', info: '🔵 info' };

/** Escape text for a Markdown table cell or a line: no markup, no table break, no HTML. */
export function escapeMarkdown(text: unknown): string {
  return String(text).replace(/[\\`*_[\]|<>~]/g, (ch) => `\\${ch}`).replace(/\r?\n/g, ' ');
}

/** The whole summary.md of a report. */
export function renderSummaryMarkdown(report: Report): string {
  const r = report.run;
  const t = report.totals;
  const sh = report.sheets;
  const m = escapeMarkdown;
  const lines: string[] = [];
  lines.push(`# sheetsim ${r.mode} run ${m(r.id)}${r.label ? ` (${m(r.label)})` : ''}${r.partial ? ' — PARTIAL' : ''}`, '');
  lines.push(`Trace \`${report.trace.sha256.slice(0, 12)}\` (${fmtInt(report.trace.events)} events, ${m(report.trace.header.profile)} seed ${report.trace.header.seed}), `
    + `${(r.simulatedDurationMs / 1000).toFixed(0)} s simulated${r.mode === 'realtime' ? ` at ×${r.speed}` : ''}, target ${m(r.target.kind)}`
    + `${r.target.backendProfile ? ` (profile ${m(r.target.backendProfile)})` : ''}${r.target.commit ? ` @ \`${m(r.target.commit)}\`` : ''}.`, '');
  lines.push('## Findings', '');
  for (const f of report.findings) lines.push(`- ${SEVERITY_MARK[f.severity]} ${m(f.text)}`);
  lines.push('', '## Figures', '');
  lines.push(`requests ${fmtInt(t.requests)}, success ${(t.successRate * 100).toFixed(1)}%, p50 ${fmtMs(t.responseTime.p50)}, p95 ${fmtMs(t.responseTime.p95)}, p99 ${fmtMs(t.responseTime.p99)}, max ${fmtMs(t.responseTime.max)}; `
    + (sh.available ? `Sheets ${fmtInt(sh.calls)} calls, peak writes ${fmtInt(sh.writes.peakPerMinute)}/min of ${sh.quotaPerMinute}, ${fmtInt(sh.status429)} 429s` : 'Sheets call log unavailable')
    + `; expect mismatches ${fmtInt(report.expectations.mismatches)}.`, '');
  if (report.gates.length > 0) {
    const passed = report.gates.filter((g) => g.pass).length;
    lines.push(`## PERF gates: ${passed}/${report.gates.length} passed`, '', '| gate | verdict | value | requirement |', '|---|---|---:|---|');
    for (const g of report.gates) lines.push(`| ${m(g.id)} | ${g.pass ? 'PASS' : '**FAIL**'} | ${m(fmtGateValue(g))} | ${m(g.description)} (${m(g.comparator)} ${g.threshold} ${m(g.unit)}) |`);
    lines.push('');
  }
  lines.push('## Scenarios', '', '| scenario | count | success | p50 | p95 | p99 | Sheets calls mean / max | expect mismatches |', '|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const [name, s] of Object.entries(report.scenarios).sort(([a], [b]) => a.localeCompare(b))) {
    const calls = s.sheetsCalls ? `${s.sheetsCalls.mean.toFixed(2)} / ${s.sheetsCalls.max}` : 'n/a';
    lines.push(`| ${m(name)} | ${fmtInt(s.count)} | ${(s.successRate * 100).toFixed(1)}% | ${fmtMs(s.responseTime.p50)} | ${fmtMs(s.responseTime.p95)} | ${fmtMs(s.responseTime.p99)} | ${calls} | ${fmtInt(s.expectMismatches)} |`);
  }
  lines.push('', 'Charts and tables: `report.html` in the same folder.', '');
  return lines.join('\n');
}
