/**
 * Compares two sides of the same trace — each one or more report folders (runs of one build) — and gives a verdict.
 * Facts first (exact mode: digest, first divergent event, statuses, Sheets calls per scenario and per method,
 * any change of which is the code's doing), then measurements with a test across runs (realtime latency,
 * realtime counts) or across paired events (exact-mode compute time). See docs/ci.md "How the verdict is made".
 */
import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import seedrandom from 'seedrandom';
import { InputError } from '../errors.ts';
import type { Report } from '../report/model.ts';
import { replayerFigures } from '../report/terminal.ts';
import { holdsAcrossRuns, meanOf } from './across-runs.ts';
import { quantile } from './bootstrap.ts';
import { hierarchicalBootstrap, minEventsFor, testableQuantile } from './hierarchical.ts';
import type { ComputeDiff, DiffMethod, DiffResult, DiffSide, Finding, LatencyDiff, Quantiles, ScenarioDiff } from './model.ts';
import { pairEvents } from './pairs.ts';
import { type RunData, type Side, incompatibility, invalidRun, readSide } from './runs.ts';
import { signedRankTest } from './signed-rank.ts';

export interface DiffOptions {
  /** Largest tolerated significant latency increase, as a fraction (0.10). */
  maxRegression: number;
  /** Family-wise two-sided level, split across the tests (Bonferroni). */
  alpha: number;
  /** Smallest relative change reported as significant (0.05). */
  minEffect: number;
  resamples: number;
  seed: number;
  /** Realtime latency is tested only with at least this many runs per side. */
  minRuns: number;
  /** In exact mode, any digest change is a regression (otherwise only events answered worse are). */
  strictDigest: boolean;
  /** Compare runs made with different mode, speed, latency, quota or profile (never a different trace). */
  force: boolean;
}

export const DEFAULT_DIFF_OPTIONS: DiffOptions = { maxRegression: 0.1, alpha: 0.01, minEffect: 0.05, resamples: 2000, seed: 1, minRuns: 3, strictDigest: false, force: false };

export const TEST_NAME = 'hierarchical bootstrap over runs and events (Saravanan et al. 2020), normal interval, Bonferroni across tests';
/** Realtime Sheets calls per operation: a regression only when it holds across runs by at least this much. */
export const CALLS_MIN_ABS = 0.5;
/**
 * Exact-mode compute time: the smallest paired shift (ms) that can be significant. Compute is measured wall time,
 * and a loaded machine moves it by a few ms between runs of the same build; on a scenario answered in ~0 ms of
 * modelled time (a 403 with no Sheets call) such a shift is a large share of its p50 and was flagged in A/A runs.
 */
export const COMPUTE_MIN_SHIFT_MS = 10;

/** Read both sides, check they can be compared, and compare them. */
export async function diffRuns(baseDirs: string | string[], headDirs: string | string[], options: DiffOptions = DEFAULT_DIFF_OPTIONS): Promise<DiffResult> {
  const base = await readSide(typeof baseDirs === 'string' ? [baseDirs] : baseDirs);
  const head = await readSide(typeof headDirs === 'string' ? [headDirs] : headDirs);
  const why = incompatibility(base, head, options.force);
  if (why) throw new InputError(why);
  return diffSides(base, head, options);
}

