/** Compares two report folders of the same trace: exact facts first, then latency with a paired bootstrap, then a verdict. */
import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import seedrandom from 'seedrandom';
import { InputError } from '../errors.ts';
import type { Report } from '../report/model.ts';
import { readReport } from '../report/read.ts';
import { pairedBlockBootstrap, quantile } from './bootstrap.ts';
import type { DiffMethod, DiffResult, DiffSide, Finding, LatencyDiff, Quantiles, ScenarioDiff } from './model.ts';
import { pairEvents } from './pairs.ts';

export interface DiffOptions {
  /** Largest tolerated significant p95 increase, as a fraction (0.10). */
  maxRegression: number;
  /** Family-wise two-sided level, split across scenarios (Bonferroni). */
  alpha: number;
  /** Smallest relative p95 change reported as significant (0.05). */
  minEffect: number;
  resamples: number;
  seed: number;
  /** Scenarios with fewer paired events are not tested. */
  minPairs: number;
  /** In exact mode, any digest change is a regression (otherwise only events answered differently are). */
  strictDigest: boolean;
}

export const DEFAULT_DIFF_OPTIONS: DiffOptions = { maxRegression: 0.1, alpha: 0.01, minEffect: 0.05, resamples: 2000, seed: 1, minPairs: 10, strictDigest: false };

export const TEST_NAME = 'paired moving-block bootstrap of the p95 ratio (normal interval, Bonferroni across scenarios)';

/** Read both folders, check they replayed the same trace, and compare them. */
export async function diffRuns(baseDir: string, headDir: string, options: DiffOptions = DEFAULT_DIFF_OPTIONS): Promise<DiffResult> {
  const base = await readReport(baseDir);
  const head = await readReport(headDir);
  if (base.trace.sha256 !== head.trace.sha256) {
    throw new InputError(
      `the two runs replayed different traces: ${baseDir} has trace sha256 ${base.trace.sha256} (${base.trace.path}), ` +
        `${headDir} has ${head.trace.sha256} (${head.trace.path}); diff compares two runs of the same trace`,
    );
  }
  const pairing = await pairEvents(baseDir, headDir, base.trace.events);
  const unstable = unstableRegime(base, head);
  const names = [...new Set([...Object.keys(base.scenarios), ...Object.keys(head.scenarios)])].sort();
  const tested = unstable ? [] : names.filter((n) => (pairing.byScenario.get(n)?.base.length ?? 0) >= options.minPairs);
  const alphaPer = options.alpha / Math.max(1, tested.length);
  const method: DiffMethod = {
    test: TEST_NAME, alpha: options.alpha, comparisons: tested.length, alphaPerComparison: alphaPer, resamples: options.resamples,
    seed: options.seed, minEffect: options.minEffect, maxRegression: options.maxRegression, minPairs: options.minPairs,
  };
  const scenarios: ScenarioDiff[] = names.map((name) => {
    const b = base.scenarios[name];
    const h = head.scenarios[name];
    const pairs = pairing.byScenario.get(name);
    return {
      name,
      base: sideCounts(b),
      head: sideCounts(h),
      sheetsCalls: { base: b?.sheetsCalls?.mean ?? null, head: h?.sheetsCalls?.mean ?? null, baseMax: b?.sheetsCalls?.max ?? null, headMax: h?.sheetsCalls?.max ?? null },
      // Each scenario gets its own RNG stream so adding a scenario does not change the others' intervals.
      latency: pairs ? latencyDiff(pairs.base, pairs.head, options, alphaPer, seedrandom(`${options.seed}:${name}`), unstable) : null,
    };
  });
  const methods = [...new Set([...Object.keys(base.sheets.byMethod), ...Object.keys(head.sheets.byMethod)])].sort();
  const digestSame = base.digest && head.digest ? base.digest === head.digest : null;
  const workbookSame = base.workbookDigest && head.workbookDigest ? base.workbookDigest === head.workbookDigest : null;
  let request: { method: string; path: string; body?: unknown } | null = null;
  if (pairing.first) request = await traceRequest(resolve(base.trace.path), pairing.first.seq);
  const result: DiffResult = {
    base: side(baseDir, base),
    head: side(headDir, head),
    trace: { sha256: base.trace.sha256, events: base.trace.events, path: base.trace.path },
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
      available: base.sheets.available && head.sheets.available,
      byMethod: Object.fromEntries(methods.map((m) => [m, { base: base.sheets.byMethod[m]?.count ?? 0, head: head.sheets.byMethod[m]?.count ?? 0 }])),
      calls: { base: base.sheets.calls, head: head.sheets.calls },
      peakWritesPerMinute: { base: base.sheets.writes.peakPerMinute, head: head.sheets.writes.peakPerMinute },
      status429: { base: base.sheets.status429, head: head.sheets.status429 },
    },
    errors: { base: errorCount(base.totals.statuses), head: errorCount(head.totals.statuses) },
    expectMismatches: { base: base.expectations.mismatches, head: head.expectations.mismatches },
    method,
    findings: [],
    verdict: 'ok',
  };
  result.findings = findings(result, options);
  result.verdict = result.findings.some((f) => f.kind === 'regression') ? 'regression' : 'ok';
  return result;
}

