/**
 * Findings: what a run shows, in words with its figures, derived from a Report by fixed rules (no free text),
 * most severe first. report.json, report.html, summary.md and the terminal summary all print this list.
 * Fields other issues add (run.validity, run.overload, run.replayer, run.warmup, responseParts,
 * sheets.writesAdmitted) are used when present; otherwise each rule falls back on what every report has.
 */
import type { Finding, Report, ScenarioReport, TimelinePoint } from './model.ts';
import { fmtGateValue, fmtMs, replayerFigures } from './terminal.ts';
import { perSlidingMinute } from './windows.ts';

/** Seconds of trace time counted as "the start" when looking for a cold start. */
export const WARMUP_WINDOW_S = 60;

const SEVERITY_ORDER = { critical: 0, warning: 1, info: 2 } as const;

/** Findings about latency, left out when the target did not answer. */
const LATENCY_FINDINGS = new Set(['warmup', 'late-sends', 'slowest-scenario']);

/** Every rule, in the order findings of equal severity are listed. */
const RULES: ((r: Report) => Finding | null)[] = [
  invalidTarget, partialRun, overload, replayerBottleneck, writeQuota, readQuota, warmup, explicitWarmup, lateSends,
  status429Bursts, serverErrors, slowestScenario, expectMismatches, failedGates,
];

/** The findings of a report, most severe first; a run with nothing to flag gets one `healthy` finding. */
export function deriveFindings(report: Report): Finding[] {
  let found = RULES.map((rule) => rule(report)).filter((f): f is Finding => f !== null);
  // The latency of a target that did not answer is the latency of refused connections: saying more would mislead.
  if (found.some((f) => f.id === 'invalid-target')) found = found.filter((f) => !LATENCY_FINDINGS.has(f.id));
  if (!found.some((f) => f.severity !== 'info')) found.unshift(healthy(report));
  return found.map((f, i) => ({ f, i })).sort((a, b) => SEVERITY_ORDER[a.f.severity] - SEVERITY_ORDER[b.f.severity] || a.i - b.i).map((x) => x.f);
}

// ---- formatting (locale-independent, so findings are the same on every machine) ----

