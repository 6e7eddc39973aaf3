/** The terminal summary of a run: the numbers that decide, the PERF verdicts and where the report is (≤ 40 lines). */
import pc from 'picocolors';
import type { GateResult, Report } from './model.ts';

/** Format milliseconds for people: `840 ms`, `1.24 s`. */
export function fmtMs(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${Math.round(ms)} ms`;
  return `${ms.toFixed(1)} ms`;
}

/** Format a gate's value with its unit. */
export function fmtGateValue(g: GateResult): string {
  if (g.value === null) return 'n/a';
  return g.unit === 'ms' ? fmtMs(g.value) : `${Math.round(g.value * 100) / 100} ${g.unit}`;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** The summary printed after a run and by `sheetsim report`; colours only when options.color. */
export function renderSummary(report: Report, options: { color: boolean; reportDir: string }): string {
  const c = pc.createColors(options.color);
  const t = report.totals;
  const r = report.run;
  const lines: string[] = [];
  const title = `sheetsim ${r.mode} run ${r.id}${r.label ? ` (${r.label})` : ''}${r.partial ? ' — PARTIAL' : ''}`;
  lines.push(c.bold(title));
  lines.push(`trace ${report.trace.path} (${report.trace.events} events, sha256 ${report.trace.sha256.slice(0, 12)}) → ${r.target.kind} ${r.target.url ?? r.target.command ?? ''}`.trimEnd());
  lines.push(`simulated ${(r.simulatedDurationMs / 1000).toFixed(0)} s in ${(r.wallDurationMs / 1000).toFixed(1)} s wall${r.mode === 'realtime' ? ` (speed ×${r.speed})` : ''}`);
  if (r.warmup) lines.push(c.dim(`warm-up  GET /api/health before t = 0: ${r.warmup.status ?? 'no answer'} in ${fmtMs(r.warmup.ms)}, ${r.warmup.sheetsCalls} Sheets calls (not part of the run)`));
  if (r.mode === 'realtime' && r.speed !== 1 && r.targetTimersScaled === null) {
    lines.push(c.yellow(`timers   the target's own timers (backoff, cache TTLs) are not known to run at ×${r.speed}: its per-minute Sheets rates may read low`));
  }
  lines.push('');
  const okColor = t.successRate >= 0.99 ? c.green : t.successRate >= 0.9 ? c.yellow : c.red;
  lines.push(`requests ${t.requests}  ok ${t.ok}  failed ${t.failed}  success ${okColor(pct(t.successRate))}  expect mismatches ${report.expectations.mismatches}`);
  lines.push(`latency  p50 ${fmtMs(t.responseTime.p50)}  p95 ${fmtMs(t.responseTime.p95)}  p99 ${fmtMs(t.responseTime.p99)}  max ${fmtMs(t.responseTime.max)}`);
  lines.push('');
  const names = Object.keys(report.scenarios).sort();
  const width = Math.max(8, ...names.slice(0, 12).map((n) => n.length));
  lines.push(c.dim(`${'scenario'.padEnd(width)}  ${'count'.padStart(6)}  ${'ok'.padStart(6)}  ${'p50'.padStart(8)}  ${'p95'.padStart(8)}  ${'p99'.padStart(8)}  sheets/op`));
  for (const name of names.slice(0, 12)) {
    const s = report.scenarios[name]!;
    const calls = s.sheetsCalls ? `${s.sheetsCalls.mean.toFixed(1)} (max ${s.sheetsCalls.max})` : 'n/a';
    lines.push(`${name.padEnd(width)}  ${String(s.count).padStart(6)}  ${pct(s.successRate).padStart(6)}  ${fmtMs(s.responseTime.p50).padStart(8)}  ${fmtMs(s.responseTime.p95).padStart(8)}  ${fmtMs(s.responseTime.p99).padStart(8)}  ${calls}`);
  }
  if (names.length > 12) lines.push(c.dim(`… ${names.length - 12} more scenarios in scenarios.csv`));
  lines.push('');
  const sh = report.sheets;
  if (sh.available) {
    const peak = sh.writes.peakPerMinute;
    const quotaColor = peak >= sh.quotaPerMinute ? c.red : peak >= sh.quotaPerMinute / 2 ? c.yellow : c.green;
    const admitted = sh.writesAdmitted ? ` (admitted ${sh.writesAdmitted.peakPerMinute})` : '';
    lines.push(`Sheets   ${sh.calls} calls (${sh.writes.total} writes, ${sh.reads.total} reads)  peak writes/min attempted ${quotaColor(String(peak))}${admitted} of quota ${sh.quotaPerMinute} (${pct(sh.writeUtilisation)})  429s ${sh.status429 > 0 ? c.red(String(sh.status429)) : '0'}  largest append ${sh.maxAppendRows} rows`);
  } else {
    lines.push(c.yellow('Sheets   call log unavailable (external target without --sheets): Sheets gates cannot be measured'));
  }
  const mem = report.memory.target;
  lines.push(mem ? `memory   target baseline ${mem.baselineMb.toFixed(0)} MB, peak ${mem.peakMb.toFixed(0)} MB (+${mem.increaseMb.toFixed(1)} MB)` : `memory   sheetsim peak ${report.memory.sheetsim.peakMb.toFixed(0)} MB (target not sampled)`);
  if (report.gates.length > 0) {
    lines.push('');
    for (const g of report.gates) {
      const mark = g.pass ? c.green('PASS') : c.red('FAIL');
      lines.push(`${mark} ${g.id}  ${g.description}: ${fmtGateValue(g)}${g.note && (g.value === null || !g.pass) ? c.dim(` (${g.note})`) : ''}`);
    }
    const passed = report.gates.filter((g) => g.pass).length;
    const all = passed === report.gates.length;
    lines.push((all ? c.green : c.red)(c.bold(`${passed}/${report.gates.length} PERF gates passed`)));
  } else {
    lines.push('', c.dim('PERF gates not evaluated (--no-gates)'));
  }
  lines.push('', `html: ${options.reportDir}/report.html`);
  return lines.join('\n') + '\n';
}
