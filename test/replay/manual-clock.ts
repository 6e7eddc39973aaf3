/** A controlled clock for scheduler tests: time only moves when every pending callback has run. */
import type { ReplayClock } from '../../simulator/replay/clock.ts';

interface Timer {
  at: number;
  resolve: () => void;
}

export class ManualClock implements ReplayClock {
  private t = 0;
  private timers: Timer[] = [];

  now(): number {
    return this.t;
  }

  sleepUntil(untilMs: number, signal?: AbortSignal): Promise<void> {
    if (untilMs <= this.t || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const onAbort = (): void => {
        this.timers = this.timers.filter((x) => x !== timer);
        resolve();
      };
      // A timer that fires removes its abort listener, as the wall clock's sleep does: a long run's sleeps on one
      // signal must not pile up listeners on it.
      const timer = {
        at: untilMs,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.timers.push(timer);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Sleep `ms` of controlled time (for fake servers). */
  delay(ms: number): Promise<void> {
    return this.sleepUntil(this.t + ms);
  }

  /** Move time on at once, as CPU time spent by the code under test would (no timer fires in between). */
  spend(ms: number): void {
    this.t += ms;
  }

  /** Drive `work` to completion: let callbacks settle, then jump to the earliest timer, repeatedly. */
  async run<T>(work: Promise<T>): Promise<T> {
    let finished = false;
    const result = work.finally(() => {
      finished = true;
    });
    while (!finished) {
      await new Promise((r) => setImmediate(r));
      if (finished) break;
      if (this.timers.length === 0) continue;
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers.shift()!;
      this.t = Math.max(this.t, next.at);
      next.resolve();
    }
    return result;
  }
}
