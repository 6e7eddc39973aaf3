import { describe, expect, it } from 'vitest';
import { wallClock } from '../../simulator/replay/clock.ts';
import { warmHotPath, warmedUp } from '../../simulator/replay/hot-path-warmup.ts';

describe('warmHotPath', () => {
  it('sends its requests to a loopback server of its own and gets every one answered', async () => {
    const res = await warmHotPath({ clock: wallClock(), requests: 300, concurrency: 8, maxMs: 60_000 });
    expect(res.requests).toBe(300);
  });

  it('stops at its time budget', async () => {
    const res = await warmHotPath({ clock: wallClock(), requests: 1_000_000, concurrency: 4, maxMs: 0 });
    expect(res.requests).toBe(0);
  });
});

describe('warmHotPath until steady', () => {
  it('goes on past its first requests in rounds, and stops by its request cap at the latest', async () => {
    const res = await warmHotPath({ clock: wallClock(), requests: 100, concurrency: 4, maxMs: 60_000, untilSteady: { round: 50, tolerance: 0.1, maxRequests: 300 } });
    expect(res.requests).toBeGreaterThanOrEqual(200); // at least two rounds: one alone cannot show a steady state
    expect(res.requests).toBeLessThanOrEqual(300);
    expect(res.rounds).toBeGreaterThanOrEqual(2);
    expect((res.requests - 100) % 50).toBe(0);
  });

  it('never starts a round past its time budget', async () => {
    const res = await warmHotPath({ clock: wallClock(), requests: 10, concurrency: 2, maxMs: 0, untilSteady: { round: 10, tolerance: 0.1, maxRequests: 1000 } });
    expect(res.requests).toBe(0);
    expect(res.rounds).toBe(0);
  });
});

describe('warmedUp', () => {
  it('needs two rounds, and is steady once a round stopped getting faster by more than the tolerance', () => {
    expect(warmedUp([], 0.1)).toBe(false);
    expect(warmedUp([0.5], 0.1)).toBe(false);
    expect(warmedUp([0.5, 0.3], 0.1)).toBe(false); // 40 % faster: still warming
    expect(warmedUp([0.5, 0.3, 0.28], 0.1)).toBe(true); // 7 % faster: within the tolerance
    expect(warmedUp([0.3, 0.35], 0.1)).toBe(true); // slower: no longer improving
  });
});
