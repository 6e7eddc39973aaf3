/** The terminal summary of a run: the findings, the numbers that decide, the PERF verdicts and where the report is (≤ 50 lines). */
import pc from 'picocolors';
import type { GateResult, ReplayerHealth, Report } from './model.ts';

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
/** A share as whole percent: `37 %`. */
const wholePct = (x: number): string => `${Math.round(x * 100)} %`;

/**
 * What the replayer's own health measured, for the lines that call it the bottleneck: e.g. `own send lag p99
 * 376.3 ms (max 385.7 ms); event loop saturated (≥ 95 % busy) 37 % of the replay, busy 83 % overall; event-loop delay
 * p99 23.0 ms (max 36.3 ms)`. Figures an older report lacks are left out.
 */
export function replayerFigures(r: ReplayerHealth): string {
  const parts: string[] = [];
  if (r.sendLagP99Ms !== undefined) parts.push(`own send lag p99 ${fmtMs(r.sendLagP99Ms)}${r.sendLagMaxMs !== undefined ? ` (max ${fmtMs(r.sendLagMaxMs)})` : ''}`);
  if (r.saturatedShare !== undefined && r.eventLoopUtilization !== undefined) {
    parts.push(`event loop saturated (≥ 95 % busy) ${wholePct(r.saturatedShare)} of the replay, busy ${wholePct(r.eventLoopUtilization)} overall`);
  }
  parts.push(`event-loop delay p99 ${fmtMs(r.eventLoopDelayP99Ms)} (max ${fmtMs(r.eventLoopDelayMaxMs)})`);
  return parts.join('; ');
}

/** Findings printed before the figures; the rest are in summary.md and report.html. */
const MAX_FINDINGS = 8;
const counts = (r: Record<string, number>): string =>
  Object.entries(r)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k} ×${n}`)
    .join(', ');

/** Validity, transport errors, overload and the replayer's own health: the lines that say whether to trust the rest. */
function runHealthLines(report: Report, c: ReturnType<typeof pc.createColors>): string[] {
  const r = report.run;
  const out: string[] = [];
  if (r.validity && !r.validity.valid) for (const reason of r.validity.reasons) out.push(c.red(c.bold(`INVALID  ${reason}`)));
  const transport = r.validity?.transportErrors ?? report.totals.errors;
  const kinds = Object.fromEntries(Object.entries(transport).filter(([k]) => k !== 'NOT_SENT' && k !== 'ABANDONED'));
  if (Object.keys(kinds).length > 0) out.push(c.yellow(`transport errors  ${counts(kinds)}`));
  const o = r.overload;
  if (o && (o.saturated || o.notSent > 0)) {
    const abandoned = report.totals.errors['ABANDONED'] ?? 0;
    const gaveUp = o.notSent > 0 || abandoned > 0 ? `; at the deadline (${fmtMs(o.deadlineMs)} wall) ${o.notSent} events were not sent and ${abandoned} in flight were abandoned, counted as failures` : '';
    // A replayer that was itself the bottleneck cannot tell how much of the backlog is the target's.
    const who = r.replayer?.bottleneck ? 'the schedule was not kept, and the replayer itself was a bottleneck (not necessarily the target)' : 'the target could not keep up';
    out.push(c.red(c.bold(`SATURATED from s = ${o.fromS ?? '?'}: ${who} (backlog up to ${o.maxInFlight} in flight, lateness up to ${fmtMs(o.maxLatenessMs)})${gaveUp}`)));
  }
  if (r.replayer?.bottleneck) {
    out.push(c.yellow(`replayer was the bottleneck: ${replayerFigures(r.replayer)}; part of the lateness and response time is sheetsim's own`));
  }
  return out;
}

