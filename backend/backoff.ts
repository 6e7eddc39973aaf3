/** Bounded exponential backoff with full jitter (AWS "full jitter"; gargle does the same for Sheets). */

export interface BackoffPolicy {
  /** Total attempts, the first included. */
  attempts: number;
  baseMs: number;
  capMs: number;
}

/** The lean profile's default: 4 attempts, 200 ms base, 2 s cap. */
export const LEAN_BACKOFF: BackoffPolicy = { attempts: 4, baseMs: 200, capMs: 2000 };

/** Delay before retry number `retry` (0-based): uniform in [0, min(cap, base·2^retry)), drawn from `random`. */
export function backoffDelay(policy: BackoffPolicy, retry: number, random: () => number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}
