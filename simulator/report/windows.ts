/** Sliding-minute sums over the per-second timeline, shared by the findings and the charts so both quote the same figure. */
import type { TimelinePoint } from './model.ts';

/** For each timeline point, the sum of pick() over the points of the 60 simulated seconds ending at it. */
export function perSlidingMinute(timeline: TimelinePoint[], pick: (p: TimelinePoint) => number): number[] {
  const out: number[] = [];
  let sum = 0;
  let first = 0;
  for (let i = 0; i < timeline.length; i++) {
    sum += pick(timeline[i]!);
    // Keyed by `s`, not by index, so a timeline with missing seconds still sums one minute.
    while (timeline[first]!.s <= timeline[i]!.s - 60) sum -= pick(timeline[first++]!);
    out.push(sum);
  }
  return out;
}
