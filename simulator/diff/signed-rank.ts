/**
 * The exact-mode compute-time test: the same trace replayed in exact mode gives every event the same Sheets calls
 * and modelled latencies on both sides, so the backend's measured compute time (events.jsonl `computeMs`) can be
 * compared event by event. Wilcoxon's signed-rank test on the paired differences (normal approximation with tie
 * and zero corrections, Pratt's handling of zeros) and the Hodges–Lehmann estimate of the shift (median of Walsh
 * averages; Hollander & Wolfe, "Nonparametric Statistical Methods", §3.1–3.2). Pure.
 */

export interface SignedRankResult {
  n: number;
  /** Hodges–Lehmann estimate of the median paired difference (head − base), ms. */
  shift: number;
  /** Two-sided p-value (normal approximation). */
  p: number;
}

const WALSH_LIMIT = 1000;

/** Test whether the paired differences d (head − base) are centred on zero. */
export function signedRankTest(d: ArrayLike<number>): SignedRankResult {
  const n = d.length;
  if (n === 0) return { n, shift: 0, p: 1 };
  const abs = Array.from(d, (x, i) => ({ a: Math.abs(x), s: Math.sign(x), i })).sort((x, y) => x.a - y.a);
  // Average ranks over ties (zeros included in the ranking, then dropped from the sum: Pratt 1959).
  const ranks = new Float64Array(n);
  let tieTerm = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && abs[j + 1]!.a === abs[i]!.a) j++;
    const r = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) ranks[k] = r;
    const t = j - i + 1;
    if (t > 1 && abs[i]!.a !== 0) tieTerm += t * t * t - t;
    i = j + 1;
  }
  let wPlus = 0;
  let zeros = 0;
  for (let k = 0; k < n; k++) {
    if (abs[k]!.s > 0) wPlus += ranks[k]!;
    else if (abs[k]!.s === 0) zeros++;
  }
  const z0 = zeros;
  const mean = (n * (n + 1) - z0 * (z0 + 1)) / 4;
  const variance = (n * (n + 1) * (2 * n + 1) - z0 * (z0 + 1) * (2 * z0 + 1)) / 24 - tieTerm / 48;
  const p = variance > 0 ? 2 * (1 - normalCdf(Math.abs(wPlus - mean) / Math.sqrt(variance))) : 1;
  return { n, shift: hodgesLehmann(d), p: Math.min(1, p) };
}

/** Median of the Walsh averages (d_i + d_j) / 2, i ≤ j; above WALSH_LIMIT differences, the median of d (same target, cheaper). */
export function hodgesLehmann(d: ArrayLike<number>): number {
  const n = d.length;
  if (n === 0) return 0;
  if (n > WALSH_LIMIT) return median(Array.from(d));
  const w: number[] = [];
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) w.push((d[i]! + d[j]!) / 2);
  return median(w);
}

function median(v: number[]): number {
  v.sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 via erf, absolute error < 1.5e-7). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(x) / Math.SQRT2));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + y) / 2 : (1 - y) / 2;
}
