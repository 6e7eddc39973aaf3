// The statistics of the realtime latency test and of the exact-mode compute test, on fabricated samples: an A/A
// comparison rarely flags, a real shift is found, and quantiles are refused on too few events.
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { holdsAcrossRuns } from '../../simulator/diff/across-runs.ts';
import { hierarchicalBootstrap, minEventsFor, testableQuantile } from '../../simulator/diff/hierarchical.ts';
import { hodgesLehmann, signedRankTest } from '../../simulator/diff/signed-rank.ts';

/** R runs of n log-normal latencies; each run shifted by a run-level factor (what quota timing does between runs). */
function side(rng: () => number, runs: number, n: number, scale: number, runSd = 0.1): Float64Array[] {
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  return Array.from({ length: runs }, () => {
    const shift = Math.exp(runSd * normal());
    return Float64Array.from({ length: n }, () => scale * shift * Math.exp(0.4 * normal()));
  });
}

describe('hierarchicalBootstrap', () => {
  it('A/A with run-to-run shifts: flags at most 2 of 40 comparisons at α = 0.01', () => {
    const rng = seedrandom('aa');
    let flagged = 0;
    for (let i = 0; i < 40; i++) {
      const r = hierarchicalBootstrap(side(rng, 3, 150, 300), side(rng, 3, 150, 300), { q: 0.95, resamples: 400, alpha: 0.01, rng });
      if (r.significant) flagged++;
    }
    expect(flagged).toBeLessThanOrEqual(2);
  });

  it('finds a +50 % shift of every run (run-to-run sd 5 %) in at least 16 of 20 comparisons, with the right sign', () => {
    const rng = seedrandom('shift');
    let found = 0;
    for (let i = 0; i < 20; i++) {
      const r = hierarchicalBootstrap(side(rng, 3, 150, 300, 0.05), side(rng, 3, 150, 450, 0.05), { q: 0.95, resamples: 400, alpha: 0.01, rng });
      if (r.significant && r.low > 0) found++;
    }
    expect(found).toBeGreaterThanOrEqual(16);
  });

  it('with one run per side it is an event bootstrap: a tripled p95 is found, an equal one is not', () => {
    const rng = seedrandom('one');
    const r = hierarchicalBootstrap(side(rng, 1, 500, 300, 0), side(rng, 1, 500, 900, 0), { q: 0.95, resamples: 200, alpha: 0.01, rng });
    expect(r.significant).toBe(true);
    expect(r.change).toBeGreaterThan(1);
    const same = hierarchicalBootstrap(side(rng, 1, 500, 300, 0), side(rng, 1, 500, 300, 0), { q: 0.95, resamples: 200, alpha: 0.01, rng });
    expect(same.low).toBeLessThan(0);
    expect(same.high).toBeGreaterThan(0);
  });
});

describe('testableQuantile', () => {
  it('p95 from 100 events, p50 from 10, nothing below', () => {
    expect(minEventsFor(0.95)).toBe(100);
    expect(testableQuantile(12)).toBe(0.5);
    expect(testableQuantile(99)).toBe(0.5);
    expect(testableQuantile(100)).toBe(0.95);
    expect(testableQuantile(9)).toBeNull();
  });
});

describe('signedRankTest', () => {
  it('no shift: large p; a +10 ms shift in noisy pairs: tiny p and a Hodges–Lehmann shift near 10', () => {
    const rng = seedrandom('sr');
    const noise = () => (rng() - 0.5) * 8;
    const same = Array.from({ length: 300 }, () => noise() - noise());
    expect(signedRankTest(same).p).toBeGreaterThan(0.01);
    const shifted = Array.from({ length: 300 }, () => 10 + noise() - noise());
    const t = signedRankTest(shifted);
    expect(t.p).toBeLessThan(1e-6);
    expect(t.shift).toBeGreaterThan(9);
    expect(t.shift).toBeLessThan(11);
  });
  it('all-zero differences are no evidence', () => {
    expect(signedRankTest([0, 0, 0, 0, 0]).p).toBe(1);
    expect(hodgesLehmann([1, 2, 3])).toBe(2);
  });
});

describe('holdsAcrossRuns', () => {
  it('needs every run beyond the other side and a gap of minAbs and 3 SDs', () => {
    expect(holdsAcrossRuns([2, 2, 2], [3, 3, 3], 0.5)).toBe('up');
    expect(holdsAcrossRuns([1.68, 1.7, 1.65], [1.76, 1.74, 1.72], 0.5)).toBeNull();
    expect(holdsAcrossRuns([3.59], [2.78], 0.5)).toBeNull();
    expect(holdsAcrossRuns([2, 2.6, 2.2], [2.7, 3.4, 2.8], 0.5)).toBeNull();
    expect(holdsAcrossRuns([3, 3, 3], [2, 2, 2], 0.5)).toBe('down');
  });
});
