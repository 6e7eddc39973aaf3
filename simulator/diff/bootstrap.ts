/**
 * The significance test of `sheetsim diff`: a paired moving-block bootstrap of the log ratio of a quantile
 * (p95 by default) between two runs of the same trace. Pure: the caller passes the random source.
 */

/** Nearest-rank quantile (q in 0..1) of the first n values of a scratch array, which it reorders. */
export function quantileInPlace(values: Float64Array, q: number, n = values.length): number {
  if (n === 0) return NaN;
  const k = Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1));
  let lo = 0;
  let hi = n - 1;
  // Quickselect: expected O(n), and the bootstrap calls it thousands of times.
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i] = values[j]!;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return values[k]!;
}

/** Nearest-rank quantile of values without modifying them. */
export function quantile(values: ArrayLike<number>, q: number): number {
  return quantileInPlace(Float64Array.from(values), q);
}

export interface BootstrapOptions {
  /** Quantile compared, 0..1 (0.95). */
  q: number;
  resamples: number;
  /** Two-sided level of this one comparison (already divided by the number of comparisons). */
  alpha: number;
  rng: () => number;
  /** Events per block; default autoBlockSize. */
  blockSize?: number;
}

export interface BootstrapResult {
  n: number;
  blockSize: number;
  /** head quantile / base quantile − 1 on the observed pairs. */
  change: number;
  /** Confidence interval of the relative change at level 1 − alpha. */
  low: number;
  high: number;
  /** The interval excludes zero. */
  significant: boolean;
}

/**
 * Paired moving-block bootstrap of log(q(head) / q(base)): blocks of consecutive pairs (trace order) are drawn with
 * replacement, so a resample keeps both the pairing and the short-range autocorrelation of latencies. The interval is
 * the normal one from the bootstrap standard error, which stays stable at Bonferroni-small alphas where a percentile
 * interval would need tens of thousands of resamples.
 */
export function pairedBlockBootstrap(base: Float64Array, head: Float64Array, o: BootstrapOptions): BootstrapResult {
  const n = base.length;
  if (head.length !== n) throw new Error('pairedBlockBootstrap: base and head must be paired (same length)');
  const blockSize = Math.max(1, Math.min(n, o.blockSize ?? autoBlockSize(base, head)));
  const floor = 1e-6; // latencies of 0 ms would make the log ratio infinite
  const qb = Math.max(quantile(base, o.q), floor);
  const qh = Math.max(quantile(head, o.q), floor);
  const observed = Math.log(qh / qb);
  if (n < 2) return { n, blockSize, change: Math.exp(observed) - 1, low: -Infinity, high: Infinity, significant: false };
  const sb = new Float64Array(n);
  const sh = new Float64Array(n);
  const starts = n - blockSize + 1;
  let sum = 0;
  let sumSq = 0;
  for (let r = 0; r < o.resamples; r++) {
    let filled = 0;
    while (filled < n) {
      const start = Math.floor(o.rng() * starts);
      for (let k = 0; k < blockSize && filled < n; k++, filled++) {
        sb[filled] = base[start + k]!;
        sh[filled] = head[start + k]!;
      }
    }
    const v = Math.log(Math.max(quantileInPlace(sh, o.q), floor) / Math.max(quantileInPlace(sb, o.q), floor));
    sum += v;
    sumSq += v * v;
  }
  const mean = sum / o.resamples;
  const se = Math.sqrt(Math.max(0, sumSq / o.resamples - mean * mean));
  const z = normalQuantile(1 - o.alpha / 2);
  const low = observed - z * se;
  const high = observed + z * se;
  return { n, blockSize, change: Math.exp(observed) - 1, low: Math.exp(low) - 1, high: Math.exp(high) - 1, significant: low > 0 || high < 0 };
}

/** Inverse of the standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - pl) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/**
 * Block length for the moving-block bootstrap: at least ⌈n^(1/3)⌉ (the usual rate), and twice the lag at which the
 * autocorrelation of the paired log differences becomes insignificant (|r| < 2/√n), capped at n/2. Under quota
 * pressure latencies stay correlated over a whole quota minute, and blocks shorter than that understate the noise.
 */
export function autoBlockSize(base: Float64Array, head: Float64Array): number {
  const n = base.length;
  const minimum = Math.ceil(Math.cbrt(n));
  if (n < 8) return Math.max(1, minimum);
  const d = Float64Array.from(base, (b, i) => Math.log(Math.max(head[i]!, 1e-3) / Math.max(b, 1e-3)));
  let mean = 0;
  for (const v of d) mean += v / n;
  let var0 = 0;
  for (const v of d) var0 += (v - mean) ** 2;
  if (var0 === 0) return minimum;
  const bound = 2 / Math.sqrt(n);
  let lag = 1;
  for (; lag < n / 2; lag++) {
    let c = 0;
    for (let i = lag; i < n; i++) c += (d[i]! - mean) * (d[i - lag]! - mean);
    if (c / var0 < bound) break;
  }
  return Math.min(Math.floor(n / 2), Math.max(minimum, 2 * lag));
}
