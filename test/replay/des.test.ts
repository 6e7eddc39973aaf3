/** The discrete-event scheduler of exact mode: per-worker timelines, (start, seq) order, bounded read-ahead. */
import { describe, expect, it } from 'vitest';
import { runDes } from '../../simulator/replay/des.ts';
import type { TraceEvent } from '../../simulator/trace/types.ts';

const ev = (seq: number, t: number, worker: number): TraceEvent => ({ seq, t, worker, op: 'health', scenario: 's', req: { method: 'GET', path: '/' } });

describe('runDes', () => {
  it('runs each worker on its own timeline: the virtual duration is the trace plus the longest event, not the sum', async () => {
    // 4 workers, one event each second for 60 s, every event lasting 800 ms: one global clock would need 192 s.
    const events: TraceEvent[] = [];
    for (let s = 0; s < 60; s++) for (let w = 0; w < 4; w++) events.push(ev(events.length, s * 1000, w));
    const starts = new Map<number, number>();
    const res = await runDes(events, async (e, start) => {
      starts.set(e.seq, start);
      return 800;
    });
    expect(res.dispatched).toBe(240);
    expect(res.longestEventMs).toBe(800);
    expect(res.virtualEndMs).toBe(59_000 + 800);
    // no event waited: each worker's previous event ended before its next t
    for (const e of events) expect(starts.get(e.seq)).toBe(e.t);
  });

  it("starts a worker's event after its previous one ends, and takes events in (start, seq) order", async () => {
    const events = [ev(0, 0, 1), ev(1, 100, 1), ev(2, 150, 2), ev(3, 2000, 1), ev(4, 2000, 3)];
    const order: [number, number][] = [];
    const res = await runDes(events, async (e, start) => {
      order.push([e.seq, start]);
      return e.seq === 0 ? 1500 : 300;
    });
    // seq 1 waits for worker 1's seq 0 (ends at 1500), so seq 2 (t 150, worker 2) runs before it; seq 1 ends at
    // 1800, before seq 3's t, so seq 3 starts on time; seq 3 and 4 tie at 2000 and go by seq.
    expect(order).toEqual([
      [0, 0],
      [2, 150],
      [1, 1500],
      [3, 2000],
      [4, 2000],
    ]);
    expect(res.virtualEndMs).toBe(2300);
  });

  it('reads the trace only as far as the earliest queued start', async () => {
    let read = 0;
    let maxAhead = 0;
    let ran = 0;
    async function* stream(): AsyncGenerator<TraceEvent> {
      for (let i = 0; i < 1000; i++) {
        read += 1;
        yield ev(i, i * 10, i % 5);
      }
    }
    const res = await runDes(stream(), async () => {
      ran += 1;
      maxAhead = Math.max(maxAhead, read - ran);
      return 5;
    });
    expect(res.dispatched).toBe(1000);
    // events are 10 ms apart and last 5 ms: at most the next one (the look-ahead) is read before it is due
    expect(maxAhead).toBeLessThanOrEqual(2);
  });

  it('is deterministic: the same events and durations give the same order', async () => {
    const events: TraceEvent[] = [];
    for (let i = 0; i < 200; i++) events.push(ev(i, Math.floor(i / 3) * 100, i % 7));
    const run = async () => {
      const order: number[] = [];
      await runDes(events, async (e) => {
        order.push(e.seq);
        return (e.seq * 37) % 450;
      });
      return order.join(',');
    };
    expect(await run()).toBe(await run());
  });

  it('stops at an aborted signal', async () => {
    const ac = new AbortController();
    const events = Array.from({ length: 10 }, (_, i) => ev(i, i, 0));
    const res = await runDes(events, async (e) => {
      if (e.seq === 3) ac.abort();
      return 1;
    }, ac.signal);
    expect(res.dispatched).toBe(4);
    expect(res.interrupted).toBe(true);
  });
});
