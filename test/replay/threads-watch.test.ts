// The validity watch fed a thread's answers compacted (threads-watch.ts) sees what it sees fed them one by one.
import { describe, expect, it } from 'vitest';
import { replayWatch, WatchBatch } from '../../simulator/replay/threads-watch.ts';
import { DEFAULT_VALIDITY_RULES, type ObservedEvent, TargetWatch } from '../../simulator/replay/validity.ts';
import { seededRandom } from '../seeded-random.ts';

const STATUSES = [200, 201, 204, 404, 429, 500];
const ERRORS = ['ECONNREFUSED', 'ECONNRESET', 'OTHER', 'TIMEOUT', 'KEEPALIVE_CLOSED'];

function answers(seed: number, n: number): ObservedEvent[] {
  const rnd = seededRandom(seed);
  const out: ObservedEvent[] = [];
  let t = 0;
  // Stretches of healthy answers and of errors, so that some streaks reach the unreachable threshold.
  let failing = false;
  for (let i = 0; i < n; i++) {
    t += Math.floor(rnd() * 50);
    if (rnd() < 0.05) failing = !failing;
    if (failing && rnd() < 0.9) out.push({ t, status: null, error: ERRORS[Math.floor(rnd() * ERRORS.length)]! });
    else out.push({ t, status: STATUSES[Math.floor(rnd() * STATUSES.length)]!, error: null });
  }
  return out;
}

describe('WatchBatch + replayWatch', () => {
  for (const seed of [1, 7, 99, 1234]) {
    it(`gives the watch the same counts, failing states and verdict as each answer (seed ${seed})`, () => {
      const rnd = seededRandom(seed + 1);
      const all = answers(seed, 2000);
      const direct = new TargetWatch({ ...DEFAULT_VALIDITY_RULES, unreachableAfter: 8 + Math.floor(rnd() * 10) });
      const compact = new TargetWatch(direct.rules);
      const batch = new WatchBatch();
      let i = 0;
      let wentUnreachable = 0;
      while (i < all.length) {
        // Batches of random size, as a thread posts them.
        const end = Math.min(all.length, i + 1 + Math.floor(rnd() * 300));
        for (; i < end; i++) {
          batch.push(all[i]!);
          if (direct.observe(all[i]!)) wentUnreachable += 1;
        }
        replayWatch(batch.take(), (t, status, error) => {
          if (compact.observe({ t, status, error })) wentUnreachable -= 1;
        });
        expect(compact.failing).toBe(direct.failing);
        expect(compact.unreachable).toEqual(direct.unreachable);
      }
      expect(wentUnreachable).toBe(0);
      expect({ sent: compact.sent, ok: compact.ok, transportErrors: compact.transportErrors }).toEqual({ sent: direct.sent, ok: direct.ok, transportErrors: direct.transportErrors });
      expect(compact.evaluate()).toEqual(direct.evaluate());
      expect(direct.sent).toBe(2000);
    });
  }

  it('sends a healthy batch as one run', () => {
    const batch = new WatchBatch();
    for (let i = 0; i < 500; i++) batch.push({ t: i, status: i % 10 === 0 ? 404 : 200, error: null });
    expect(batch.take()).toEqual([{ answered: 500, ok: 450 }]);
    expect(batch.take()).toEqual([]);
  });
});
