/**
 * HDR histograms across threads: a form that survives postMessage, and an exact merge. hdr-histogram-js's `add`
 * adds the counts exactly when both histograms share their digits (bucket for bucket), but a decoded histogram's
 * max and min are its buckets' edges, not the values recorded, and `add` into a histogram with more buckets moves
 * the other's min to its bucket's lowest value. The report prints the recorded min and max, so both travel as
 * they are and are set after the merge. (test/metrics/run-metrics-merge.test.ts holds a merge to one thread's report,
 * encoded histograms included.)
 */
import * as hdr from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';

/** A histogram as plain data (structured-clone safe). */
export interface HistogramWire {
  /** `encodeIntoCompressedBase64` of the counts ('' when empty). */
  encoded: string;
  /** The recorded max and min non-zero value, exactly. */
  max: number;
  minNonZero: number;
}

// The JS implementation keeps both as plain fields; the Histogram interface declares them readonly.
interface Extremes {
  maxValue: number;
  minNonZeroValue: number;
}

/** The plain form of `h`. */
export function histogramToWire(h: Histogram): HistogramWire {
  return { encoded: h.totalCount === 0 ? '' : hdr.encodeIntoCompressedBase64(h), max: h.maxValue, minNonZero: h.minNonZeroValue };
}

/** Add the histogram `w` describes into `into` (same significant digits): counts, max and min exactly. */
export function addWire(into: Histogram, w: HistogramWire): void {
  if (!w.encoded) return;
  const from = hdr.decodeFromCompressedBase64(w.encoded);
  const x = from as unknown as Extremes;
  x.maxValue = w.max;
  x.minNonZeroValue = w.minNonZero;
  mergeHistogram(into, from);
  from.destroy();
}

/** Add `from` into `into` (same significant digits): counts by `add`, the recorded max and min kept exactly. */
function mergeHistogram(into: Histogram, from: Histogram): void {
  if (from.totalCount === 0) return;
  const max = Math.max(into.maxValue, from.maxValue);
  const min = Math.min(into.minNonZeroValue, from.minNonZeroValue);
  // Grown as recording the other's max would grow it (a count of 0 there), not by `add`'s own resize, which sizes
  // it otherwise: the encoded histogram in report.json carries its size, and must read as one thread's would.
  into.recordValueWithCount(from.maxValue, 0);
  into.add(from);
  const x = into as unknown as Extremes;
  x.maxValue = max;
  x.minNonZeroValue = min;
}