/** Compare two sides already read. */
export async function diffSides(base: Side, head: Side, options: DiffOptions): Promise<DiffResult> {
  const b0 = base.runs[0]!;
  const h0 = head.runs[0]!;
  const exact = b0.report.run.mode === 'exact' && h0.report.run.mode === 'exact';
  const pairing = await pairEvents(b0.dir, h0.dir, base.events);
  const names = [...new Set([...base.runs, ...head.runs].flatMap((r) => Object.keys(r.report.scenarios)))].sort();

  // Which scenarios get which test decides the Bonferroni split, so plan the tests first.
  const plans = names.map((name) => ({ name, latency: latencyPlan(name, base, head, exact, options), compute: exact ? computePairs(name, base, head) : null }));
  const comparisons = plans.reduce((a, p) => a + (p.latency.q !== null ? 1 : 0) + (p.compute && p.compute.d.length >= 10 ? 1 : 0), 0);
  const alphaPer = options.alpha / Math.max(1, comparisons);
  const method: DiffMethod = {
    test: exact ? 'exact mode: facts compared as facts; modelled latency by an event bootstrap; compute time by a paired Wilcoxon signed-rank test (Bonferroni across tests)' : TEST_NAME,
    alpha: options.alpha, comparisons, alphaPerComparison: alphaPer, resamples: options.resamples, seed: options.seed,
    minEffect: options.minEffect, maxRegression: options.maxRegression, minRuns: options.minRuns,
  };
  const scenarios: ScenarioDiff[] = plans.map((p) => {
    const b = b0.report.scenarios[p.name];
    const h = h0.report.scenarios[p.name];
    return {
      name: p.name,
      base: sideCounts(b),
      head: sideCounts(h),
      sheetsCalls: {
        base: b?.sheetsCalls?.mean ?? null, head: h?.sheetsCalls?.mean ?? null, baseMax: b?.sheetsCalls?.max ?? null, headMax: h?.sheetsCalls?.max ?? null,
        perRun: { base: callsPerRun(base, p.name), head: callsPerRun(head, p.name) },
        byMethod: methodsPerOp(b, h),
      },
      // Each scenario gets its own RNG stream so adding a scenario does not change the others' intervals.
      latency: runLatency(p.latency, options, alphaPer, seedrandom(`${options.seed}:${p.name}`)),
      compute: p.compute ? computeDiff(p.compute, p.name, b0, alphaPer, options) : null,
    };
  });
  const methods = [...new Set([...Object.keys(b0.report.sheets.byMethod), ...Object.keys(h0.report.sheets.byMethod)])].sort();
  const digestSame = b0.report.digest && h0.report.digest ? b0.report.digest === h0.report.digest : null;
  const workbookSame = b0.report.workbookDigest && h0.report.workbookDigest ? b0.report.workbookDigest === h0.report.workbookDigest : null;
  let request: { method: string; path: string; body?: unknown } | null = null;
  if (pairing.first) request = await traceRequest(resolve(b0.report.trace.path), pairing.first.seq);
  const result: DiffResult = {
    base: side(base),
    head: side(head),
    mode: exact ? 'exact' : 'realtime',
    trace: { sha256: b0.report.trace.sha256, events: b0.report.trace.events, path: b0.report.trace.path },
    digestSame,
    workbookSame,
    paired: pairing.paired,
    onlyBase: pairing.onlyBase,
    onlyHead: pairing.onlyHead,
    divergent: pairing.divergent,
    worse: pairing.worse,
    better: pairing.better,
    firstDivergence: pairing.first ? { ...pairing.first, request } : null,
    scenarios,
    sheets: {
      available: b0.report.sheets.available && h0.report.sheets.available,
      byMethod: Object.fromEntries(methods.map((m) => [m, { base: b0.report.sheets.byMethod[m]?.count ?? 0, head: h0.report.sheets.byMethod[m]?.count ?? 0 }])),
      calls: { base: b0.report.sheets.calls, head: h0.report.sheets.calls },
      peakWritesPerMinute: { base: b0.report.sheets.writes.peakPerMinute, head: h0.report.sheets.writes.peakPerMinute },
      status429: { base: b0.report.sheets.status429, head: h0.report.sheets.status429 },
    },
    errors: { base: errorCount(b0.report.totals.statuses), head: errorCount(h0.report.totals.statuses) },
    expectMismatches: { base: b0.report.expectations.mismatches, head: h0.report.expectations.mismatches },
    method,
    findings: [],
    invalid: [...base.runs, ...head.runs].map(invalidRun).filter((x): x is string => x !== null),
    verdict: 'ok',
  };
  result.findings = findings(result, base, head, options);
  result.verdict = result.invalid.length > 0 ? 'invalid' : result.findings.some((f) => f.kind === 'regression') ? 'regression' : 'ok';
  return result;
}

// ---- latency -------------------------------------------------------------------------------------------------

interface LatencyPlan {
  kind: 'realtime' | 'modelled';
  base: Float64Array[];
  head: Float64Array[];
  q: 0.95 | 0.5 | null;
  note?: string;
  /** Exact mode with identical modelled times: nothing to test. */
  identical: boolean;
}

