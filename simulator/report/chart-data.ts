/** The data report.html's charts draw, computed here (tested without a browser) so the page only draws. */
import { decodeHistogram } from '../metrics/histogram.ts';
import { histogramPass } from '../metrics/histogram-pass.ts';
import { coldStart } from './findings.ts';
import type { MemorySample, Report, StatusClass } from './model.ts';
import { perSlidingMinute } from './windows.ts';

/** Percentiles the distribution chart may draw; x is plotted as -log10(1 - p) so the tail gets room. */
export const DISTRIBUTION_PERCENTILES = [0, 25, 50, 75, 90, 95, 97.5, 99, 99.5, 99.9, 99.95, 99.99];

/**
 * Whether a percentile says anything about n events: at least one event must lie above it
 * (n × (1 − p) ≥ 1), so 80 events support 97.5 % but not 99 %, and a p99.99 needs 10,000.
 */
export function percentileSupported(p: number, n: number): boolean {
  return n > 0 && n * (1 - p / 100) >= 1 - 1e-9;
}

const STATUS_CLASSES: StatusClass[] = ['2xx', '3xx', '4xx', '5xx', 'error'];

/**
 * Whether the two memory series are one process sampled twice (the embedded target running inside sheetsim):
 * over the second half of the run they differ by at most 2 % at the median sample. The first half is left out
 * because the two samplers start at different moments while memory is still climbing.
 */
export function sameProcess(target: MemorySample[] | undefined, sheetsim: MemorySample[]): boolean {
  if (!target || target.length === 0 || sheetsim.length === 0) return false;
  const diffs = target.slice(Math.floor(target.length / 2)).map((t) => {
    const near = sheetsim.reduce((a, b) => (Math.abs(b.s - t.s) < Math.abs(a.s - t.s) ? b : a));
    return Math.abs(near.rssMb - t.rssMb) / Math.max(near.rssMb, t.rssMb, 1);
  }).sort((a, b) => a - b);
  return diffs[Math.floor(diffs.length / 2)]! <= 0.02;
}

/** Everything the page's charts draw. */
export function chartData(report: Report) {
  const scenarios = Object.keys(report.scenarios).sort();
  const counts = scenarios.map((name) => report.scenarios[name]!.count);
  const maxCount = Math.max(0, ...counts);
  // The x axis ends at the highest percentile the largest scenario supports; each line ends at its own.
  const percentiles = DISTRIBUTION_PERCENTILES.filter((p) => percentileSupported(p, maxCount));
  const distribution = scenarios.map((name, i) => {
    const h = decodeHistogram(report.scenarios[name]!.histograms.responseTime);
    if (h.totalCount === 0) return percentiles.map(() => null);
    // One walk of the counts for all the percentiles (the library walks them once per percentile).
    const values = histogramPass(h, percentiles).atPercentiles;
    return percentiles.map((p, k) => (!percentileSupported(p, counts[i]!) ? null : Math.round(values[k]!) / 1000));
  });

  const tl = report.timeline;
  const sh = report.sheets;
  const writesPerMinute = perSlidingMinute(tl, (p) => p.sheetsWrites);
  const hasAdmitted = tl.length > 0 && tl.every((p) => typeof p.sheetsWritesAdmitted === 'number');
  const peakIndex = writesPerMinute.reduce((best, v, i) => (v > writesPerMinute[best]! ? i : best), 0);
  const stacked: number[][] = [];
  let running = tl.map(() => 0);
  for (const c of STATUS_CLASSES) {
    running = running.map((v, i) => v + (tl[i]!.statusClasses[c] ?? 0));
    stacked.push(running);
  }

  const cold = coldStart(report);
  const lastS = tl.at(-1)?.s ?? 0;
  const o = report.run.overload;
  const shades: { from: number; to: number; label: string; color: string }[] = [];
  if (cold) shades.push({ from: tl[0]!.s, to: cold.settledAtS ?? lastS, label: 'warm-up', color: 'rgba(234,88,12,0.12)' });
  if (o?.saturated) shades.push({ from: o.fromS ?? tl[0]?.s ?? 0, to: lastS, label: 'overload', color: 'rgba(220,38,38,0.10)' });

  const withCalls = scenarios.filter((n) => report.scenarios[n]!.sheetsCalls !== null);
  const mem = report.memory;
  const one = mem.target !== null && sameProcess(mem.target.samples, mem.sheetsim.samples);
  const memX = [...new Set([...(one ? [] : mem.target?.samples ?? []), ...mem.sheetsim.samples].map((m) => m.s))].sort((a, b) => a - b);
  const memSeries = (samples: MemorySample[]) => {
    const byS = new Map(samples.map((m) => [m.s, m.rssMb]));
    return memX.map((s) => byS.get(s) ?? null);
  };

  return {
    scenarios,
    distribution: { x: percentiles.map((p) => -Math.log10(1 - p / 100)), percentiles, series: distribution, counts },
    timeline: {
      s: tl.map((p) => p.s),
      requests: tl.map((p) => p.requests),
      p95: tl.map((p) => (p.requests > 0 ? p.p95 : null)),
      writesPerMinute,
      admittedPerMinute: hasAdmitted ? perSlidingMinute(tl, (p) => p.sheetsWritesAdmitted ?? 0) : null,
      readsPerMinute: sh.reads.total > 0 ? perSlidingMinute(tl, (p) => p.sheetsReads) : null,
      peak: tl.length > 0 ? { s: tl[peakIndex]!.s, value: writesPerMinute[peakIndex]! } : null,
      quota: sh.quotaPerMinute,
      perf05: report.gates.find((g) => g.id === 'PERF-05')?.threshold ?? 30,
      status429: tl.map((p) => p.status429),
      status5xx: tl.map((p) => p.statusClasses['5xx'] ?? 0),
      status4xx: tl.map((p) => p.statusClasses['4xx'] ?? 0),
      transportErrors: tl.map((p) => p.statusClasses.error ?? 0),
      classes: STATUS_CLASSES,
      stacked,
      shades,
    },
    calls: {
      scenarios: withCalls,
      mean: withCalls.map((n) => Math.round(report.scenarios[n]!.sheetsCalls!.mean * 100) / 100),
      max: withCalls.map((n) => report.scenarios[n]!.sheetsCalls!.max),
      perf03: report.gates.find((g) => g.id === 'PERF-03')?.threshold ?? null,
    },
    memory: {
      s: memX,
      sameProcess: one,
      target: mem.target && !one ? memSeries(mem.target.samples) : null,
      sheetsim: memSeries(mem.sheetsim.samples),
    },
  };
}
