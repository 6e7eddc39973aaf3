import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import type { SheetsMethod } from '../../mock-sheets/admin-types.ts';
import { LatencyModel, REALISTIC_LATENCY, parseLatencyConfig, sampleLatency } from '../../mock-sheets/latency.ts';

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

describe('latency model', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const calls: [SheetsMethod, number][] = [['values.append', 10], ['values.get', 500], ['values.batchUpdate', 40], ['spreadsheets.get', 0]];
    const run = (seed: number) => {
      const model = new LatencyModel(parseLatencyConfig('realistic'), seed);
      return Array.from({ length: 50 }, (_, i) => model.sample(...calls[i % calls.length]!));
    };
    expect(run(42)).toEqual(run(42));
    expect(run(42)).not.toEqual(run(43));
  });

  // Tolerance: with 20,000 samples the sample median of a log-normal is within ~1% and the p99 within
  // ~5% of the true quantile (binomial standard error); we allow 5% and 10% so the test only fails for a real bug.
  it.each([
    ['values.batchUpdate', 300, 800],
    ['values.append', 150, 400],
    ['values.get', 120, 500],
  ] as [SheetsMethod, number, number][])('%s: empirical median and p99 of 20,000 samples match %i / %i ms', (method, median, p99) => {
    const config = { ...REALISTIC_LATENCY, minMs: 0, maxMs: 1e9 };
    const random = seedrandom('7:latency');
    const samples = Array.from({ length: 20_000 }, () => sampleLatency(config, method, 0, random)).sort((a, b) => a - b);
    expect(Math.abs(quantile(samples, 0.5) - median) / median).toBeLessThan(0.05);
    expect(Math.abs(quantile(samples, 0.99) - p99) / p99).toBeLessThan(0.1);
  });

  it('adds a per-cell cost (reads cheaper than writes) and clamps to [min, max]', () => {
    const flat = parseLatencyConfig({
      methods: { 'values.get': { medianMs: 100, p99Ms: 100 }, 'values.append': { medianMs: 100, p99Ms: 100 } },
      perCellReadMs: 0.01,
      perCellWrittenMs: 0.2,
      minMs: 0,
      maxMs: 1000,
    })!;
    const random = seedrandom('1');
    expect(sampleLatency(flat, 'values.get', 1000, random)).toBe(110);
    expect(sampleLatency(flat, 'values.append', 1000, random)).toBe(300);
    expect(sampleLatency(flat, 'values.append', 100_000, random)).toBe(1000);
    const floor = { ...flat, minMs: 150 };
    expect(sampleLatency(floor, 'values.get', 0, random)).toBe(150);
  });

  it('is 0 when off', () => {
    expect(new LatencyModel(parseLatencyConfig('off'), 1).sample('values.append', 100)).toBe(0);
  });

  it('merges a partial JSON config over the realistic defaults', () => {
    const c = parseLatencyConfig({ methods: { 'values.append': { medianMs: 50, p99Ms: 90 } }, maxMs: 3000 })!;
    expect(c.methods['values.append']).toEqual({ medianMs: 50, p99Ms: 90 });
    expect(c.methods['values.batchUpdate']).toEqual({ medianMs: 300, p99Ms: 800 });
    expect(c.maxMs).toBe(3000);
  });

  it.each([
    ['fast', /latency: expected "off", "realistic" or an object/],
    [{ methods: { 'values.appendx': { medianMs: 1 } } }, /latency.methods.values.appendx: unknown field/],
    [{ methods: { 'values.get': { medianMs: 200, p99Ms: 100 } } }, /latency.methods.values.get.p99Ms: expected at least the median \(200\), got 100/],
    [{ methods: { 'values.get': { medianMs: -1 } } }, /latency.methods.values.get.medianMs: expected a number between 0 and 600000, got -1/],
    [{ perCellReadMs: 'x' }, /latency.perCellReadMs: expected a number/],
    [{ minMs: 100, maxMs: 50 }, /latency.maxMs: expected at least minMs \(100\), got 50/],
    [{ median: 3 }, /latency.median: unknown field/],
  ])('rejects %j naming the field', (input, message) => {
    expect(() => parseLatencyConfig(input)).toThrow(message);
  });
});