/** The events of one scenario, per run, from a per-seq array. */
function scenarioValues(run: RunData, name: string, values: Float64Array): Float64Array {
  const out: number[] = [];
  for (let seq = 0; seq < values.length; seq++) if (run.scenario[seq] === name && !Number.isNaN(values[seq]!)) out.push(values[seq]!);
  return Float64Array.from(out);
}

function latencyPlan(name: string, base: Side, head: Side, exact: boolean, o: DiffOptions): LatencyPlan {
  if (exact) {
    // Exact runs of one build give the same modelled times; the first run of each side stands for the side.
    const b = [scenarioValues(base.runs[0]!, name, base.runs[0]!.modelledMs)];
    const h = [scenarioValues(head.runs[0]!, name, head.runs[0]!.modelledMs)];
    const identical = b[0]!.length === h[0]!.length && b[0]!.every((v, i) => v === h[0]![i]);
    const q = identical ? null : testableQuantile(Math.min(b[0]!.length, h[0]!.length));
    return { kind: 'modelled', base: b, head: h, q, identical, ...(q === null && !identical ? { note: 'too few events' } : {}) };
  }
  const b = base.runs.map((r) => scenarioValues(r, name, r.responseMs));
  const h = head.runs.map((r) => scenarioValues(r, name, r.responseMs));
  const n = Math.min(b.reduce((a, r) => a + r.length, 0), h.reduce((a, r) => a + r.length, 0));
  if (base.runs.length < o.minRuns || head.runs.length < o.minRuns) {
    return { kind: 'realtime', base: b, head: h, q: null, identical: false, note: `not tested: ${base.runs.length} vs ${head.runs.length} runs; realtime latency needs ≥ ${o.minRuns} runs per side (sheetsim compare, or several folders per side)` };
  }
  const q = testableQuantile(n);
  return { kind: 'realtime', base: b, head: h, q, identical: false, ...(q === null ? { note: 'too few events' } : {}) };
}

