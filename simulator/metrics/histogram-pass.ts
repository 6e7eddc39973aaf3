/**
 * One pass over an HDR histogram's counts for everything a summary needs (mean, stddev, first value, several
 * percentiles). hdr-histogram-js walks the counts array from the start for every `getValueAtPercentile` and twice
 * more (through its iterator, which recomputes bucket values at every index) for `mean` and `stdDeviation`; the
 * report asks for five percentiles and both moments of each of its histograms, so that walk dominated report
 * building. The figures here are computed with the library's own bucket functions, in the same order, so they are
 * bit-identical to the library's getters (test/metrics/histogram-pass.test.ts compares them on random data).
 */
import type { Histogram } from 'hdr-histogram-js';

/** The JsHistogram bucket methods the public `Histogram` interface does not declare. */
interface Buckets {
  countsArrayLength: number;
  getCountAtIndex(i: number): number;
  valueFromIndex(i: number): number;
  lowestEquivalentValue(v: number): number;
  highestEquivalentValue(v: number): number;
  medianEquivalentValue(v: number): number;
}

export interface HistogramPass {
  /** As `h.mean` (value units). */
  mean: number;
  /** As `h.stdDeviation`. */
  stddev: number;
  /** As `h.getValueAtPercentile(0)`: the lowest value equivalent to the first recorded one. */
  lowest: number;
  /** As `h.getValueAtPercentile(p)` for each requested p, in the order given. */
  atPercentiles: number[];
}

// The library's ulp (dist/ulp.js), kept identical so the rounding of the percentile's count matches.
const ulp = (x: number): number => Math.pow(2, Math.floor(Math.log2(x)) - 52);

/** The count a percentile must reach, exactly as `getValueAtPercentile` computes it. */
function countAtPercentile(percentile: number, totalCount: number): number {
  const fp = (Math.min(percentile, 100) / 100.0) * totalCount;
  return Math.max(Math.ceil(fp - ulp(fp)), 1);
}

/** Mean, stddev, lowest value and the given percentiles of a non-empty histogram in one walk of its counts. */
export function histogramPass(h: Histogram, percentiles: readonly number[]): HistogramPass {
  const b = h as unknown as Buckets;
  const total = h.totalCount;
  const targets = percentiles.map((p) => countAtPercentile(p, total));
  const atPercentiles = percentiles.map(() => 0);
  let pending = percentiles.length;
  // Recorded buckets, ascending: the value the mean and stddev use for each, and its count.
  const medians: number[] = [];
  const counts: number[] = [];
  let lowest = 0;
  let seenFirst = false;
  let cumulative = 0;
  let totalValue = 0;
  const length = b.countsArrayLength;
  for (let i = 0; i < length; i++) {
    const c = b.getCountAtIndex(i);
    if (c === 0) continue;
    cumulative += c;
    const valueAtIndex = b.valueFromIndex(i);
    if (!seenFirst) {
      seenFirst = true;
      lowest = b.lowestEquivalentValue(valueAtIndex);
    }
    // The library's iterator reports highestEquivalentValue(valueFromIndex(i)) and takes its median.
    const median = b.medianEquivalentValue(b.highestEquivalentValue(valueAtIndex));
    totalValue += median * c;
    medians.push(median);
    counts.push(c);
    if (pending > 0) {
      for (let k = 0; k < targets.length; k++) {
        if (targets[k]! > 0 && cumulative >= targets[k]!) {
          const p = percentiles[k]!;
          atPercentiles[k] = p === 0.0 ? b.lowestEquivalentValue(valueAtIndex) : b.highestEquivalentValue(valueAtIndex);
          targets[k] = 0;
          pending--;
        }
      }
    }
    // The iterator behind mean/stddev stops once it has seen totalCount values; so do we.
    if (cumulative >= total) break;
  }
  const mean = totalValue / total;
  let deviationTotal = 0.0;
  for (let k = 0; k < medians.length; k++) {
    const deviation = medians[k]! - mean;
    deviationTotal += deviation * deviation * counts[k]!;
  }
  return { mean, stddev: Math.sqrt(deviationTotal / total), lowest, atPercentiles };
}
