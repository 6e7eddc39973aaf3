/**
 * The replayer's own health over the replay: its event-loop delay (perf_hooks.monitorEventLoopDelay), how busy its
 * event loop was (performance.eventLoopUtilization, in windows of a quarter second) and its send lag (how late it
 * sent the events whose worker was free, schedule.ts `onSendLag`). When the loop lags, is busy all the time, or sends
 * late, events go out late and answers are read late because of the replayer, not the target; the report says so
 * (`run.replayer`, docs/report.md#the-replayers-own-health).
 */
import { type EventLoopUtilization, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { ReplayerHealth } from '../report/model.ts';
import { newHistogram, recordMs } from '../metrics/histogram.ts';

/** Event-loop delay p99 (ms) from which the replayer counts as the bottleneck of its own run. */
export const REPLAYER_BOTTLENECK_P99_MS = 50;
/** A window in which the event loop was busy at least this share of the time counts as saturated. */
export const SATURATED_UTILIZATION = 0.95;
/** Share of the replay's wall time in saturated windows from which the replayer counts as the bottleneck. */
export const REPLAYER_BOTTLENECK_SATURATED_SHARE = 0.05;
/** The replayer's own send lag p99 (ms) from which it counts as the bottleneck. */
export const REPLAYER_BOTTLENECK_SEND_LAG_P99_MS = 20;
/**
 * The live progress line calls the replayer late while at least this share of its latest quarter second's sends
 * were REPLAYER_BOTTLENECK_SEND_LAG_P99_MS or more late: a steady lag, not one pause (a GC) that delays a few.
 */
export const LATE_WINDOW_SHARE = 0.5;

const RESOLUTION_MS = 10;
const WINDOW_MS = 250;
const round1 = (n: number): number => Math.round(n * 10) / 10;
const round3 = (n: number): number => Math.round(n * 1000) / 1000;

/** A stretch of the replay: its wall length and the share of it the event loop was busy. */
export interface LoopWindow {
  ms: number;
  utilization: number;
}

/** Percentiles of a measured wall-time distribution, ms. */
export interface LagFigures {
  p99Ms: number;
  maxMs: number;
}

/**
 * The verdict from measured loop delays, busy windows and send lags (pure). `sendLag` is null when this loop sent
 * nothing on its own schedule (a threaded run's main thread).
 */
export function replayerHealth(delay: LagFigures, windows: readonly LoopWindow[], sendLag: LagFigures | null = null): ReplayerHealth {
  let total = 0;
  let busy = 0;
  let saturated = 0;
  for (const w of windows) {
    total += w.ms;
    busy += w.ms * w.utilization;
    if (w.utilization >= SATURATED_UTILIZATION) saturated += w.ms;
  }
  // The verdict reads the figures as the report prints them, so that the two never disagree.
  const p99Ms = round1(delay.p99Ms);
  const saturatedShare = total > 0 ? round3(saturated / total) : 0;
  const lagP99Ms = sendLag ? round1(sendLag.p99Ms) : 0;
  return {
    eventLoopDelayP99Ms: p99Ms,
    eventLoopDelayMaxMs: round1(delay.maxMs),
    eventLoopUtilization: total > 0 ? round3(busy / total) : 0,
    saturatedShare,
    ...(sendLag ? { sendLagP99Ms: lagP99Ms, sendLagMaxMs: round1(sendLag.maxMs) } : {}),
    bottleneck:
      p99Ms >= REPLAYER_BOTTLENECK_P99_MS || saturatedShare >= REPLAYER_BOTTLENECK_SATURATED_SHARE || lagP99Ms >= REPLAYER_BOTTLENECK_SEND_LAG_P99_MS,
  };
}

/**
 * This thread's event loop over the replay: nothing is recorded until `start()` (call it at t0, so the warm-ups and
 * the cold code before it are not counted as the run's own lag), and `start()` again begins afresh. `stop()` gives
 * the report section: nothing measured when the replay never started (interrupted before t0). `current()` is the
 * busy share of the latest window, for the live progress line (0 before the first). `sendLag(ms)` records how late
 * the schedule sent an event whose worker was free; `lateShare()` is the share of the latest window's sends that were
 * REPLAYER_BOTTLENECK_SEND_LAG_P99_MS or more late (0 before the first, or when it sent nothing).
 */
export function watchEventLoop(): { start(): void; stop(): ReplayerHealth; current(): number; sendLag(ms: number): void; lateShare(): number } {
  const h = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  const lags = newHistogram();
  // Sends of the window being measured, and how many of them were late by the bound; the share of the last one closed.
  let sent = 0;
  let late = 0;
  let lastLateShare = 0;
  let windows: LoopWindow[] = [];
  let last: EventLoopUtilization | null = null;
  let timer: NodeJS.Timeout | null = null;
  // A window ends when the timer fires: later than WINDOW_MS when the loop was busy, and weighted by its length.
  const closeWindow = (): void => {
    const now = performance.eventLoopUtilization();
    const w = performance.eventLoopUtilization(now, last!);
    windows.push({ ms: w.idle + w.active, utilization: w.utilization });
    last = now;
    lastLateShare = sent > 0 ? late / sent : 0;
    sent = 0;
    late = 0;
  };
  const halt = (): void => {
    h.disable();
    if (timer) clearInterval(timer);
    timer = null;
  };
  return {
    start() {
      halt();
      h.reset();
      h.enable();
      windows = [];
      lags.reset();
      sent = 0;
      late = 0;
      lastLateShare = 0;
      last = performance.eventLoopUtilization();
      timer = setInterval(closeWindow, WINDOW_MS);
      timer.unref();
    },
    current() {
      return windows.length > 0 ? windows[windows.length - 1]!.utilization : 0;
    },
    sendLag(ms) {
      recordMs(lags, ms);
      sent += 1;
      if (ms >= REPLAYER_BOTTLENECK_SEND_LAG_P99_MS) late += 1;
    },
    lateShare() {
      return lastLateShare;
    },
    stop() {
      const started = timer !== null;
      halt();
      if (started) closeWindow();
      // The histogram holds the timer's whole interval; the delay is what exceeds the resolution.
      const lag = (ns: number): number => (h.count === 0 ? 0 : Math.max(0, ns / 1e6 - RESOLUTION_MS));
      const sendLag = lags.totalCount > 0 ? { p99Ms: lags.getValueAtPercentile(99) / 1000, maxMs: lags.maxValue / 1000 } : null;
      return replayerHealth({ p99Ms: lag(h.percentile(99)), maxMs: lag(h.max) }, windows, sendLag);
    },
  };
}
