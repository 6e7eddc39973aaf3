import { describe, expect, it } from 'vitest';
import { runCommand } from '../../simulator/cli/commands/run.ts';
import {
  REPLAYER_BOTTLENECK_P99_MS, REPLAYER_BOTTLENECK_SATURATED_SHARE, REPLAYER_BOTTLENECK_SEND_LAG_P99_MS, SATURATED_UTILIZATION, replayerHealth, watchEventLoop,
} from '../../simulator/replay/replayer-health.ts';

const block = (ms: number): void => {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // the event loop is blocked, as by a long synchronous task
  }
};
const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** Keeps the loop busy with short tasks (2 ms each, as a replayer sending and reading at its limit): no long block. */
const busyFor = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    const end = performance.now() + ms;
    const step = (): void => {
      block(2);
      if (performance.now() < end) setImmediate(step);
      else resolve();
    };
    step();
  });

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
    expect(watch.stop()).toEqual({ eventLoopDelayP99Ms: 0, eventLoopDelayMaxMs: 0, eventLoopUtilization: 0, saturatedShare: 0, bottleneck: false });
  });

  it('calls a loop kept busy by short tasks saturated and the bottleneck, though its delay stays short', async () => {
    const watch = watchEventLoop();
    watch.start();
    await busyFor(1200);
    const health = watch.stop();
    expect(health.eventLoopDelayP99Ms).toBeLessThan(REPLAYER_BOTTLENECK_P99_MS);
    expect(health.saturatedShare).toBeGreaterThan(0.8);
    expect(health.eventLoopUtilization).toBeGreaterThan(0.9);
    expect(health.bottleneck).toBe(true);
  });

  it('reports the send lags recorded since start(), and none when nothing was sent on schedule', async () => {
    const watch = watchEventLoop();
    watch.sendLag(500); // before t0 (a warm-up): not the run's
    watch.start();
    for (let i = 0; i < 99; i++) watch.sendLag(0.2);
    watch.sendLag(80);
    watch.sendLag(90);
    await tick(20);
    const health = watch.stop();
    expect(health.sendLagP99Ms).toBeCloseTo(80, 0);
    expect(health.sendLagMaxMs).toBeCloseTo(90, 0);
    expect(health.bottleneck).toBe(true);
    watch.start();
    await tick(20);
    expect(watch.stop()).not.toHaveProperty('sendLagP99Ms');
  });

  it('gives the share of the latest quarter second’s sends that were 20 ms or more late, for the live line', async () => {
    const watch = watchEventLoop();
    watch.start();
    expect(watch.lateShare()).toBe(0);
    for (let i = 0; i < 3; i++) watch.sendLag(25);
    watch.sendLag(REPLAYER_BOTTLENECK_SEND_LAG_P99_MS - 0.1);
    await tick(300); // the window closes
    expect(watch.lateShare()).toBe(0.75);
    await tick(260); // a window with no sends
    expect(watch.lateShare()).toBe(0);
    watch.sendLag(30);
    watch.start();
    await tick(300);
    expect(watch.lateShare()).toBe(0);
    watch.stop();
  });

  it('a loop waiting on timers is neither saturated nor busy', async () => {
    const watch = watchEventLoop();
    watch.start();
    for (let i = 0; i < 12; i++) await tick(50);
    const health = watch.stop();
    expect(health.saturatedShare).toBe(0);
    expect(health.eventLoopUtilization).toBeLessThan(0.5);
    expect(health.bottleneck).toBe(false);
  });
});

describe('replayerHealth', () => {
  it('calls the replayer the bottleneck from a p99 of 50 ms', () => {
    expect(replayerHealth({ p99Ms: 49.94, maxMs: 200 }, []).bottleneck).toBe(false);
    expect(replayerHealth({ p99Ms: REPLAYER_BOTTLENECK_P99_MS, maxMs: 60 }, [])).toEqual({
      eventLoopDelayP99Ms: 50, eventLoopDelayMaxMs: 60, eventLoopUtilization: 0, saturatedShare: 0, bottleneck: true,
    });
  });

  it('weighs each window by its length, and calls the replayer the bottleneck from 5 % of the replay saturated', () => {
    const delay = { p99Ms: 3, maxMs: 9 };
    const h = replayerHealth(delay, [{ ms: 950, utilization: 0.5 }, { ms: 50, utilization: 0.96 }]);
    expect(h).toEqual({ eventLoopDelayP99Ms: 3, eventLoopDelayMaxMs: 9, eventLoopUtilization: 0.523, saturatedShare: 0.05, bottleneck: true });
    expect(REPLAYER_BOTTLENECK_SATURATED_SHARE).toBe(0.05);
    // Just under: 49 of 1,000 ms saturated; and a window at 94 % busy is not saturated.
    expect(replayerHealth(delay, [{ ms: 951, utilization: 0.5 }, { ms: 49, utilization: 1 }]).bottleneck).toBe(false);
    // The verdict follows the printed figures: a share that prints as 0.05 is a bottleneck.
    expect(replayerHealth(delay, [{ ms: 9502, utilization: 0.5 }, { ms: 498, utilization: 1 }])).toMatchObject({ saturatedShare: 0.05, bottleneck: true });
    expect(replayerHealth({ p99Ms: 49.96, maxMs: 60 }, [])).toMatchObject({ eventLoopDelayP99Ms: 50, bottleneck: true });
    expect(replayerHealth(delay, [{ ms: 1000, utilization: 0.94 }]).saturatedShare).toBe(0);
  });

  it('calls a replayer that sent late on its own the bottleneck from a send-lag p99 of 20 ms, though its loop looked fine', () => {
    // A loop 80 % busy, never saturated, short delays: only the send lag shows that events went out late.
    const delay = { p99Ms: 4, maxMs: 12 };
    const windows = [{ ms: 1000, utilization: 0.8 }];
    expect(REPLAYER_BOTTLENECK_SEND_LAG_P99_MS).toBe(20);
    expect(replayerHealth(delay, windows, { p99Ms: 19.94, maxMs: 40 })).toEqual({
      eventLoopDelayP99Ms: 4, eventLoopDelayMaxMs: 12, eventLoopUtilization: 0.8, saturatedShare: 0, sendLagP99Ms: 19.9, sendLagMaxMs: 40, bottleneck: false,
    });
    expect(replayerHealth(delay, windows, { p99Ms: 19.96, maxMs: 40 })).toMatchObject({ sendLagP99Ms: 20, bottleneck: true });
    expect(replayerHealth(delay, windows, null)).not.toHaveProperty('sendLagP99Ms');
  });
});

describe('sheetsim run --help', () => {
  it('states the bounds the verdict uses', () => {
    const help = (runCommand.description ?? '').replace(/\s+/g, ' ');
    expect(help).toContain(`saturated (>= ${SATURATED_UTILIZATION * 100} % busy) for ${REPLAYER_BOTTLENECK_SATURATED_SHARE * 100} % of the replay`);
    expect(help).toContain(`loop delay p99 reached ${REPLAYER_BOTTLENECK_P99_MS} ms`);
    expect(help).toContain(`reached ${REPLAYER_BOTTLENECK_SEND_LAG_P99_MS} ms`);
  });
});
