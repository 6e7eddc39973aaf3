import { describe, expect, it } from 'vitest';
import { wallClock } from '../../simulator/replay/clock.ts';
import { warmHotPath } from '../../simulator/replay/hot-path-warmup.ts';

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
