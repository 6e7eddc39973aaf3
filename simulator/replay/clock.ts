/** The replayer's notion of time, injected so schedule adherence can be tested on a controlled clock. */
import { performance } from 'node:perf_hooks';

export interface ReplayClock {
  /** Monotonic time in milliseconds (fractional). */
  now(): number;
  /** Resolve once now() >= `untilMs`, or early when `signal` aborts. */
  sleepUntil(untilMs: number, signal?: AbortSignal): Promise<void>;
}

// setTimeout fires up to ~1 ms late and only has 1 ms resolution; sleep the bulk with a timer and the last
// stretch with setImmediate turns, which still let I/O callbacks run (a short, bounded spin).
const SPIN_MS = 1.5;

/** The wall clock: performance.now() with a timer-then-setImmediate sleep (sub-millisecond adherence). */
export function wallClock(): ReplayClock {
  return {
    now: () => performance.now(),
    sleepUntil(untilMs, signal) {
      return new Promise<void>((resolve) => {
        if (signal?.aborted) return resolve();
        let timer: NodeJS.Timeout | undefined;
        const done = () => {
          if (timer) clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        signal?.addEventListener('abort', done, { once: true });
        const spin = () => {
          if (signal?.aborted) return;
          if (performance.now() >= untilMs) done();
          else setImmediate(spin);
        };
        const wait = untilMs - performance.now() - SPIN_MS;
        if (wait > 0) timer = setTimeout(spin, wait);
        else spin();
      });
    },
  };
}
