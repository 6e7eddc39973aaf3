import { describe, expect, it } from 'vitest';
import { READ_AHEAD_MIN_EVENTS, ReadAhead } from '../../simulator/replay/read-ahead.ts';
import type { TraceEvent } from '../../simulator/trace/types.ts';

function ev(seq: number, t: number): TraceEvent {
  return { seq, t, worker: 1 + (seq % 3), op: 'health', scenario: 'health', req: { method: 'GET', path: '/api/health' } };
}

/** An async source like a trace stream; records how far it was read and whether it was closed. */
function source(n: number, failAt: number | null = null, tOf: (i: number) => number = (i) => i * 10) {
  const state = { read: 0, closed: false };
  async function* gen(): AsyncGenerator<TraceEvent> {
    try {
      for (let i = 0; i < n; i++) {
        if (i === failAt) throw new Error(`bad line ${i}`);
        state.read += 1;
        yield ev(i, tOf(i));
      }
    } finally {
      state.closed = true;
    }
  }
  return { state, events: gen() };
}

/** Take every event as the schedule does, into `seqs`; `afterTake` runs after each one. */
async function drain(ra: ReadAhead, seqs: number[] = [], afterTake?: () => Promise<void> | void): Promise<number[]> {
  for (;;) {
    const r = ra.nextSync();
    if (r === null) {
      await ra.wait();
      continue;
    }
    if (r.done) return seqs;
    seqs.push(r.value.seq);
    await afterTake?.();
  }
}

describe('ReadAhead', () => {
  it('hands out every event of an async source once, in order, across refills', async () => {
    const { events } = source(20_000);
    const ra = new ReadAhead(events, 256);
    const seqs = await drain(ra);
    expect(seqs).toEqual(Array.from({ length: 20_000 }, (_, i) => i));
  });

  it('prime reads the first part of the trace before the run, up to the first event past untilT', async () => {
    const { state, events } = source(10_000);
    const ra = new ReadAhead(events, 256);
    await ra.prime(1000); // t = 0, 10, …: events 0..100 cover t ≤ 1000, the 102nd (t = 1010) is past it
    expect(ra.buffered).toBe(102);
    expect(state.read).toBe(102);
    expect(ra.nextSync()).toEqual({ done: false, value: ev(0, 0) });
    await ra.close();
  });

  it('prime stops at its cap on a very dense start', async () => {
    const { events } = source(10_000);
    const ra = new ReadAhead(events, 256);
    await ra.prime(1_000_000, 500);
    expect(ra.buffered).toBe(500);
    await ra.close();
  });

  it("meets the source's error after the events before it, not earlier", async () => {
    const { events } = source(1000, 700);
    const ra = new ReadAhead(events, 64);
    await ra.prime(1_000_000);
    const seqs: number[] = [];
    const error = await drain(ra, seqs).then(() => null, (err: unknown) => err);
    expect(seqs).toEqual(Array.from({ length: 700 }, (_, i) => i));
    expect((error as Error).message).toBe('bad line 700');
  });

  it('refills at most aheadT of trace time once it holds READ_AHEAD_MIN_EVENTS, and every event still comes once', async () => {
    // An event every 10 ms: 256 events are 2.55 s of trace, past a 500 ms bound, so the buffer stays near 256.
    const { state, events } = source(5000);
    const ra = new ReadAhead(events, 2048, 500);
    const seqs: number[] = [];
    let maxAhead = 0;
    await drain(ra, seqs, async () => {
      maxAhead = Math.max(maxAhead, state.read - seqs.length);
      // Let the background refill run between takes, as the schedule's sleeps do.
      if (seqs.length % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
    });
    expect(seqs).toEqual(Array.from({ length: 5000 }, (_, i) => i));
    expect(maxAhead).toBeGreaterThanOrEqual(READ_AHEAD_MIN_EVENTS / 2);
    expect(maxAhead).toBeLessThanOrEqual(READ_AHEAD_MIN_EVENTS + 64);
  });

  it('a dense trace fills up to its event bound within aheadT', async () => {
    // 100 events per trace ms: 2,048 events are 20 ms of trace, well inside 500 ms.
    const { state, events } = source(20_000, null, (i) => Math.floor(i / 100));
    const ra = new ReadAhead(events, 2048, 500);
    expect(ra.nextSync()).toBeNull(); // nothing buffered yet: starts the refill
    await ra.wait();
    for (let i = 0; i < 200 && ra.buffered < 2048; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(ra.buffered).toBe(2048);
    expect(state.read).toBe(2048);
    await ra.close();
  });

  it('close releases the source when the run stops early', async () => {
    const { state, events } = source(100_000);
    const ra = new ReadAhead(events, 128);
    await ra.prime(100);
    ra.nextSync();
    await ra.close();
    expect(state.closed).toBe(true);
    expect(state.read).toBeLessThan(100_000);
  });
});
