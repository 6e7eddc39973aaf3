/** HDR histograms of latencies: recorded in microseconds, summarised in milliseconds. */
import * as hdr from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';
import type { LatencySummary } from '../report/model.ts';
import { histogramPass } from './histogram-pass.ts';

export type { Histogram };

/** A fresh histogram (3 significant digits, auto-resizing) for values in microseconds. */
export function newHistogram(): Histogram {
  return hdr.build({ numberOfSignificantValueDigits: 3, autoResize: true });
}

/** Record a duration given in milliseconds (fractions kept to the microsecond); negatives count as 0. */
export function recordMs(h: Histogram, ms: number): void {
  const us = Math.max(0, Math.round(ms * 1000));
  h.recordValue(us);
}

const round3 = (n: number): number => Math.round(n * 1000) / 1000;
const usToMs = (us: number): number => round3(us / 1000);

/** Summary of a histogram in milliseconds (all zeros when empty); one walk of the counts (histogram-pass.ts). */
export function summarise(h: Histogram): LatencySummary {
  const count = h.totalCount;
  if (count === 0) return emptySummary();
  const pass = histogramPass(h, SUMMARY_PERCENTILES);
  const [p50, p90, p95, p99, p999] = pass.atPercentiles as [number, number, number, number, number];
  return {
    count,
    mean: usToMs(pass.mean),
    stddev: usToMs(pass.stddev),
    min: usToMs(minValue(h, pass.lowest)),
    p50: usToMs(p50),
    p90: usToMs(p90),
    p95: usToMs(p95),
    p99: usToMs(p99),
    p999: usToMs(p999),
    max: usToMs(h.maxValue),
  };
}

const SUMMARY_PERCENTILES = [50, 90, 95, 99, 99.9] as const;

// minNonZeroValue ignores recorded zeros and is MAX_SAFE_INTEGER when nothing non-zero was recorded;
// `lowest` is getValueAtPercentile(0).
function minValue(h: Histogram, lowest: number): number {
  if (lowest === 0) return 0;
  const m = h.minNonZeroValue;
  return m >= Number.MAX_SAFE_INTEGER ? 0 : m;
}

/** The summary of no values. */
export function emptySummary(): LatencySummary {
  return { count: 0, mean: 0, stddev: 0, min: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 };
}

/** Encode for report.json (`encodeIntoCompressedBase64`, values in microseconds). */
export function encodeHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

/**
 * Decode an encoded histogram into a fresh auto-resizing one: decoded histograms do not auto-resize, so adding
 * a larger value to one directly would throw.
 */
export function decodeHistogram(encoded: string): Histogram {
  const acc = newHistogram();
  if (encoded) acc.add(hdr.decodeFromCompressedBase64(encoded));
  return acc;
}

/** Add `from` into `into` (both keep their own units, microseconds here). */
export function addInto(into: Histogram, from: Histogram): void {
  into.add(from);
}
