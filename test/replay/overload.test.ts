import { describe, expect, it } from 'vitest';
import { DEFAULT_OVERLOAD_RULES, OverloadDetector, overloadSummary, type LoadSample } from '../../simulator/replay/overload.ts';

const rules = { ...DEFAULT_OVERLOAD_RULES, minBacklog: 40 };

/** Samples every 250 ms of wall time for `seconds`, at speed 10 (simulated s = wall s × 10). */
function samples(seconds: number, at: (wallMs: number) => Pick<LoadSample, 'backlog' | 'oldestWaitMs'>): LoadSample[] {
  const out: LoadSample[] = [];
  for (let w = 0; w <= seconds * 1000; w += 250) out.push({ wallMs: w, simS: Math.floor((w * 10) / 1000), ...at(w) });
  return out;
}
function run(stream: LoadSample[]): OverloadDetector {
  const d = new OverloadDetector(rules);
  for (const s of stream) d.observe(s);
  return d;
}

describe('overload detector on fabricated load samples', () => {
  it('a healthy run (backlog within the workers, short waits) is not saturated', () => {
    const d = run(samples(30, (w) => ({ backlog: 10 + ((w / 250) % 7), oldestWaitMs: (w / 250) % 3 === 0 ? 400 : 0 })));
    expect(d.current.saturated).toBe(false);
    expect(d.current.fromS).toBeNull();
    expect(d.current.maxInFlight).toBe(16);
  });

  it('a saturated run: the backlog grows from wall 6.4 s (s = 64) and waits pass the bound', () => {
    const d = run(samples(30, (w) => (w < 6400 ? { backlog: 20, oldestWaitMs: 0 } : { backlog: 20 + Math.round((w - 6400) / 10), oldestWaitMs: w - 6400 })));
    expect(d.current.saturated).toBe(true);
    // The backlog rule fires first (the lateness bound is only passed at wall 11.4 s) and dates the rise from the
    // last sample still at the old depth: wall 6.25 s, s = 62.
    expect(d.current.fromS).toBe(62);
    expect(d.current.maxInFlight).toBe(20 + 2360);
    expect(d.current.maxLatenessMs).toBe(30_000 - 6400);
    expect(d.current.backlog).toBe(2380);
  });

  it('lateness past the bound, sustained, is saturation even when the backlog is flat', () => {
    const d = run(samples(20, (w) => ({ backlog: 39, oldestWaitMs: w >= 5000 ? 6000 : 0 })));
    expect(d.current.saturated).toBe(true);
    expect(d.current.fromS).toBe(50);
  });

  it('a lateness spike shorter than the sustain time is not saturation', () => {
    const d = run(samples(20, (w) => ({ backlog: 30, oldestWaitMs: w >= 5000 && w < 7000 ? 9000 : 0 })));
    expect(d.current.saturated).toBe(false);
    expect(d.current.maxLatenessMs).toBe(9000);
  });

  it('a dead target from s = 30 (nothing answered, backlog stuck at the workers) is not saturation', () => {
    const d = run(samples(20, (w) => ({ backlog: w < 3000 ? 15 : 40, oldestWaitMs: 0 })));
    expect(d.current.saturated).toBe(false);
  });
});

describe('overloadSummary', () => {
  const calm = { saturated: false, fromS: null, maxInFlight: 8, maxLatenessMs: 120, backlog: 0 };
  it('a run the deadline cut short is saturated from the end of the trace, even when no sample caught it', () => {
    expect(overloadSummary(calm, { deadlineHit: true, notSent: 12 }, 300_000, 60_000, 900.4)).toEqual({ saturated: true, fromS: 300, maxInFlight: 8, maxLatenessMs: 900, notSent: 12, deadlineMs: 60_000 });
  });
  it('a run that kept up is not', () => {
    expect(overloadSummary(calm, { deadlineHit: false, notSent: 0 }, 300_000, 60_000, 80)).toEqual({ saturated: false, fromS: null, maxInFlight: 8, maxLatenessMs: 120, notSent: 0, deadlineMs: 60_000 });
  });
});