function quantiles(runs: Float64Array[]): Quantiles {
  const all = Float64Array.from(runs.flatMap((r) => Array.from(r)));
  const at = (q: number) => (all.length >= minEventsFor(q) ? quantile(all, q) : null);
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

function runLatency(p: LatencyPlan, o: DiffOptions, alpha: number, rng: () => number): LatencyDiff {
  const qb = quantiles(p.base);
  const qh = quantiles(p.head);
  const rel = (x: number | null, y: number | null) => (x === null || y === null ? null : x > 0 ? y / x - 1 : y > 0 ? Infinity : 0);
  const change: Quantiles = { p50: rel(qb.p50, qh.p50), p95: rel(qb.p95, qh.p95), p99: rel(qb.p99, qh.p99) };
  const count = (runs: Float64Array[]) => runs.reduce((a, r) => a + r.length, 0);
  const perRun = { base: p.base.map((r) => quantiles([r])), head: p.head.map((r) => quantiles([r])) };
  const common = { perRun, kind: p.kind, n: { base: count(p.base), head: count(p.head) }, runs: { base: p.base.length, head: p.head.length }, base: qb, head: qh, change };
  if (p.identical) return { ...common, tested: null, ci: null, significant: false, note: 'identical modelled times' };
  if (p.q === null) return { ...common, tested: null, ci: null, significant: false, ...(p.note ? { note: p.note } : {}) };
  const boot = hierarchicalBootstrap(p.base, p.head, { q: p.q, resamples: o.resamples, alpha, rng });
  return {
    ...common, tested: p.q === 0.95 ? 'p95' : 'p50', ci: { low: boot.low, high: boot.high },
    significant: boot.significant && Math.abs(boot.change) >= o.minEffect, ...(p.q === 0.5 ? { note: `p50 tested: fewer than ${minEventsFor(0.95)} events for a p95` } : {}),
  };
}

// ---- exact-mode compute time ---------------------------------------------------------------------------------

/** Per seq, the median over a side's runs (NaN where no run has it). */
function medianPerSeq(side: Side, pick: (r: RunData) => Float64Array): Float64Array {
  const out = new Float64Array(side.events).fill(NaN);
  const vals: number[] = [];
  for (let seq = 0; seq < side.events; seq++) {
    vals.length = 0;
    for (const r of side.runs) {
      const v = pick(r)[seq]!;
      if (!Number.isNaN(v)) vals.push(v);
    }
    if (vals.length === 0) continue;
    vals.sort((a, b) => a - b);
    const m = vals.length >> 1;
    out[seq] = vals.length % 2 ? vals[m]! : (vals[m - 1]! + vals[m]!) / 2;
  }
  return out;
}

const medianCache = new WeakMap<Side, Float64Array>();
function computeMedians(side: Side): Float64Array {
  let m = medianCache.get(side);
  if (!m) medianCache.set(side, (m = medianPerSeq(side, (r) => r.computeMs)));
  return m;
}

function computePairs(name: string, base: Side, head: Side): { d: number[]; b: number[]; h: number[] } | null {
  if (!base.runs.some((r) => r.hasCompute) || !head.runs.some((r) => r.hasCompute)) return null;
  const mb = computeMedians(base);
  const mh = computeMedians(head);
  const d: number[] = [];
  const b: number[] = [];
  const h: number[] = [];
  const scen = base.runs[0]!.scenario;
  for (let seq = 0; seq < base.events; seq++) {
    if (scen[seq] !== name || Number.isNaN(mb[seq]!) || Number.isNaN(mh[seq]!)) continue;
    d.push(mh[seq]! - mb[seq]!);
    b.push(mb[seq]!);
    h.push(mh[seq]!);
  }
  return { d, b, h };
}

function computeDiff(p: { d: number[]; b: number[]; h: number[] }, name: string, b0: RunData, alpha: number, o: DiffOptions): ComputeDiff {
  const test = signedRankTest(p.d);
  const response = scenarioValues(b0, name, b0.responseMs);
  const p50 = response.length ? quantile(response, 0.5) : 0;
  const relative = p50 > 0 ? test.shift / p50 : 0;
  const med = (v: number[]) => (v.length ? quantile(v, 0.5) : 0);
  return { pairs: p.d.length, base: med(p.b), head: med(p.h), shift: test.shift, relative, p: test.p, significant: p.d.length >= 10 && test.p < alpha && Math.abs(relative) >= o.minEffect && Math.abs(test.shift) >= COMPUTE_MIN_SHIFT_MS };
}

// ---- counts ----------------------------------------------------------------------------------------------------

function callsPerRun(side: Side, name: string): number[] {
  return side.runs.map((r) => r.report.scenarios[name]?.sheetsCalls?.mean).filter((x): x is number => typeof x === 'number');
}

function methodsPerOp(b: Report['scenarios'][string] | undefined, h: Report['scenarios'][string] | undefined): Record<string, { base: number; head: number }> {
  const per = (s: typeof b, m: string) => (s?.sheetsCalls && s.count > 0 ? (s.sheetsCalls.byMethod[m] ?? 0) / s.count : 0);
  const ms = [...new Set([...Object.keys(b?.sheetsCalls?.byMethod ?? {}), ...Object.keys(h?.sheetsCalls?.byMethod ?? {})])].sort();
  return Object.fromEntries(ms.map((m) => [m, { base: per(b, m), head: per(h, m) }]));
}

/** "+1 values.get, −0.5 values.append" per operation. */
function methodDelta(byMethod: Record<string, { base: number; head: number }>): string {
  return Object.entries(byMethod)
    .filter(([, v]) => Math.abs(v.head - v.base) > 1e-9)
    .map(([m, v]) => `${v.head > v.base ? '+' : '−'}${fmt(Math.abs(v.head - v.base))} ${m}`)
    .join(', ');
}

// ---- findings --------------------------------------------------------------------------------------------------

const pct = (x: number) => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%` : x > 0 ? '+∞' : '−∞');

function findings(r: DiffResult, base: Side, head: Side, o: DiffOptions): Finding[] {
  const out: Finding[] = [];
  for (const why of r.invalid) out.push({ kind: 'change', text: `no verdict: ${why}` });
  const exact = r.mode === 'exact';
  // Realtime latencies include the replayer's own lateness when it was a bottleneck (exact mode models them).
  if (!exact) {
    for (const run of [...base.runs, ...head.runs]) {
      const h = run.report.run.replayer;
      if (h?.bottleneck) out.push({ kind: 'change', text: `${run.dir}: the replayer itself was a bottleneck (${replayerFigures(h)}): its latencies include sheetsim's own delay, so a latency change between the sides may be sheetsim's, not the build's` });
    }
  }
  if (exact) {
    for (const [name, s] of [['base', base], ['head', head]] as const) {
      const digests = new Set(s.runs.map((x) => x.report.digest));
      if (digests.size > 1) out.push({ kind: 'change', text: `the ${s.runs.length} exact runs of ${name} disagree (${digests.size} digests): the build is not deterministic` });
    }
  }
  if (r.digestSame === false) {
    const why = [r.divergent > 0 ? `${r.divergent} events answered differently` : '', r.workbookSame === false ? 'the final workbook differs' : ''].filter(Boolean).join(' and ') || 'only the Sheets call pattern differs';
    // The workbook holds timestamps from the (virtual) clock, which a different call pattern moves, and answers can
    // change for the better: by default only answers that got worse are a regression.
    out.push({ kind: o.strictDigest ? 'regression' : 'change', text: `outcome digest changed: ${why}` });
    if (r.worse > 0) out.push({ kind: 'regression', text: `${r.worse} events answered worse (an expect met in base is missed, or a worse status class)` });
    if (r.better > 0) out.push({ kind: 'improvement', text: `${r.better} events answered better` });
  } else if (r.digestSame === null && r.divergent > 0) {
    out.push({ kind: 'change', text: `${r.divergent} events answered differently between the first runs (realtime: event order can change answers)` });
  }
  const untested = r.scenarios.find((s) => s.latency?.note?.startsWith('not tested'));
  if (untested) out.push({ kind: 'change', text: `latency ${untested.latency!.note}` });

  for (const s of r.scenarios) {
    const { base: cb, head: ch, perRun, byMethod } = s.sheetsCalls;
    if (cb !== null && ch !== null) {
      const delta = methodDelta(byMethod);
      const text = `${s.name}: Sheets calls per operation ${fmt(cb)} → ${fmt(ch)}${delta ? ` (${delta} per operation)` : ''}`;
      if (exact) {
        // Exact mode is deterministic: any change in calls per operation is the code's doing.
        if (ch > cb + 1e-9) out.push({ kind: 'regression', text });
        else if (ch < cb - 1e-9) out.push({ kind: 'improvement', text });
      } else {
        const dir = holdsAcrossRuns(perRun.base, perRun.head, CALLS_MIN_ABS);
        const runsText = `${s.name}: Sheets calls per operation ${fmt(meanOf(perRun.base))} → ${fmt(meanOf(perRun.head))} over ${perRun.base.length} + ${perRun.head.length} runs`;
        if (dir === 'up') out.push({ kind: 'regression', text: `${runsText}${delta ? ` (first runs: ${delta} per operation)` : ''}, in every run` });
        else if (dir === 'down') out.push({ kind: 'improvement', text: `${runsText}, in every run` });
        else if (Math.abs(meanOf(perRun.head) - meanOf(perRun.base)) > 0.02 * Math.max(meanOf(perRun.base), 1e-9)) {
          out.push({ kind: 'change', text: `${runsText} (does not hold across runs: event order and quota timing)` });
        }
      }
    }
    const l = s.latency;
    if (l?.significant && l.tested) {
      const c = l.change[l.tested]!;
      const what = `${s.name}: ${l.kind === 'modelled' ? 'modelled ' : ''}${l.tested} ${fmtMs(l.base[l.tested]!)} → ${fmtMs(l.head[l.tested]!)} (${pct(c)}`;
      if (c > o.maxRegression) out.push({ kind: 'regression', text: `${what}, above the ${pct(o.maxRegression)} limit)` });
      else if (c > 0) out.push({ kind: 'change', text: `${what}, within the ${pct(o.maxRegression)} limit)` });
      else out.push({ kind: 'improvement', text: `${what})` });
    }
    const cp = s.compute;
    if (cp?.significant) {
      const text = `${s.name}: backend compute time ${fmtMs(cp.base)} → ${fmtMs(cp.head)} (median paired shift ${cp.shift >= 0 ? '+' : ''}${fmtMs(cp.shift)}, ${pct(cp.relative)} of the p50 response time)`;
      if (cp.relative > o.maxRegression) out.push({ kind: 'regression', text: `${text}, above the ${pct(o.maxRegression)} limit` });
      else if (cp.relative > 0) out.push({ kind: 'change', text });
      else out.push({ kind: 'improvement', text });
    }
  }
  const errorsPerRun = (side: Side) => side.runs.map((x) => errorCount(x.report.totals.statuses));
  if (exact) {
    if (r.errors.head > r.errors.base) out.push({ kind: 'regression', text: `errors (5xx and transport) ${r.errors.base} → ${r.errors.head}` });
    else if (r.errors.head < r.errors.base) out.push({ kind: 'improvement', text: `errors (5xx and transport) ${r.errors.base} → ${r.errors.head}` });
  } else {
    const eb = errorsPerRun(base);
    const eh = errorsPerRun(head);
    const dir = holdsAcrossRuns(eb, eh, Math.max(3, 0.005 * r.base.requests));
    const text = `errors (5xx and transport) ${fmt(meanOf(eb))} → ${fmt(meanOf(eh))} per run over ${eb.length} + ${eh.length} runs`;
    if (dir === 'up') out.push({ kind: 'regression', text: `${text}, in every run` });
    else if (dir === 'down') out.push({ kind: 'improvement', text: `${text}, in every run` });
    else if (meanOf(eb) !== meanOf(eh)) out.push({ kind: 'change', text: `${text} (does not hold across runs)` });
  }
  if (r.sheets.status429.head !== r.sheets.status429.base) out.push({ kind: 'change', text: `Sheets 429s ${r.sheets.status429.base} → ${r.sheets.status429.head}${exact ? '' : ' (first runs)'}` });
  if (r.expectMismatches.head !== r.expectMismatches.base) out.push({ kind: 'change', text: `expect mismatches ${r.expectMismatches.base} → ${r.expectMismatches.head}${exact ? '' : ' (first runs)'}` });
  if (r.sheets.peakWritesPerMinute.head !== r.sheets.peakWritesPerMinute.base) out.push({ kind: 'change', text: `peak Sheets writes/min ${r.sheets.peakWritesPerMinute.base} → ${r.sheets.peakWritesPerMinute.head}${exact ? '' : ' (first runs)'}` });
  return out;
}

