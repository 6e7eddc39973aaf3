/**
 * Counts that vary from run to run in realtime (Sheets calls per operation, errors): event order flips a few
 * answers (409 ↔ 200) and quota timing changes retries, so one pair of runs cannot tell a code change from noise.
 * A difference "holds across runs" when every head run lies beyond every base run AND the gap between the side
 * means is at least `minAbs` and `k` times the pooled run-to-run standard deviation. With 3 runs per side complete
 * separation alone has a one-sided chance of 1/20 under no change; the size condition keeps an A/A comparison of
 * many scenarios from reaching it by noise. Pure.
 */

export type Direction = 'up' | 'down' | null;

const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
const ss = (v: number[]): number => {
  const m = mean(v);
  return v.reduce((a, b) => a + (b - m) ** 2, 0);
};

/** Does head differ from base across runs, and which way? null with fewer than 2 runs on a side. */
export function holdsAcrossRuns(base: number[], head: number[], minAbs: number, k = 3): Direction {
  if (base.length < 2 || head.length < 2) return null;
  const sd = Math.sqrt((ss(base) + ss(head)) / Math.max(1, base.length + head.length - 2));
  const gap = mean(head) - mean(base);
  const enough = Math.abs(gap) >= Math.max(minAbs, k * sd);
  if (Math.min(...head) > Math.max(...base) && enough) return 'up';
  if (Math.max(...head) < Math.min(...base) && enough) return 'down';
  return null;
}

/** Arithmetic mean (0 for none). */
export function meanOf(v: number[]): number {
  return v.length ? mean(v) : 0;
}
