import { describe, expect, it } from 'vitest';
import { encodeHistogram, newHistogram, recordMs } from '../../simulator/metrics/histogram.ts';
import { chartData, DISTRIBUTION_PERCENTILES, percentileSupported, sameProcess } from '../../simulator/report/chart-data.ts';
import { buildFixture } from './fixture.ts';

describe('chart data', () => {
  it('a percentile needs at least one event above it', () => {
    expect(percentileSupported(97.5, 80)).toBe(true);
    expect(percentileSupported(99, 80)).toBe(false);
    expect(percentileSupported(99, 100)).toBe(true);
    expect(percentileSupported(99.99, 9_999)).toBe(false);
    expect(percentileSupported(99.99, 10_000)).toBe(true);
    expect(percentileSupported(0, 0)).toBe(false);
  });

  it('the distribution stops each scenario at what its count supports, and the axis at what the largest supports', () => {
    const { report } = buildFixture({ events: 900 });
    const data = chartData(report);
    const maxCount = Math.max(...data.distribution.counts);
    expect(data.distribution.percentiles).toEqual(DISTRIBUTION_PERCENTILES.filter((p) => maxCount * (1 - p / 100) >= 1));
    expect(data.distribution.percentiles.at(-1)).toBeLessThan(99.99);
    data.scenarios.forEach((name, i) => {
      const n = report.scenarios[name]!.count;
      data.distribution.percentiles.forEach((p, k) => {
        expect(data.distribution.series[i]![k] === null).toBe(n * (1 - p / 100) < 1);
      });
    });
  });

  it('a scenario whose events took 0 ms is drawn at 0, not at a made-up floor', () => {
    const { report } = buildFixture({ events: 300 });
    const h = newHistogram();
    for (let i = 0; i < 50; i++) recordMs(h, 0);
    const name = Object.keys(report.scenarios)[0]!;
    report.scenarios[name]!.histograms.responseTime = encodeHistogram(h);
    report.scenarios[name]!.count = 50;
    const data = chartData(report);
    const row = data.distribution.series[data.scenarios.indexOf(name)]!;
    expect(row.filter((v) => v !== null).every((v) => v === 0)).toBe(true);
  });

  it('memory: one process sampled twice is drawn once; two processes twice', () => {
    const a = Array.from({ length: 10 }, (_, i) => ({ s: i, rssMb: 200 + i }));
    const shifted = a.map((m) => ({ s: m.s + 0.1, rssMb: m.rssMb + 1 }));
    expect(sameProcess(shifted, a)).toBe(true);
    expect(sameProcess(a.map((m) => ({ ...m, rssMb: m.rssMb / 2 })), a)).toBe(false);
    expect(sameProcess(undefined, a)).toBe(false);
    const { report } = buildFixture({ events: 100 });
    report.memory.target!.samples = shifted;
    report.memory.sheetsim.samples = a;
    expect(chartData(report).memory).toMatchObject({ sameProcess: true, target: null });
    report.memory.target!.samples = a.map((m) => ({ ...m, rssMb: 90 }));
    const two = chartData(report).memory;
    expect(two.sameProcess).toBe(false);
    expect(two.target).not.toBeNull();
  });

  it('writes: the sliding minute and its peak match the report, admitted writes only when every second has them', () => {
    const { report } = buildFixture({ events: 600 });
    const data = chartData(report);
    expect(data.timeline.peak!.value).toBe(report.sheets.writes.peakPerMinute);
    expect(data.timeline.admittedPerMinute).toBeNull();
    for (const p of report.timeline) p.sheetsWritesAdmitted = Math.min(p.sheetsWrites, 1);
    const admitted = chartData(report).timeline.admittedPerMinute!;
    expect(Math.max(...admitted)).toBeLessThanOrEqual(60);
  });

  it('shades the warm-up and the overload on the latency chart', () => {
    const { report } = buildFixture({ events: 900 });
    expect(chartData(report).timeline.shades).toEqual([]);
    for (const p of report.timeline) {
      p.requests = Math.max(1, p.requests);
      p.p95 = p.s < 40 ? 8000 - 200 * p.s : 100;
    }
    report.run.overload = { saturated: true, fromS: 70, maxInFlight: 50, maxLatenessMs: 4000, notSent: 0, deadlineMs: 30000 };
    const last = report.timeline.at(-1)!.s;
    expect(chartData(report).timeline.shades.map((s) => [s.label, s.from, s.to])).toEqual([['warm-up', 0, 39], ['overload', 70, last]]);
  });
});
