import { describe, expect, it } from 'vitest';
import { wallClock } from '../../simulator/replay/clock.ts';

describe('wallClock', () => {
  it('never wakes before the due time, for waits below, around and above a millisecond', async () => {
    const clock = wallClock();
    for (const wait of [0.05, 0.3, 0.9, 1, 1.7, 3.2, 12]) {
      const due = clock.now() + wait;
      await clock.sleepUntil(due);
      expect(clock.now(), `wait ${wait} ms`).toBeGreaterThanOrEqual(due);
    }
  });

  it('returns at once for a time already past, and early when the signal aborts', async () => {
    const clock = wallClock();
    const start = clock.now();
    await clock.sleepUntil(start - 5);
    const controller = new AbortController();
    const sleeping = clock.sleepUntil(clock.now() + 60_000, controller.signal);
    setTimeout(() => controller.abort(), 5);
    await sleeping;
    expect(clock.now() - start).toBeLessThan(60_000);
    const aborted = new AbortController();
    aborted.abort();
    await clock.sleepUntil(clock.now() + 60_000, aborted.signal);
  });
});
