import { describe, expect, it } from 'vitest';
import { ReadAhead } from '../../simulator/replay/read-ahead.ts';
import type { TraceEvent } from '../../simulator/trace/types.ts';

function ev(seq: number, t: number): TraceEvent {
  return { seq, t, worker: 1 + (seq % 3), op: 'health', scenario: 'health', req: { method: 'GET', path: '/api/health' } };
}

/** An async source like a trace stream; records how far it was read and whether it was closed. */
function source(n: number, failAt: number | null = null) {
  const state = { read: 0, closed: false };
  async function* gen(): AsyncGenerator<TraceEvent> {
    try {
      for (let i = 0; i < n; i++) {
        if (i === failAt) throw new Error(`bad line ${i}`);
        state.read += 1;
        yield ev(i, i * 10);
      }
    } finally {
      state.closed = true;
    }
  }
  return { state, events: gen() };
}

async function drain(ra: ReadAhead): Promise<number[]> {
  const seqs: number[] = [];
  for (;;) {
    const r = ra.nextSync();
    if (r === null) {
      await ra.wait();
      continue;
    }
    if (r.done) return seqs;
    seqs.push(r.value.seq);
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
    let error: unknown = null;
    try {
      for (;;) {
        const r = ra.nextSync();
        if (r === null) {
          await ra.wait();
          continue;
        }
        if (r.done) break;
        seqs.push(r.value.seq);
      }
    } catch (err) {
      error = err;
    }
    expect(seqs).toEqual(Array.from({ length: 700 }, (_, i) => i));
    expect((error as Error).message).toBe('bad line 700');
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
