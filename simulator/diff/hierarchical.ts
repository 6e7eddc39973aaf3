/**
 * The realtime latency test of `sheetsim diff` / `compare`: a two-level (hierarchical) bootstrap over runs and then
 * events, so the interval carries the run-to-run variation that one run's events cannot show (under quota
 * saturation whole runs shift with the timing of quota windows). Pure: the caller passes the random source.
 *
 * Method (Saravanan, Berman & Sober, "Application of the hierarchical bootstrap to multi-level data in
 * neuroscience", NBDT 2020; the same idea as benchstat's rule of comparing several runs per side rather than the
 * samples of one): for each resample, draw R runs with replacement from each side's R runs, then draw each drawn
 * run's events with replacement, pool them and take the quantile; the statistic is log(q(head) / q(base)). The
 * interval is the normal one from the bootstrap standard error, inflated by √(R/(R−1)) per side because resampling
 * R clusters with replacement underestimates their variance by (R−1)/R — with R = 3 that is a factor 1.22 and
 * keeps an A/A comparison from crying wolf on three runs. With one run per side it is a plain event bootstrap, which
 * is what exact mode's modelled times need (deterministic runs: the events are the only source of variation); the
 * realtime diff never uses it with fewer than --min-runs runs.
 */
import { normalQuantile, quantileInPlace } from './bootstrap.ts';

/** Fewest events whose quantile q the diff reports and tests: at least 5 events above it (p95 → 100, p50 → 10). */
export function minEventsFor(q: number): number {
  return Math.ceil(5 / (1 - q));
}

/** The quantile to compare for a pooled count of events: p95 when there are enough, else p50, else none. */
export function testableQuantile(n: number): 0.95 | 0.5 | null {
  if (n >= minEventsFor(0.95)) return 0.95;
  if (n >= minEventsFor(0.5)) return 0.5;
  return null;
}

export interface HierarchicalOptions {
  q: number;
  resamples: number;
  /** Two-sided level of this one comparison (already split across comparisons). */
  alpha: number;
  rng: () => number;
}

export interface HierarchicalResult {
  /** Runs per side and events pooled per side. */
  runs: { base: number; head: number };
  events: { base: number; head: number };
  /** q(head pooled) / q(base pooled) − 1. */
  change: number;
  low: number;
  high: number;
  /** The interval excludes zero. */
  significant: boolean;
}

const FLOOR = 1e-6;

/** Quantile of all events of all runs of one side (a scratch copy). */
export function pooledQuantile(runs: Float64Array[], q: number): number {
  const n = runs.reduce((a, r) => a + r.length, 0);
  const all = new Float64Array(n);
  let k = 0;
  for (const r of runs) {
    all.set(r, k);
    k += r.length;
  }
  return quantileInPlace(all, q);
}

/** One hierarchical resample of a side's quantile; `scratch` is large enough for the pooled resample. */
function resampleQuantile(runs: Float64Array[], q: number, rng: () => number, scratch: Float64Array): number {
  let filled = 0;
  for (let i = 0; i < runs.length; i++) {
    const run = runs[Math.floor(rng() * runs.length)]!;
    for (let k = 0; k < run.length; k++) scratch[filled++] = run[Math.floor(rng() * run.length)]!;
  }
  return quantileInPlace(scratch, q, filled);
}

/** Compare quantile q of two sides, each a list of runs (events' response times in ms). */
export function hierarchicalBootstrap(base: Float64Array[], head: Float64Array[], o: HierarchicalOptions): HierarchicalResult {
  const nb = base.reduce((a, r) => a + r.length, 0);
  const nh = head.reduce((a, r) => a + r.length, 0);
  const observed = Math.log(Math.max(pooledQuantile(head, o.q), FLOOR) / Math.max(pooledQuantile(base, o.q), FLOOR));
  const result = { runs: { base: base.length, head: head.length }, events: { base: nb, head: nh }, change: Math.exp(observed) - 1 };
  if (base.length === 0 || head.length === 0) return { ...result, low: -Infinity, high: Infinity, significant: false };
  const maxRun = (runs: Float64Array[]) => runs.reduce((a, r) => Math.max(a, r.length), 0) * runs.length;
  const sb = new Float64Array(maxRun(base));
  const sh = new Float64Array(maxRun(head));
  let sum = 0;
  let sumSq = 0;
  for (let r = 0; r < o.resamples; r++) {
    const v = Math.log(Math.max(resampleQuantile(head, o.q, o.rng, sh), FLOOR) / Math.max(resampleQuantile(base, o.q, o.rng, sb), FLOOR));
    sum += v;
    sumSq += v * v;
  }
  const mean = sum / o.resamples;
  const variance = Math.max(0, sumSq / o.resamples - mean * mean);
  // Each side's share of the variance is inflated by its own R/(R−1); without the split, use the larger factor.
  // One run per side (exact mode's modelled times) is a plain event bootstrap: nothing to inflate.
  const factor = (r: number) => (r > 1 ? r / (r - 1) : 1);
  const inflate = Math.max(factor(base.length), factor(head.length));
  const se = Math.sqrt(variance * inflate);
  const z = normalQuantile(1 - o.alpha / 2);
  const low = observed - z * se;
  const high = observed + z * se;
  return { ...result, low: Math.exp(low) - 1, high: Math.exp(high) - 1, significant: low > 0 || high < 0 };
}
