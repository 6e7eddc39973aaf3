/**
 * The search for the largest passing worker count: double from `start` until a count fails (or `max` passes),
 * then bisect between the last pass and the first fail. Pure over `probe`, which runs (and caches) one count;
 * about 2·log2(answer) probes. It assumes more workers never pass where fewer failed (bisection never probes
 * above a failure, so it cannot see otherwise); a sweep (`sweepAnswer`) measures every count and reports it.
 */

/** Result of a search: the answer (0 when even `start` fails), the probes in the order made, and any contradiction. */
export interface SearchOutcome {
  answer: number;
  /** True when `max` itself passed: the capacity is at least `max`. */
  atMax: boolean;
  probes: number[];
  /** Counts that passed above a count that failed (sweeps only: the gates are not monotonic in workers there). */
  nonMonotonic: number[];
}

/** The answer of a sweep: the largest passing count below the first failure (a pass above it is reported, not trusted). */
export function sweepAnswer(results: ReadonlyMap<number, boolean>): SearchOutcome {
  const counts = [...results.keys()].sort((a, b) => a - b);
  const firstFail = Math.min(...counts.filter((w) => !results.get(w)), Infinity);
  return {
    answer: Math.max(0, ...counts.filter((w) => results.get(w) && w < firstFail)),
    atMax: firstFail === Infinity,
    probes: counts,
    nonMonotonic: counts.filter((w) => results.get(w) && w > firstFail),
  };
}

/** Find the largest count in [start, max] for which `probe` passes. */
export async function searchCapacity(probe: (workers: number) => Promise<boolean>, start: number, max: number): Promise<SearchOutcome> {
  if (!(Number.isInteger(start) && Number.isInteger(max) && start >= 1 && max >= start)) throw new Error(`search range must be whole numbers 1 <= start <= max, got ${start}..${max}`);
  const seen = new Map<number, boolean>();
  const probes: number[] = [];
  const run = async (w: number): Promise<boolean> => {
    let ok = seen.get(w);
    if (ok === undefined) {
      ok = await probe(w);
      seen.set(w, ok);
      probes.push(w);
    }
    return ok;
  };
  if (!(await run(start))) return { answer: 0, atMax: false, probes, nonMonotonic: [] };
  let lo = start;
  let hi: number | null = null;
  for (let w = Math.min(max, start * 2); ; w = Math.min(max, w * 2)) {
    if (await run(w)) {
      lo = w;
      if (w === max) break;
    } else {
      hi = w;
      break;
    }
  }
  if (hi !== null) {
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (await run(mid)) lo = mid;
      else hi = mid;
    }
  }
  return { answer: lo, atMax: hi === null, probes, nonMonotonic: [] };
}