/**
 * Why a realtime pair's latencies cannot be compared by one run each, or null. Under quota saturation (429s)
 * latency is dominated by the timing of quota windows and back-off, which shifts whole runs: in A/A pairs of the
 * same build the p95 moved by −27 % to +46 %, a between-run variance that no test over one run's events can see.
 */
export function unstableRegime(base: Report, head: Report): string | null {
  if (base.run.mode === 'exact' && head.run.mode === 'exact') return null;
  const n429 = base.sheets.status429 + head.sheets.status429;
  return n429 > 0 ? `not tested: ${n429} Sheets 429s (quota saturated; compare in exact mode or with --quota off)` : null;
}

/** Quantiles, relative changes and the bootstrap test of one scenario's paired latencies. */
export function latencyDiff(b: Float64Array, h: Float64Array, o: DiffOptions, alpha: number, rng: () => number, untestable: string | null = null): LatencyDiff {
  const qb: Quantiles = { p50: quantile(b, 0.5), p95: quantile(b, 0.95), p99: quantile(b, 0.99) };
  const qh: Quantiles = { p50: quantile(h, 0.5), p95: quantile(h, 0.95), p99: quantile(h, 0.99) };
  const rel = (x: number, y: number) => (x > 0 ? y / x - 1 : y > 0 ? Infinity : 0);
  const change: Quantiles = { p50: rel(qb.p50, qh.p50), p95: rel(qb.p95, qh.p95), p99: rel(qb.p99, qh.p99) };
  if (b.length < o.minPairs) return { n: b.length, base: qb, head: qh, change, ci: null, significant: false, note: `fewer than ${o.minPairs} paired events` };
  if (untestable) return { n: b.length, base: qb, head: qh, change, ci: null, significant: false, note: untestable };
  const boot = pairedBlockBootstrap(b, h, { q: 0.95, resamples: o.resamples, alpha, rng });
  return { n: b.length, base: qb, head: qh, change, ci: { low: boot.low, high: boot.high }, significant: boot.significant && Math.abs(boot.change) >= o.minEffect };
}

