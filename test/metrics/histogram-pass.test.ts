import { describe, expect, it } from 'vitest';
import * as hdr from 'hdr-histogram-js';
import { histogramPass } from '../../simulator/metrics/histogram-pass.ts';
import { decodeHistogram, encodeHistogram, newHistogram, summarise } from '../../simulator/metrics/histogram.ts';
import { DISTRIBUTION_PERCENTILES } from '../../simulator/report/chart-data.ts';
import { seededRandom } from '../seeded-random.ts';

const rng = seededRandom;

const PERCENTILES = [...new Set([...DISTRIBUTION_PERCENTILES, 50, 90, 95, 99, 99.9, 100, 33.3, 0.1])];

/** Random histograms of several shapes: long tails, zeros, a single value, few and many values. */
function randomHistogram(seed: number): hdr.Histogram {
  const r = rng(seed);
  const h = newHistogram();
  const n = 1 + Math.floor(r() * (seed % 3 === 0 ? 5 : 20_000));
  const shape = seed % 4;
  for (let i = 0; i < n; i++) {
    const u = r();
    const us =
      shape === 0 ? Math.floor(-Math.log(1 - u) * 40_000) // exponential, ms range
      : shape === 1 ? (u < 0.2 ? 0 : Math.floor(u ** 8 * 30_000_000)) // zeros and a very long tail
      : shape === 2 ? 12_345 // one value
      : Math.floor(u * 2_000); // small values, exact buckets
    h.recordValue(us);
  }
  return h;
}

describe('histogramPass', () => {
  it('gives the same mean, stddev and percentiles as the library getters on random histograms', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const h = randomHistogram(seed);
      const pass = histogramPass(h, PERCENTILES);
      expect(pass.mean, `seed ${seed} mean`).toBe(h.mean);
      expect(pass.stddev, `seed ${seed} stddev`).toBe(h.stdDeviation);
      expect(pass.lowest, `seed ${seed} lowest`).toBe(h.getValueAtPercentile(0));
      expect(pass.atPercentiles, `seed ${seed} percentiles`).toEqual(PERCENTILES.map((p) => h.getValueAtPercentile(p)));
    }
  });

  it('gives the same figures on a decoded (merged) histogram as report.json readers see it', () => {
    const merged = newHistogram();
    for (let seed = 100; seed < 106; seed++) merged.add(randomHistogram(seed));
    const h = decodeHistogram(encodeHistogram(merged));
    const pass = histogramPass(h, PERCENTILES);
    expect(pass.mean).toBe(h.mean);
    expect(pass.stddev).toBe(h.stdDeviation);
    expect(pass.atPercentiles).toEqual(PERCENTILES.map((p) => h.getValueAtPercentile(p)));
  });
});

describe('summarise (one pass)', () => {
  // The summary as it was computed before, from the library's per-figure getters.
  function oldSummary(h: hdr.Histogram) {
    const r = (us: number) => Math.round((us / 1000) * 1000) / 1000;
    const min = h.getValueAtPercentile(0) === 0 ? 0 : h.minNonZeroValue >= Number.MAX_SAFE_INTEGER ? 0 : h.minNonZeroValue;
    return {
      count: h.totalCount, mean: r(h.mean), stddev: r(h.stdDeviation), min: r(min),
      p50: r(h.getValueAtPercentile(50)), p90: r(h.getValueAtPercentile(90)), p95: r(h.getValueAtPercentile(95)),
      p99: r(h.getValueAtPercentile(99)), p999: r(h.getValueAtPercentile(99.9)), max: r(h.maxValue),
    };
  }

  it('equals the per-getter summary on random histograms', () => {
    for (let seed = 200; seed < 240; seed++) {
      const h = randomHistogram(seed);
      expect(summarise(h), `seed ${seed}`).toEqual(oldSummary(h));
    }
  });

  it('reports min 0 when a zero was recorded and the least non-zero value otherwise', () => {
    const h = newHistogram();
    h.recordValue(0);
    h.recordValue(5000);
    expect(summarise(h).min).toBe(0);
    const g = newHistogram();
    g.recordValue(7000);
    g.recordValue(9000);
    expect(summarise(g).min).toBe(7);
  });
});