function sideCounts(s: Report['scenarios'][string] | undefined) {
  return { count: s?.count ?? 0, statuses: s?.statuses ?? {}, errors: s ? errorCount(s.statuses) : 0, expectMismatches: s?.expectMismatches ?? 0 };
}

function errorCount(statuses: Record<string, number>): number {
  return Object.entries(statuses).filter(([k]) => k === 'error' || k.startsWith('5')).reduce((a, [, n]) => a + n, 0);
}

function side(s: Side): DiffSide {
  const r = s.runs[0]!.report;
  return {
    dirs: s.runs.map((x) => x.dir), runId: r.run.id, label: r.run.label, mode: r.run.mode, backendProfile: r.run.target.backendProfile, commit: r.run.target.commit,
    digest: r.digest, workbookDigest: r.workbookDigest, requests: r.totals.requests, runs: s.runs.length,
  };
}

/** The request of one trace event, or null when the trace file is not where the report says. */
async function traceRequest(path: string, seq: number): Promise<{ method: string; path: string; body?: unknown } | null> {
  const prefix = `{"seq":${seq},`;
  try {
    const stream = createReadStream(path, { encoding: 'utf8' });
    await new Promise<void>((ok, fail) => stream.once('open', () => ok()).once('error', fail));
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    try {
      for await (const line of lines) {
        if (line.startsWith(prefix)) return (JSON.parse(line) as { req: { method: string; path: string; body?: unknown } }).req;
      }
    } finally {
      lines.close();
      stream.destroy();
    }
  } catch {
    return null;
  }
  return null;
}

/** A number of calls with up to 2 decimals. */
export function fmt(n: number): string {
  return String(Math.round(n * 100) / 100);
}

/** Milliseconds with one decimal below 100 ms. */
export function fmtMs(ms: number): string {
  return Math.abs(ms) >= 100 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`;
}