function findings(r: DiffResult, o: DiffOptions): Finding[] {
  const out: Finding[] = [];
  const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
  if (r.digestSame === false) {
    const workbook = r.workbookSame === false;
    const why = [r.divergent > 0 ? `${r.divergent} events answered differently` : '', workbook ? 'the final workbook differs' : ''].filter(Boolean).join(' and ') || 'only the Sheets call pattern differs';
    // The workbook holds timestamps from the (virtual) clock, which a different call pattern moves, and answers can
    // change for the better: by default only answers that got worse are a regression.
    out.push({ kind: o.strictDigest ? 'regression' : 'change', text: `outcome digest changed: ${why}` });
    if (r.worse > 0) out.push({ kind: 'regression', text: `${r.worse} events answered worse (an expect met in base is missed, or a worse status class)` });
    if (r.better > 0) out.push({ kind: 'improvement', text: `${r.better} events answered better` });
  } else if (r.digestSame === null && r.divergent > 0) {
    out.push({ kind: 'change', text: `${r.divergent} events answered differently (realtime runs: ordering can change answers)` });
  }
  const untested = r.scenarios.find((s) => s.latency?.note?.startsWith('not tested'));
  if (untested) out.push({ kind: 'change', text: `latency ${untested.latency!.note}` });
  const sheetsTol = r.base.mode === 'exact' && r.head.mode === 'exact' ? 1e-9 : 0.02;
  for (const s of r.scenarios) {
    const { base: cb, head: ch } = s.sheetsCalls;
    if (cb !== null && ch !== null) {
      if (ch > cb * (1 + sheetsTol) + 1e-9) out.push({ kind: 'regression', text: `${s.name}: Sheets calls per operation ${fmt(cb)} → ${fmt(ch)}` });
      else if (ch < cb * (1 - sheetsTol) - 1e-9) out.push({ kind: 'improvement', text: `${s.name}: Sheets calls per operation ${fmt(cb)} → ${fmt(ch)}` });
    }
    const l = s.latency;
    if (l?.significant) {
      if (l.change.p95 > o.maxRegression) out.push({ kind: 'regression', text: `${s.name}: p95 ${fmtMs(l.base.p95)} → ${fmtMs(l.head.p95)} (${pct(l.change.p95)}, above the ${pct(o.maxRegression)} limit)` });
      else if (l.change.p95 > 0) out.push({ kind: 'change', text: `${s.name}: p95 ${fmtMs(l.base.p95)} → ${fmtMs(l.head.p95)} (${pct(l.change.p95)}, within the ${pct(o.maxRegression)} limit)` });
      else out.push({ kind: 'improvement', text: `${s.name}: p95 ${fmtMs(l.base.p95)} → ${fmtMs(l.head.p95)} (${pct(l.change.p95)})` });
    }
  }
  if (r.errors.head > r.errors.base) out.push({ kind: 'regression', text: `errors (5xx and transport) ${r.errors.base} → ${r.errors.head}` });
  else if (r.errors.head < r.errors.base) out.push({ kind: 'improvement', text: `errors (5xx and transport) ${r.errors.base} → ${r.errors.head}` });
  if (r.sheets.status429.head !== r.sheets.status429.base) out.push({ kind: r.sheets.status429.head > r.sheets.status429.base ? 'change' : 'improvement', text: `Sheets 429s ${r.sheets.status429.base} → ${r.sheets.status429.head}` });
  if (r.expectMismatches.head !== r.expectMismatches.base) out.push({ kind: 'change', text: `expect mismatches ${r.expectMismatches.base} → ${r.expectMismatches.head}` });
  if (r.sheets.peakWritesPerMinute.head !== r.sheets.peakWritesPerMinute.base) out.push({ kind: 'change', text: `peak Sheets writes/min ${r.sheets.peakWritesPerMinute.base} → ${r.sheets.peakWritesPerMinute.head}` });
  return out;
}

function sideCounts(s: Report['scenarios'][string] | undefined) {
  return { count: s?.count ?? 0, statuses: s?.statuses ?? {}, errors: s ? errorCount(s.statuses) : 0, expectMismatches: s?.expectMismatches ?? 0 };
}

function errorCount(statuses: Record<string, number>): number {
  return Object.entries(statuses).filter(([k]) => k === 'error' || k.startsWith('5')).reduce((a, [, n]) => a + n, 0);
}

function side(dir: string, r: Report): DiffSide {
  return {
    dir, runId: r.run.id, label: r.run.label, mode: r.run.mode, backendProfile: r.run.target.backendProfile, commit: r.run.target.commit,
    digest: r.digest, workbookDigest: r.workbookDigest, requests: r.totals.requests,
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
  return ms >= 100 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`;
}
