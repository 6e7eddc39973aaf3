import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { normalQuantile, pairedBlockBootstrap, quantile } from '../../simulator/diff/bootstrap.ts';

// Autocorrelated log-normal latencies: an AR(1) process in log space, as a busy backend produces.
function latencies(n: number, seed: string, scale = 1): Float64Array {
  const rng = seedrandom(seed);
  const out = new Float64Array(n);
  let ar = 0;
  for (let i = 0; i < n; i++) {
    const z = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
    ar = 0.6 * ar + 0.8 * z * 0.4;
    out[i] = 300 * scale * Math.exp(ar);
  }
  return out;
}

describe('paired block bootstrap', () => {
  it('nearest-rank quantiles and the normal quantile are right', () => {
    expect(quantile([5, 1, 4, 2, 3], 0.5)).toBe(3);
    expect(quantile(Float64Array.from({ length: 100 }, (_, i) => i + 1), 0.95)).toBe(95);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.0005)).toBeCloseTo(-3.290527, 5);
  });

  it('finds a 30% slowdown significant and places it inside the interval', () => {
    // Paired: the same events, 30% slower, with their own noise (the shared trace makes runs correlate).
    const base = latencies(600, 'a');
    const noise = latencies(600, 'b');
    const head = base.map((v, i) => v * 1.3 * Math.pow(noise[i]! / 300, 0.3));
    const r = pairedBlockBootstrap(base, head, { q: 0.95, resamples: 1000, alpha: 0.01 / 6, rng: seedrandom('1') });
    expect(r.significant).toBe(true);
    expect(r.change).toBeGreaterThan(0.1);
    expect(r.low).toBeGreaterThan(0);
    expect(r.low).toBeLessThan(r.change);
    expect(r.high).toBeGreaterThan(r.change);
  });

  it('flags at most 1 of 20 A/A comparisons at alpha 0.01', () => {
    let flagged = 0;
    for (let i = 0; i < 20; i++) {
      const r = pairedBlockBootstrap(latencies(400, `x${i}`), latencies(400, `y${i}`), { q: 0.95, resamples: 500, alpha: 0.01, rng: seedrandom(String(i)) });
      if (r.significant) flagged++;
    }
    expect(flagged).toBeLessThanOrEqual(1);
  });

  it('is deterministic for a seed and says nothing about identical runs', () => {
    const a = latencies(200, 'c');
    const run = () => pairedBlockBootstrap(a, latencies(200, 'd'), { q: 0.95, resamples: 300, alpha: 0.01, rng: seedrandom('7') });
    expect(run()).toEqual(run());
    const same = pairedBlockBootstrap(a, a, { q: 0.95, resamples: 300, alpha: 0.01, rng: seedrandom('7') });
    expect(same).toMatchObject({ change: 0, significant: false });
  });
});