/** The summary printed after a run and by `sheetsim report`; colours only when options.color. */
export function renderSummary(report: Report, options: { color: boolean; reportDir: string }): string {
  const c = pc.createColors(options.color);
  const t = report.totals;
  const r = report.run;
  const lines: string[] = [];
  const invalid = r.validity !== undefined && !r.validity.valid;
  const saturated = r.overload?.saturated === true;
  const title = `sheetsim ${r.mode} run ${r.id}${r.label ? ` (${r.label})` : ''}${invalid ? ' — INVALID' : ''}${saturated ? ' — SATURATED' : ''}${r.partial ? ' — PARTIAL' : ''}`;
  lines.push(c.bold(title));
  lines.push(`trace ${report.trace.path} (${report.trace.events} events, sha256 ${report.trace.sha256.slice(0, 12)}) → ${r.target.kind} ${r.target.url ?? r.target.command ?? ''}`.trimEnd());
  lines.push(`simulated ${(r.simulatedDurationMs / 1000).toFixed(0)} s in ${(r.wallDurationMs / 1000).toFixed(1)} s wall${r.mode === 'realtime' ? ` (speed ×${r.speed})` : ''}`);
  if (r.warmup) lines.push(c.dim(`warm-up  GET /api/health before t = 0: ${r.warmup.status ?? 'no answer'} in ${fmtMs(r.warmup.ms)}, ${r.warmup.sheetsCalls} Sheets calls (not part of the run)`));
  if (r.replayer?.warmupMs !== undefined) {
    lines.push(c.dim(`warm-up  the replayer's own code before t = 0: ${fmtMs(r.replayer.warmupMs)} against a loopback server of its own, for a dense first second (not part of the run)`));
  }
  if (r.mode === 'realtime' && r.speed !== 1 && r.targetTimersScaled === null) {
    lines.push(c.yellow(`timers   the target's own timers (backoff, cache TTLs) are not known to run at ×${r.speed}: its per-minute Sheets rates may read low`));
  }
  lines.push(...runHealthLines(report, c));
  lines.push('');
  // The story first: what limits this run, in words (simulator/report/findings.ts).
  const mark = { critical: c.red(c.bold('CRITICAL')), warning: c.yellow('warning '), info: c.dim('info    ') };
  for (const f of report.findings.slice(0, MAX_FINDINGS)) lines.push(`${mark[f.severity]} ${f.text}`);
  const more = report.findings.length - MAX_FINDINGS;
  if (more > 0) lines.push(c.dim(`… ${more} more finding${more === 1 ? '' : 's'} in summary.md`));
  if (report.findings.length > 0) lines.push('');
  const okColor = t.successRate >= 0.99 ? c.green : t.successRate >= 0.9 ? c.yellow : c.red;
  lines.push(`requests ${t.requests}  ok ${t.ok}  failed ${t.failed}  success ${okColor(pct(t.successRate))}  expect mismatches ${report.expectations.mismatches}`);
  lines.push(`latency  p50 ${fmtMs(t.responseTime.p50)}  p95 ${fmtMs(t.responseTime.p95)}  p99 ${fmtMs(t.responseTime.p99)}  max ${fmtMs(t.responseTime.max)}`);
  lines.push('');
  const names = Object.keys(report.scenarios).sort();
  const width = Math.max(8, ...names.slice(0, 12).map((n) => n.length));
  lines.push(c.dim(`${'scenario'.padEnd(width)}  ${'count'.padStart(6)}  ${'ok'.padStart(6)}  ${'p50'.padStart(8)}  ${'p95'.padStart(8)}  ${'p99'.padStart(8)}  sheets/op`));
  for (const name of names.slice(0, 12)) {
    const s = report.scenarios[name]!;
    const unknown = s.sheetsUnattributed ? `${s.sheetsCalls ? '; ' : ' ('}${s.sheetsUnattributed} unattributed${s.sheetsCalls ? '' : ')'}` : '';
    const calls = s.sheetsCalls ? `${s.sheetsCalls.mean.toFixed(1)} (max ${s.sheetsCalls.max}${unknown})` : `n/a${unknown}`;
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
    const unknownEvents = Object.values(report.scenarios).reduce((n, s) => n + (s.sheetsUnattributed ?? 0), 0);
    if (unknownEvents > 0 || (sh.unattributedCalls ?? 0) > 0) {
      lines.push(c.yellow(`         ${sh.unattributedCalls ?? 0} calls could not be attributed to an event (${unknownEvents} events' calls unknown): the backend forwarded no traceparent and events overlapped`));
    }
  } else {
    lines.push(c.yellow('Sheets   call log unavailable (external target without --sheets): Sheets gates cannot be measured'));
  }
  const mem = report.memory.target;
  const own = `sheetsim peak ${report.memory.sheetsim.peakMb.toFixed(0)} MB`;
  lines.push(mem ? `memory   target baseline ${mem.baselineMb.toFixed(0)} MB, peak ${mem.peakMb.toFixed(0)} MB (+${mem.increaseMb.toFixed(1)} MB); ${own}` : `memory   ${own} (target not sampled)`);
  // Realtime figures are only as good as the replayer's timing: say how loaded it was, also when it kept up.
  const rh = r.replayer;
  if (r.mode === 'realtime' && rh && rh.eventLoopUtilization !== undefined && rh.saturatedShare !== undefined) {
    const lag = rh.sendLagP99Ms !== undefined ? `, own send lag p99 ${fmtMs(rh.sendLagP99Ms)}` : '';
    const figures = `replayer event loop busy ${wholePct(rh.eventLoopUtilization)}, saturated ${wholePct(rh.saturatedShare)} of the replay, delay p99 ${fmtMs(rh.eventLoopDelayP99Ms)}${lag}`;
    lines.push(rh.bottleneck ? c.yellow(`${figures}: the bottleneck (see above)`) : `${figures}: not a bottleneck`);
  }
  if (invalid) {
    lines.push('', c.red(c.bold('PERF gates not evaluated: the run is invalid, so there is no verdict (see above)')));
  } else if (report.gates.length > 0) {
    lines.push('');
    for (const g of report.gates) {
      const mark = g.pass ? c.green('PASS') : c.red('FAIL');
      lines.push(`${mark} ${g.id}  ${g.description}: ${fmtGateValue(g)}${g.note && (g.value === null || !g.pass) ? c.dim(` (${g.note})`) : ''}`);
    }
    const passed = report.gates.filter((g) => g.pass).length;
    const all = passed === report.gates.length;
    lines.push((all ? c.green : c.red)(c.bold(`${passed}/${report.gates.length} PERF gates passed`)));
    if (saturated && passed > 0) {
      // What passed was measured on the part of the load that got through.
      lines.push(c.yellow(`the target was saturated: the gates that passed saw only the ${t.ok} of ${t.requests} requests answered with a 2xx`));
    }
  } else {
    lines.push('', c.dim('PERF gates not evaluated (--no-gates)'));
  }
  lines.push('', `html: ${options.reportDir}/report.html`, `markdown: ${options.reportDir}/summary.md`);
  return lines.join('\n') + '\n';
}
