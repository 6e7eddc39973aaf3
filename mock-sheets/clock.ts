/** The mock's clocks: wall time (optionally sped up) and a virtual clock the replayer sets. */
import type { Clock } from './policy.ts';

/** Default start of the virtual clock: a fixed Monday shift start in Chile, never "today", so runs reproduce. */
export const DEFAULT_VIRTUAL_START_MS = Date.parse('2026-03-02T08:00:00-03:00');

export interface WallClockOptions {
  /** Speed-up factor (> 0): mock time runs `speed` times faster than real time. Default 1. */
  speed?: number;
  /** Mock time at creation, epoch ms. Default: `wallNow()` at creation. */
  startMs?: number;
  /** Source of the real epoch time, only read once for the default start. Default Date.now. */
  wallNow?: () => number;
  /** Monotonic milliseconds source for elapsed time. Default performance.now. */
  monotonic?: () => number;
  /** How to wait real milliseconds. Default setTimeout. */
  sleeper?: (ms: number) => Promise<void>;
}

function realSleep(ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A clock that follows real time from `startMs`, `speed` times faster. Time dilation is whole: a sleep of `ms`
 * simulated milliseconds (a modelled latency) waits ms / speed of real time, as the quota minute lasts 60 s / speed.
 */
export function wallClock(options: WallClockOptions = {}): Clock {
  const speed = options.speed ?? 1;
  if (!(Number.isFinite(speed) && speed > 0)) throw new Error(`clock.speed: expected a number above 0, got ${speed}`);
  const monotonic = options.monotonic ?? (() => performance.now());
  let startMs = options.startMs ?? (options.wallNow ?? Date.now)();
  let origin = monotonic();
  const sleeper = options.sleeper ?? realSleep;
  return {
    mode: 'wall',
    speed,
    now: () => Math.floor(startMs + (monotonic() - origin) * speed),
    sleep: (ms) => sleeper(ms / speed),
    set: () => {
      throw new Error('the clock is in wall mode; start the mock with --clock virtual to set its time');
    },
    rebase: (nowMs) => {
      if (!Number.isFinite(nowMs)) throw new Error(`clock: expected epoch milliseconds, got ${nowMs}`);
      startMs = Math.floor(nowMs);
      origin = monotonic();
    },
  };
}

/** A clock that only moves when set (the exact replay mode); sleeps resolve at once, latency is only accounted. */
export function virtualClock(startMs: number = DEFAULT_VIRTUAL_START_MS): Clock {
  if (!Number.isFinite(startMs)) throw new Error(`clock.startMs: expected epoch milliseconds, got ${startMs}`);
  let current = Math.floor(startMs);
  return {
    mode: 'virtual',
    speed: 1,
    now: () => current,
    sleep: () => Promise.resolve(),
    set: (nowMs) => {
      if (!Number.isFinite(nowMs)) throw new Error(`clock: expected epoch milliseconds, got ${nowMs}`);
      if (nowMs < current) {
        throw new Error(`clock: cannot go backwards from ${new Date(current).toISOString()} to ${new Date(nowMs).toISOString()}`);
      }
      current = Math.floor(nowMs);
    },
    // The run's origin may lie before a warm-up's instants: rebasing is the one move allowed backwards.
    rebase: (nowMs) => {
      if (!Number.isFinite(nowMs)) throw new Error(`clock: expected epoch milliseconds, got ${nowMs}`);
      current = Math.floor(nowMs);
    },
  };
}