/** 2020 → `2,020`. */
export function fmtInt(n: number): string {
  const s = String(Math.round(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 ? `-${s}` : s;
}
const pct = (x: number): string => `${Math.round(x * 100)}%`;
const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;

// ---- helpers over the report ----

/** `finalizar_arm_10` → `FINALIZAR`: the operation a scenario exercises, as the domain spells it. */
export function operationOf(scenario: string): string {
  return scenario.split('_')[0]!.toUpperCase();
}

function sumStatuses(statuses: Record<string, number>, pred: (code: number) => boolean): number {
  return Object.entries(statuses).reduce((a, [k, n]) => (pred(Number(k)) ? a + n : a), 0);
}
const is5xx = (c: number): boolean => c >= 500 && c < 600;

/** Per operation: events, 5xx answers and the most frequent 5xx status. */
function byOperation(report: Report): { op: string; count: number; failed5xx: number; topStatus: string }[] {
  const ops = new Map<string, { count: number; statuses: Record<string, number> }>();
  for (const [name, s] of Object.entries(report.scenarios)) {
    const o = ops.get(operationOf(name)) ?? { count: 0, statuses: {} };
    o.count += s.count;
    for (const [k, n] of Object.entries(s.statuses)) o.statuses[k] = (o.statuses[k] ?? 0) + n;
    ops.set(operationOf(name), o);
  }
  return [...ops].sort(([a], [b]) => a.localeCompare(b)).map(([op, o]) => {
    const fives = Object.entries(o.statuses).filter(([k]) => is5xx(Number(k))).sort(([ka, a], [kb, b]) => b - a || ka.localeCompare(kb));
    return { op, count: o.count, failed5xx: sumStatuses(o.statuses, is5xx), topStatus: fives[0]?.[0] ?? '5xx' };
  });
}

/** The operation with the highest share of 5xx answers (at least 5 events), or null when none failed. */
function worstOperation(report: Report): { op: string; share: number; status: string } | null {
  let best: { op: string; share: number; status: string } | null = null;
  for (const o of byOperation(report)) {
    if (o.count < 5 || o.failed5xx === 0) continue;
    const share = o.failed5xx / o.count;
    if (!best || share > best.share) best = { op: o.op, share, status: o.topStatus };
  }
  return best;
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const v = [...values].sort((a, b) => a - b);
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}

function transportErrors(report: Report): number {
  return report.totals.statuses.error ?? Object.values(report.totals.errors).reduce((a, b) => a + b, 0);
}

function errorBreakdown(errors: Record<string, number>): string {
  return Object.entries(errors).sort(([ka, a], [kb, b]) => b - a || ka.localeCompare(kb)).map(([k, n]) => `${k} ${fmtInt(n)}`).join(', ');
}

/** First second from which every later second with requests had only transport errors (at least 5 of them), else null. */
function deadFromS(timeline: TimelinePoint[]): number | null {
  let from: number | null = null;
  let failed = 0;
  for (let i = timeline.length - 1; i >= 0; i--) {
    const p = timeline[i]!;
    if (p.requests === 0) continue;
    if ((p.statusClasses.error ?? 0) < p.requests) break;
    from = p.s;
    failed += p.requests;
  }
  return failed >= 5 ? from : null;
}

// ---- rules ----

/** The target did not answer: the run says nothing about the backend. */
function invalidTarget(report: Report): Finding | null {
  const v = report.run.validity;
  const requests = report.totals.requests;
  const transport = transportErrors(report);
  if (v) {
    if (v.valid) return null;
    const errors = errorBreakdown(v.transportErrors);
    const text = `The run is invalid: ${v.reasons.join('; ') || 'the target failed'}`
      + (errors ? `; transport errors ${errors}` : '')
      + (v.unreachableFromS !== null ? `; the target was unreachable from s = ${v.unreachableFromS}` : '')
      + '. Latency and gates say nothing about the backend.';
    return { id: 'invalid-target', severity: 'critical', text, figures: { transportErrors: transport, unreachableFromS: v.unreachableFromS ?? 'none', reasons: v.reasons.join('; ') }, anchor: '#chart-errors' };
  }
  if (requests === 0) {
    return { id: 'invalid-target', severity: 'critical', text: 'No request was sent or answered: the report measures nothing.', figures: { requests: 0 }, anchor: '#summary' };
  }
  const share = transport / requests;
  if (share < 0.5) return null;
  const from = deadFromS(report.timeline);
  const errors = errorBreakdown(report.totals.errors);
  return {
    id: 'invalid-target', severity: 'critical',
    text: `The target did not answer: ${fmtInt(transport)} of ${fmtInt(requests)} requests (${pct(share)}) failed at transport level${errors ? ` (${errors})` : ''}`
      + (from !== null ? `, every one from s = ${from}` : '') + '. Latency and gates say nothing about the backend.',
    figures: { transportErrors: transport, requests, share: round(share, 3), unreachableFromS: from ?? 'none' },
    anchor: '#chart-errors',
  };
}

/** An interrupted run, or one whose target died, covers only part of the trace. */
function partialRun(report: Report): Finding | null {
  if (!report.run.partial) return null;
  const planned = Number(report.trace.header.params?.durationMs ?? 0);
  const covered = report.run.simulatedDurationMs;
  return {
    id: 'partial-run', severity: 'warning',
    text: `The run is partial (interrupted, or its target died): it covers ${fmtInt(covered / 1000)} s${planned > 0 ? ` of the trace's ${fmtInt(planned / 1000)} s` : ''} and ${fmtInt(report.totals.requests)} of ${fmtInt(report.trace.events)} events.`,
    figures: { coveredS: round(covered / 1000, 1), plannedS: round(planned / 1000, 1), requests: report.totals.requests, events: report.trace.events },
    anchor: '#run',
  };
}

/** The replayer could not keep the schedule: what it measured includes its own queue. */
function overload(report: Report): Finding | null {
  const o = report.run.overload;
  if (o) {
    if (!o.saturated) return null;
    return {
      id: 'overload', severity: 'critical',
      text: `${report.run.replayer?.bottleneck ? 'The schedule was not kept (the replayer itself was a bottleneck, so not necessarily because of the target)' : 'The target could not keep up with the schedule'}`
        + `${o.fromS !== null ? ` from s = ${o.fromS}` : ''}: up to ${fmtInt(o.maxInFlight)} requests in flight, sends up to ${fmtMs(o.maxLatenessMs)} late`
        + (o.notSent > 0 ? `, ${fmtInt(o.notSent)} events not sent within their ${fmtMs(o.deadlineMs)} deadline` : '') + '. Latencies after that measure the queue, not only the backend.',
      figures: { fromS: o.fromS ?? 'none', maxInFlight: o.maxInFlight, maxLatenessMs: o.maxLatenessMs, notSent: o.notSent, deadlineMs: o.deadlineMs },
      anchor: '#chart-latency',
    };
  }
  return null;
}

/** Without the replayer's own account (run.overload): lateness that makes up most of the response time. */
function lateSends(report: Report): Finding | null {
  if (report.run.overload) return null;
  const late = report.totals.lateness.p95;
  const resp = report.totals.responseTime.p95;
  if (late < 1000 || late < 0.5 * resp) return null;
  return {
    id: 'late-sends', severity: 'warning',
    text: `Requests left late: lateness p95 ${fmtMs(late)} of a ${fmtMs(resp)} response-time p95, so most of the measured time was spent waiting to be sent (a worker's next request waits for its previous answer, or the replayer fell behind).`,
    figures: { latenessP95Ms: late, responseP95Ms: resp },
    anchor: '#chart-latency',
  };
}

/** The replayer's event loop lagged or was saturated, or it sent events late on its own: its timings are inflated. */
function replayerBottleneck(report: Report): Finding | null {
  const r = report.run.replayer;
  if (!r?.bottleneck) return null;
  return {
    id: 'replayer-bottleneck', severity: 'warning',
    text: `The replayer itself was a bottleneck (sheetsim, not the target): ${replayerFigures(r)}. Its lateness and latencies include its own delay: lower the rate (--speed), or give it more cores (--threads).`,
    figures: {
      eventLoopDelayP99Ms: r.eventLoopDelayP99Ms, eventLoopDelayMaxMs: r.eventLoopDelayMaxMs,
      ...(r.saturatedShare !== undefined ? { saturatedShare: r.saturatedShare } : {}),
      ...(r.eventLoopUtilization !== undefined ? { eventLoopUtilization: r.eventLoopUtilization } : {}),
      ...(r.sendLagP99Ms !== undefined ? { sendLagP99Ms: r.sendLagP99Ms } : {}),
      ...(r.sendLagMaxMs !== undefined ? { sendLagMaxMs: r.sendLagMaxMs } : {}),
    },
    anchor: '#chart-latency',
  };
}

/** Sheets writes against the per-minute quota: the usual limit of a Sheets-backed backend. */
function writeQuota(report: Report): Finding | null {
  const sh = report.sheets;
  if (!sh.available || sh.quotaPerMinute <= 0) return null;
  const q = sh.quotaPerMinute;
  const peak = sh.writes.peakPerMinute;
  const ratio = peak / q;
  const n429 = sh.status429;
  const perMinute = perSlidingMinute(report.timeline, (p) => p.sheetsWrites);
  const overAt = perMinute.findIndex((v) => v > q);
  const fromS = overAt >= 0 ? report.timeline[overAt]!.s : null;
  const admitted = sh.writesAdmitted?.peakPerMinute;
  const perf05 = report.gates.find((g) => g.id === 'PERF-05');
  const figures: Record<string, number | string> = { peakWritesPerMinute: peak, quotaPerMinute: q, ratio: round(ratio, 2), status429: n429 };
  if (fromS !== null) figures.fromS = fromS;
  if (admitted !== undefined) figures.peakAdmittedPerMinute = admitted;
  if (ratio > 1) {
    const worst = worstOperation(report);
    if (worst) Object.assign(figures, { worstOperation: worst.op, worstOperationShare: round(worst.share, 3), worstOperationStatus: worst.status });
    const text = `Sheets write quota limits this backend: writes asked ${ratio.toFixed(1)}× the ${q}/min quota`
      + ` (peak ${fmtInt(peak)}/min${fromS !== null ? `, over the quota from s = ${fromS}` : ''})`
      + (admitted !== undefined ? `; Google admitted at most ${fmtInt(admitted)}/min` : '')
      + (n429 > 0 ? `; ${fmtInt(n429)} 429s` : '; no 429s (the mock did not enforce the quota)')
      + (worst ? `; ${pct(worst.share)} of ${worst.op}s answered ${worst.status}` : '') + '.';
    return { id: 'quota-saturation', severity: 'critical', text, figures, anchor: '#chart-writes' };
  }
  if (n429 > 0) {
    return {
      id: 'quota-saturation', severity: 'warning',
      text: `Sheets answered ${fmtInt(n429)} 429s although writes peaked at ${fmtInt(peak)}/min (${pct(ratio)} of the ${q}/min quota): another quota (reads, per project) or bursts within the minute.`,
      figures, anchor: '#chart-writes',
    };
  }
  if (ratio < 0.5 && !(perf05 && !perf05.pass)) return null;
  return {
    id: 'quota-headroom', severity: 'info',
    text: `Sheets writes peaked at ${fmtInt(peak)}/min: ${pct(ratio)} of the ${q}/min quota, no 429s`
      + (perf05 ? `; PERF-05 wants < ${perf05.threshold}/min (${perf05.pass ? 'met' : 'missed'})` : '') + '.',
    figures, anchor: '#chart-writes',
  };
}

/** Sheets reads against their own per-minute quota. */
function readQuota(report: Report): Finding | null {
  const sh = report.sheets;
  if (!sh.available || sh.quotaPerMinute <= 0 || sh.reads.peakPerMinute <= sh.quotaPerMinute) return null;
  const ratio = sh.reads.peakPerMinute / sh.quotaPerMinute;
  return {
    id: 'read-quota-saturation', severity: 'critical',
    text: `Sheets read quota limits this backend: reads asked ${ratio.toFixed(1)}× the ${sh.quotaPerMinute}/min quota (peak ${fmtInt(sh.reads.peakPerMinute)}/min).`,
    figures: { peakReadsPerMinute: sh.reads.peakPerMinute, quotaPerMinute: sh.quotaPerMinute, ratio: round(ratio, 2) },
    anchor: '#chart-writes',
  };
}

/** 5xx answers when no quota explains them (the quota finding already quotes its 5xx share). */
function serverErrors(report: Report): Finding | null {
  const n = sumStatuses(report.totals.statuses, is5xx);
  if (n === 0 || report.totals.requests === 0) return null;
  if (report.sheets.available && report.sheets.writes.peakPerMinute > report.sheets.quotaPerMinute) return null;
  const share = n / report.totals.requests;
  const worst = worstOperation(report);
  return {
    id: 'server-errors', severity: share >= 0.01 ? 'warning' : 'info',
    text: `${fmtInt(n)} requests (${pct(share)}) answered 5xx` + (worst ? `; worst: ${pct(worst.share)} of ${worst.op}s answered ${worst.status}` : '') + '.',
    figures: { status5xx: n, share: round(share, 3), ...(worst ? { worstOperation: worst.op, worstOperationShare: round(worst.share, 3) } : {}) },
    anchor: '#chart-errors',
  };
}

/** When the 429s came: one long stretch (saturation) or bursts (a batch, a retry storm). */
function status429Bursts(report: Report): Finding | null {
  const tl = report.timeline;
  const total = tl.reduce((a, p) => a + p.status429, 0);
  if (total === 0) return null;
  // Seconds with 429s, merged when at most 5 s apart: one merged stretch is one burst.
  const bursts: { from: number; to: number; n: number; peak: number }[] = [];
  for (const p of tl) {
    if (p.status429 === 0) continue;
    const last = bursts.at(-1);
    if (last && p.s - last.to <= 5) {
      last.to = p.s;
      last.n += p.status429;
      last.peak = Math.max(last.peak, p.status429);
    } else bursts.push({ from: p.s, to: p.s, n: p.status429, peak: p.status429 });
  }
  const largest = bursts.reduce((a, b) => (b.n > a.n ? b : a));
  const peak = Math.max(...bursts.map((b) => b.peak));
  const text = bursts.length === 1
    ? `Sheets 429s came in one stretch from s = ${largest.from} to s = ${largest.to}: ${fmtInt(total)} in ${fmtInt(largest.to - largest.from + 1)} s, up to ${fmtInt(peak)} a second.`
    : `Sheets 429s came in ${bursts.length} bursts; the largest, ${fmtInt(largest.n)} 429s, from s = ${largest.from} to s = ${largest.to}; up to ${fmtInt(peak)} a second.`;
  return {
    id: '429-bursts', severity: 'warning', text,
    figures: { status429: total, bursts: bursts.length, largestFromS: largest.from, largestToS: largest.to, largest: largest.n, peakPerSecond: peak },
    anchor: '#chart-errors',
  };
}

/** The cold-start window found in the timeline, also used by the latency chart to shade it. */
export function coldStart(report: Report): { peakP95Ms: number; peakS: number; laterMedianP95Ms: number; settledAtS: number | null; writesPerMinuteAtPeak: number; requests: number } | null {
  const tl = report.timeline;
  const start = tl[0]?.s ?? 0;
  const early = tl.filter((p) => p.requests > 0 && p.s < start + WARMUP_WINDOW_S);
  const later = tl.filter((p) => p.requests > 0 && p.s >= start + WARMUP_WINDOW_S);
  if (early.length === 0 || later.length < 10) return null;
  const base = median(later.map((p) => p.p95));
  const peakPoint = early.reduce((a, p) => (p.p95 > a.p95 ? p : a));
  // Worst at the start by a clear margin: three times the usual p95 and half a second more.
  if (peakPoint.p95 < Math.max(3 * base, base + 500)) return null;
  const settleBelow = Math.max(2 * base, base + 250);
  const settled = tl.find((p) => p.s > peakPoint.s && p.requests > 0 && p.p95 <= settleBelow);
  const perMinute = perSlidingMinute(tl, (p) => p.sheetsWrites);
  const until = settled?.s ?? start + WARMUP_WINDOW_S;
  return {
    peakP95Ms: peakPoint.p95, peakS: peakPoint.s, laterMedianP95Ms: base, settledAtS: settled?.s ?? null,
    writesPerMinuteAtPeak: perMinute[tl.indexOf(peakPoint)] ?? 0,
    requests: tl.filter((p) => p.s < until).reduce((a, p) => a + p.requests, 0),
  };
}

/** Latency worst at the start: a cold start, to be told apart from the quota. */
function warmup(report: Report): Finding | null {
  const c = coldStart(report);
  if (!c) return null;
  const explicit = report.run.warmup;
  const text = `Latency was worst at the start: p95 up to ${fmtMs(c.peakP95Ms)} at s = ${c.peakS}`
    + (c.settledAtS !== null ? `, settling by s = ${c.settledAtS}` : '') + ` (${fmtInt(c.requests)} request${c.requests === 1 ? '' : 's'} before that;`
    + ` median p95 after the first minute ${fmtMs(c.laterMedianP95Ms)}), while Sheets writes ran at ${fmtInt(c.writesPerMinuteAtPeak)}/min`
    + ` — a cold start${explicit ? ' despite the warm-up' : ''}, not the quota.`;
  // A cold start paid by a handful of requests is worth knowing, not worth a warning.
  const severity = c.requests >= Math.max(5, 0.01 * report.totals.requests) ? 'warning' : 'info';
  return {
    id: 'warmup', severity, text,
    figures: { peakP95Ms: c.peakP95Ms, peakS: c.peakS, laterMedianP95Ms: c.laterMedianP95Ms, settledAtS: c.settledAtS ?? 'never', writesPerMinuteAtPeak: c.writesPerMinuteAtPeak, requests: c.requests },
    anchor: '#chart-latency',
  };
}

/** The warm-up sheetsim ran before trace t = 0, so the first events do not pay the target's cold start. */
function explicitWarmup(report: Report): Finding | null {
  const w = report.run.warmup;
  if (!w) return null;
  const failed = w.status !== null && (w.status < 200 || w.status >= 300);
  return {
    id: 'explicit-warmup', severity: failed ? 'warning' : 'info',
    text: `A warm-up ran before trace t = 0: ${fmtMs(w.ms)}, ${fmtInt(w.sheetsCalls)} Sheets calls${w.status !== null ? `, answered ${w.status}` : ''}${failed ? ' (failed: the first events may still pay the cold start)' : ''}; not counted in the figures.`,
    figures: { ms: w.ms, sheetsCalls: w.sheetsCalls, status: w.status ?? 'none' },
    anchor: '#chart-latency',
  };
}

/** Where a scenario's time went, in words, from responseParts when present, else from what every report has. */
function whySlow(s: ScenarioReport): { why: string; figures: Record<string, number | string> } {
  const parts = s.responseParts;
  if (parts) {
    const shares = { 'Sheets calls': parts.sheets.mean, 'waits (back-off, Retry-After)': parts.waits.mean, 'the backend\'s compute': parts.compute.mean };
    const total = Object.values(shares).reduce((a, b) => a + b, 0);
    if (total > 0) {
      const [top] = Object.entries(shares).sort(([, a], [, b]) => b - a);
      return {
        why: `mostly ${top![0]}: Sheets ${pct(parts.sheets.mean / total)} of its mean time (p95 ${fmtMs(parts.sheets.p95)}), waits ${pct(parts.waits.mean / total)} (p95 ${fmtMs(parts.waits.p95)}), compute ${pct(parts.compute.mean / total)} (p95 ${fmtMs(parts.compute.p95)})`,
        figures: { sheetsShare: round(parts.sheets.mean / total, 3), waitsShare: round(parts.waits.mean / total, 3), computeShare: round(parts.compute.mean / total, 3) },
      };
    }
  }
  if (s.lateness.p95 >= s.serviceTime.p95) {
    return { why: `mostly waiting to be sent: lateness p95 ${fmtMs(s.lateness.p95)} against service time p95 ${fmtMs(s.serviceTime.p95)}`, figures: { latenessP95Ms: s.lateness.p95, serviceP95Ms: s.serviceTime.p95 } };
  }
  const calls = s.sheetsCalls ? `, ${s.sheetsCalls.mean.toFixed(1)} Sheets calls per request (max ${s.sheetsCalls.max})` : '';
  const f5 = s.byStatusClass['5xx'];
  const f2 = s.byStatusClass['2xx'];
  const fails = f5 && f5.count >= Math.max(1, 0.1 * s.count) ? `; its ${fmtInt(f5.count)} 5xx answers took p95 ${fmtMs(f5.p95)}${f2 ? ` against ${fmtMs(f2.p95)} for 2xx` : ''}` : '';
  return { why: `in the backend: service time p95 ${fmtMs(s.serviceTime.p95)}${calls}${fails}`, figures: { serviceP95Ms: s.serviceTime.p95, ...(s.sheetsCalls ? { sheetsCallsMean: round(s.sheetsCalls.mean, 2) } : {}) } };
}

/** The scenario with the highest p95, and why. */
function slowestScenario(report: Report): Finding | null {
  const all = Object.entries(report.scenarios).filter(([, s]) => s.count > 0);
  if (all.length === 0) return null;
  // A p95 of a handful of events is a maximum: prefer scenarios with at least 10 when there are any.
  const pool = all.some(([, s]) => s.count >= 10) ? all.filter(([, s]) => s.count >= 10) : all;
  const [name, s] = pool.reduce((a, b) => (b[1].responseTime.p95 > a[1].responseTime.p95 || (b[1].responseTime.p95 === a[1].responseTime.p95 && b[0] < a[0]) ? b : a));
  const { why, figures } = whySlow(s);
  return {
    id: 'slowest-scenario', severity: s.responseTime.p95 >= 1000 ? 'warning' : 'info',
    text: `Slowest scenario: ${name}, p95 ${fmtMs(s.responseTime.p95)} over ${fmtInt(s.count)} events; ${why}.`,
    figures: { scenario: name, p95Ms: s.responseTime.p95, count: s.count, ...figures },
    anchor: '#scenarios',
  };
}

/** `200 COMPLETAR → 503`: one kind of expect mismatch. */
export function mismatchKind(x: Report['expectations']['examples'][number]): string {
  const exp = `${x.expected.status}${x.expected.action_taken ? ` ${x.expected.action_taken}` : ''}`;
  const act = `${x.actual.status ?? 'error'}${x.actual.action_taken ? ` ${x.actual.action_taken}` : ''}`;
  return `${exp} → ${act}`;
}

/** Events that missed the trace's expect, by scenario and by kind. */
function expectMismatches(report: Report): Finding | null {
  const { checked, mismatches, examples } = report.expectations;
  if (mismatches === 0) return null;
  const share = checked > 0 ? mismatches / checked : 1;
  const byScenario = Object.entries(report.scenarios).filter(([, s]) => s.expectMismatches > 0)
    .sort(([a, x], [b, y]) => y.expectMismatches - x.expectMismatches || a.localeCompare(b));
  const kinds = new Map<string, number>();
  for (const x of examples) kinds.set(mismatchKind(x), (kinds.get(mismatchKind(x)) ?? 0) + 1);
  const kindList = [...kinds].sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  // report.json keeps only the first examples, so kinds are counted among those and said so.
  const kindText = kindList.length === 0 ? '' : `; kinds among the ${examples.length} examples kept: ${kindList.slice(0, 4).map(([k, n]) => `${k} ×${n}`).join(', ')}`;
  return {
    id: 'expect-mismatches', severity: share >= 0.01 ? 'warning' : 'info',
    text: `${fmtInt(mismatches)} of ${fmtInt(checked)} events (${pct(share)}) were answered otherwise than the trace expected; most in ${byScenario.slice(0, 3).map(([n, s]) => `${n} ${fmtInt(s.expectMismatches)}`).join(', ')}${kindText}.`,
    figures: { mismatches, checked, share: round(share, 3), ...(kindList[0] ? { topKind: kindList[0][0] } : {}), ...(byScenario[0] ? { topScenario: byScenario[0][0] } : {}) },
    anchor: '#mismatches',
  };
}

/** PERF gates that failed, with their values, so "nothing limits this run" is never said next to a failed gate. */
function failedGates(report: Report): Finding | null {
  const failed = report.gates.filter((g) => !g.pass);
  if (failed.length === 0) return null;
  return {
    id: 'failed-gates', severity: 'warning',
    text: `${failed.length} of ${report.gates.length} PERF gates failed: ${failed.map((g) => `${g.id} ${fmtGateValue(g)} (needs ${g.comparator} ${g.threshold}${g.unit === 'ms' ? ' ms' : ` ${g.unit}`})`).join(', ')}.`,
    figures: { failed: failed.length, gates: report.gates.length, ids: failed.map((g) => g.id).join(' ') },
    anchor: '#gates',
  };
}

/** Nothing flagged: say so with the figures that show it. */
function healthy(report: Report): Finding {
  const t = report.totals;
  const sh = report.sheets;
  return {
    id: 'healthy', severity: 'info',
    text: `Nothing limits this run: ${pct(t.successRate)} success, p95 ${fmtMs(t.responseTime.p95)}`
      + (sh.available ? `, Sheets writes peak ${fmtInt(sh.writes.peakPerMinute)}/min (${pct(sh.writeUtilisation)} of the ${sh.quotaPerMinute}/min quota), ${fmtInt(sh.status429)} 429s` : ', no Sheets call log') + '.',
    figures: { successRate: round(t.successRate, 4), p95Ms: t.responseTime.p95, peakWritesPerMinute: sh.writes.peakPerMinute, status429: sh.status429 },
    anchor: '#summary',
  };
}
