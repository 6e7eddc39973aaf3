import { describe, expect, it } from 'vitest';
import { REPLAYER_BOTTLENECK_P99_MS, replayerHealth, watchEventLoop } from '../../simulator/replay/replayer-health.ts';

const block = (ms: number): void => {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // the event loop is blocked, as by a long synchronous task
  }
};
const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('watchEventLoop', () => {
  it('counts only what comes after start(): a 1 s block before t0 (warm-ups, cold code) is not the run’s lag', async () => {
    const watch = watchEventLoop();
    block(1000);
    await tick(20);
    watch.start();
    await tick(50);
    expect(watch.stop().eventLoopDelayMaxMs).toBeLessThan(900);
  });

  it('counts a block after start(), and start() again begins afresh', async () => {
    const watch = watchEventLoop();
    watch.start();
    await tick(20);
    block(800);
    await tick(20);
    watch.start();
    await tick(20);
    block(200);
    await tick(20);
    const health = watch.stop();
    expect(health.eventLoopDelayMaxMs).toBeGreaterThanOrEqual(180);
    expect(health.eventLoopDelayMaxMs).toBeLessThan(700);
  });

  it('reports no delay when the replay never started (interrupted before t0)', async () => {
    const watch = watchEventLoop();
    block(200);
    await tick(20);
    expect(watch.stop()).toEqual({ eventLoopDelayP99Ms: 0, eventLoopDelayMaxMs: 0, bottleneck: false });
  });
});

describe('replayerHealth', () => {
  it('calls the replayer the bottleneck from a p99 of 50 ms', () => {
    expect(replayerHealth(49.9, 200).bottleneck).toBe(false);
    expect(replayerHealth(REPLAYER_BOTTLENECK_P99_MS, 60)).toEqual({ eventLoopDelayP99Ms: 50, eventLoopDelayMaxMs: 60, bottleneck: true });
  });
});
