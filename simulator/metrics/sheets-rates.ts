/** Sheets request rates in simulated time, from per-second counts (so shard reports can be merged exactly). */
import type { RateWindow } from '../report/model.ts';

/** Highest sum of any `window` consecutive seconds (a sliding window stepped by one second). */
export function slidingPeak(perSecond: number[], window = 60): number {
  let sum = 0;
  let peak = 0;
  for (let i = 0; i < perSecond.length; i++) {
    sum += perSecond[i] ?? 0;
    if (i >= window) sum -= perSecond[i - window] ?? 0;
    if (sum > peak) peak = sum;
  }
  return peak;
}

/** Rate summary of one kind of request over a run of `simulatedMs`. */
export function rateWindow(perSecond: number[], simulatedMs: number): RateWindow {
  const total = perSecond.reduce((a, b) => a + (b ?? 0), 0);
  // Calls can outlast the last event (its response time): the span is whichever is longer.
  const minutes = Math.max(simulatedMs, perSecond.length * 1000, 1000) / 60_000;
  return { peakPerMinute: slidingPeak(perSecond), meanPerMinute: Math.round((total / minutes) * 100) / 100, total };
}

/** Consecutive 10 s windows (from second 0) holding more than `threshold` requests. */
export function countBursts(perSecond: number[], windowS = 10, threshold = 20): number {
  let bursts = 0;
  for (let start = 0; start < perSecond.length; start += windowS) {
    let sum = 0;
    for (let i = start; i < Math.min(start + windowS, perSecond.length); i++) sum += perSecond[i] ?? 0;
    if (sum > threshold) bursts += 1;
  }
  return bursts;
}
