import { describe, expect, it } from 'vitest';
import { searchCapacity, sweepAnswer } from '../../simulator/capacity/search.ts';

const limit = (cap: number) => async (w: number) => w <= cap;

describe('searchCapacity', () => {
  it('doubles until a count fails, then bisects to the largest passing count', async () => {
    const r = await searchCapacity(limit(5), 1, 256);
    expect(r).toEqual({ answer: 5, atMax: false, probes: [1, 2, 4, 8, 6, 5], nonMonotonic: [] });
    for (const cap of [1, 2, 3, 7, 16, 17, 100]) expect((await searchCapacity(limit(cap), 1, 256)).answer).toBe(cap);
  });

  it('answers 0 when the first count fails, and says so when the maximum itself passes', async () => {
    expect(await searchCapacity(limit(0), 1, 64)).toEqual({ answer: 0, atMax: false, probes: [1], nonMonotonic: [] });
    const r = await searchCapacity(limit(1000), 1, 12);
    expect(r.answer).toBe(12);
    expect(r.atMax).toBe(true);
    expect(r.probes).toEqual([1, 2, 4, 8, 12]);
  });

  it('answers a sweep with the largest pass below the first failure, reporting passes above it', () => {
    expect(sweepAnswer(new Map([[1, true], [2, true], [3, false], [4, true], [5, false]]))).toEqual({ answer: 2, atMax: false, probes: [1, 2, 3, 4, 5], nonMonotonic: [4] });
    expect(sweepAnswer(new Map([[2, true], [4, true]]))).toMatchObject({ answer: 4, atMax: true });
    expect(sweepAnswer(new Map([[1, false], [2, true]]))).toMatchObject({ answer: 0, nonMonotonic: [2] });
  });

  it('refuses a bad range', async () => {
    await expect(searchCapacity(limit(3), 0, 4)).rejects.toThrow(/1 <= start <= max/);
    await expect(searchCapacity(limit(3), 5, 4)).rejects.toThrow(/1 <= start <= max/);
  });
});
