/**
 * The replayer's own health: its event-loop delay, sampled by perf_hooks.monitorEventLoopDelay. When the loop
 * lags, events go out late because of the replayer, not the target; the report says so (`run.replayer`).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ReplayerHealth } from '../report/model.ts';

/** Event-loop delay p99 (ms) from which the replayer counts as the bottleneck of its own run. */
export const REPLAYER_BOTTLENECK_P99_MS = 50;

const RESOLUTION_MS = 10;
const round1 = (n: number): number => Math.round(n * 10) / 10;

/** The verdict from measured delays (pure). */
export function replayerHealth(p99Ms: number, maxMs: number, boundMs = REPLAYER_BOTTLENECK_P99_MS): ReplayerHealth {
  return { eventLoopDelayP99Ms: round1(p99Ms), eventLoopDelayMaxMs: round1(maxMs), bottleneck: p99Ms >= boundMs };
}

/**
 * This process's event-loop delay over the replay: nothing is recorded until `start()` (call it at t0, so the warm-ups
 * and the cold code before it are not counted as the run's own lag), and `start()` again begins afresh. `stop()` gives
 * the report section: no delay when the replay never started (interrupted before t0).
 */
export function watchEventLoop(): { start(): void; stop(): ReplayerHealth } {
  const h = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  return {
    start() {
      h.disable();
      h.reset();
      h.enable();
    },
    stop() {
      h.disable();
      // The histogram holds the timer's whole interval; the delay is what exceeds the resolution.
      const lag = (ns: number): number => (h.count === 0 ? 0 : Math.max(0, ns / 1e6 - RESOLUTION_MS));
      return replayerHealth(lag(h.percentile(99)), lag(h.max));
    },
  };
}
