/** The replayer's notion of time, injected so schedule adherence can be tested on a controlled clock. */
import { performance } from 'node:perf_hooks';

export interface ReplayClock {
  /** Monotonic time in milliseconds (fractional). */
  now(): number;
  /** Resolve once now() >= `untilMs`, or early when `signal` aborts. */
  sleepUntil(untilMs: number, signal?: AbortSignal): Promise<void>;
}

// The sleep arms a timer for the wait rounded up to whole milliseconds (setTimeout's resolution), so an event
// goes out 0-1 ms after its due time, and turns setImmediate (which still lets I/O run) only for the last
// fraction below SPIN_MS, e.g. when a timer fired early because the loop's cached time was stale. Spinning the
// whole last millisecond (as this clock used to) kept the replayer's core at 100 % even at 1,000 events/s,
// taking it from the target and the box's other processes, for no gain in p99 lateness; see bench/README.md.
const SPIN_MS = 0.2;

/** The wall clock: performance.now(); sleeps on a timer rounded up to the millisecond, spins only the last 0.2 ms. */
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
        const check = () => {
          timer = undefined;
          if (signal?.aborted) return;
          const left = untilMs - performance.now();
          if (left <= 0) done();
          else if (left < SPIN_MS) setImmediate(check);
          else timer = setTimeout(check, Math.ceil(left));
        };
        check();
      });
    },
  };
}
