import { afterEach, describe, expect, it, vi } from 'vitest';
import { type SleepLedger, withRetry } from '../../backend/profiles/sheets-retry.ts';
import { SheetsApiError } from '../../backend/sheets-error.ts';

const rateLimited = () => new SheetsApiError(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded', 'RATE_LIMIT_EXCEEDED');

describe('withRetry', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sleeps each delay divided by the replay speed, and books the simulated delay', async () => {
    vi.useFakeTimers();
    const ledger: SleepLedger = { retries: 0, sleptMs: 0, skippedSleepMs: 0 };
    let attempts = 0;
    const done = withRetry(async () => {
      attempts += 1;
      if (attempts < 3) throw rateLimited();
      return 'ok';
    }, { attempts: 4, delay: (r) => 1000 * 2 ** r, retryable: (e) => e.status === 429, skipSleep: false, speed: 10, ledger });
    await vi.advanceTimersByTimeAsync(99);
    expect(attempts).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(attempts).toBe(2);
    await vi.advanceTimersByTimeAsync(200);
    expect(await done).toBe('ok');
    expect(ledger).toEqual({ retries: 2, sleptMs: 3000, skippedSleepMs: 0 });
  });

  it('counts instead of sleeping under the sim clock, and rethrows the last error', async () => {
    const ledger: SleepLedger = { retries: 0, sleptMs: 0, skippedSleepMs: 0 };
    const run = withRetry(async () => {
      throw rateLimited();
    }, { attempts: 3, delay: () => 500, retryable: () => true, skipSleep: true, ledger });
    await expect(run).rejects.toMatchObject({ status: 429 });
    expect(ledger).toEqual({ retries: 2, sleptMs: 0, skippedSleepMs: 1000 });
  });
});
