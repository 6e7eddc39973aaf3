/**
 * Retrying a Sheets call with a backoff schedule. A wait is slept on the wall clock (ms / speed), or in sim-clock
 * mode added to the request's virtual now instead; either way it is added to the request's wait total, which the
 * backend answers as `x-sheetsim-wait-ms`.
 */
import { currentRequest } from '../request-context.ts';
import { SheetsApiError } from '../sheets-error.ts';

/** Sleep bookkeeping shared by a profile's retries. */
export interface SleepLedger {
  retries: number;
  sleptMs: number;
  skippedSleepMs: number;
}

export interface RetryOptions {
  attempts: number;
  /** Delay (ms) before retry number `retry` (0-based). */
  delay: (retry: number) => number;
  /** Which failures are worth another attempt. */
  retryable: (err: SheetsApiError) => boolean;
  /** True in sim-clock mode: the delay is counted, not slept, so an exact replay runs at full speed. */
  skipSleep: boolean;
  /** Time scale of a sped-up replay: a delay of `ms` simulated milliseconds sleeps ms / speed of wall time. */
  speed?: number;
  ledger: SleepLedger;
}

/** Run `fn`, retrying retryable SheetsApiErrors up to `attempts` in total; the last error is rethrown. */
export async function withRetry<T>(fn: () => Promise<T>, opts: RetryOptions): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof SheetsApiError) || !opts.retryable(err) || attempt + 1 >= opts.attempts) throw err;
      const ms = opts.delay(attempt);
      opts.ledger.retries += 1;
      const request = currentRequest();
      if (request) request.waitMs += ms;
      if (opts.skipSleep) {
        opts.ledger.skippedSleepMs += ms;
        // The wait still takes virtual time: the retry happens ms later than the failed call answered.
        if (request?.simClock) request.nowMs += ms;
      } else {
        opts.ledger.sleptMs += ms;
        await new Promise((resolve) => setTimeout(resolve, ms / (opts.speed ?? 1)));
      }
    }
  }
}
