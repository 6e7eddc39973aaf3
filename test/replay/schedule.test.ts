import { describe, expect, it } from 'vitest';
import { runSchedule } from '../../simulator/replay/schedule.ts';
import type { TraceEvent } from '../../simulator/trace/types.ts';
import { ManualClock } from './manual-clock.ts';

function ev(seq: number, t: number, worker: number): TraceEvent {
  return { seq, t, worker, op: 'health', scenario: 'health', req: { method: 'GET', path: '/api/health' } };
}

describe('runSchedule', () => {
  it('sends each event at t0 + t / speed, whether or not earlier requests returned (open model)', async () => {
    const clock = new ManualClock();
    const sent: { seq: number; at: number; intended: number }[] = [];
    // Every request takes 5 s; different workers, so none waits for another.
    const events = [ev(0, 0, 1), ev(1, 1000, 2), ev(2, 2000, 3), ev(3, 2000, 4), ev(4, 10_000, 5)];
    const res = await clock.run(
      runSchedule({
        clock,
        speed: 2,
        events,
        dispatch: async (e, intended) => {
          sent.push({ seq: e.seq, at: clock.now(), intended });
          await clock.delay(5000);
        },
      }),
    );
    expect(res.dispatched).toBe(5);
    expect(sent).toEqual([
      { seq: 0, at: 0, intended: 0 },
      { seq: 1, at: 500, intended: 500 },
      { seq: 2, at: 1000, intended: 1000 },
      { seq: 3, at: 1000, intended: 1000 },
      { seq: 4, at: 5000, intended: 5000 },
    ]);
  });

  it('sends an async source (a trace stream, read ahead) in order and on time, as it sends an array', async () => {
    const list = Array.from({ length: 300 }, (_, i) => ev(i, Math.floor(i / 3) * 10, 1 + (i % 5)));
    const runWith = async (events: Iterable<TraceEvent> | AsyncIterable<TraceEvent>) => {
      const clock = new ManualClock();
      const sent: { seq: number; at: number }[] = [];
      await clock.run(
        runSchedule({
          clock,
          speed: 1,
          events,
          dispatch: async (e) => {
            sent.push({ seq: e.seq, at: clock.now() });
            await clock.delay(1);
          },
        }),
      );
      return sent;
    };
    async function* stream(): AsyncGenerator<TraceEvent> {
      for (const e of list) yield e;
    }
    const fromArray = await runWith(list);
    const fromStream = await runWith(stream());
    expect(fromStream.map((s) => s.seq)).toEqual(list.map((e) => e.seq));
    expect(fromStream).toEqual(fromArray);
  });

  it('reports the replayer’s own send lag for events whose worker was free, and none for events that waited on theirs', async () => {
    const clock = new ManualClock();
    const lags: number[] = [];
    // Each send costs the replayer 10 ms of its own time; the target answers 100 ms later.
    const events = [ev(0, 0, 1), ev(1, 0, 2), ev(2, 0, 3), ev(3, 50, 1)];
    const sent: { seq: number; at: number }[] = [];
    await clock.run(
      runSchedule({
        clock,
        speed: 1,
        events,
        dispatch: async (e) => {
          sent.push({ seq: e.seq, at: clock.now() });
          clock.spend(10);
          await clock.delay(100);
        },
        onSendLag: (ms) => lags.push(ms),
      }),
    );
    // Seq 1 and 2 were due at 0 and went out at 10 and 20: the replayer's lag. Seq 3 (due 50) waited for seq 0's
    // answer (at 110): late, but because of the target, so not the replayer's lag.
    expect(sent).toEqual([{ seq: 0, at: 0 }, { seq: 1, at: 10 }, { seq: 2, at: 20 }, { seq: 3, at: 110 }]);
    expect(lags).toEqual([0, 10, 20]);
  });

  it("keeps a worker's requests in order: the next one waits for the previous response and keeps its intended time", async () => {
    const clock = new ManualClock();
    const sent: { seq: number; at: number; intended: number }[] = [];
    const events = [ev(0, 0, 7), ev(1, 100, 7), ev(2, 200, 8), ev(3, 300, 7)];
    await clock.run(
      runSchedule({
        clock,
        speed: 1,
        events,
        dispatch: async (e, intended) => {
          sent.push({ seq: e.seq, at: clock.now(), intended });
          await clock.delay(e.seq === 0 ? 1000 : 50);
        },
      }),
    );
    // Worker 7: seq 1 (due 100) waits until seq 0 returns at 1000; seq 3 (due 300) goes at 1050. Worker 8 is unaffected.
    expect(sent).toEqual([
      { seq: 0, at: 0, intended: 0 },
      { seq: 2, at: 200, intended: 200 },
      { seq: 1, at: 1000, intended: 100 },
      { seq: 3, at: 1050, intended: 300 },
    ]);
  });

  it('at the deadline, gives up on queued events and reports the requests in flight in the order they were sent', async () => {
    const clock = new ManualClock();
    const notSent: number[] = [];
    const answered: number[] = [];
    // Worker 1 appears first, but its request in flight at the deadline (seq 2, queued behind seq 0 until 100) went
    // out after worker 2's (seq 1, sent at 10). Worker 2's seq 3 is still queued behind seq 1 at the deadline.
    const events = [ev(0, 0, 1), ev(1, 10, 2), ev(2, 50, 1), ev(3, 200, 2)];
    const res = await clock.run(
      runSchedule({
        clock,
        speed: 1,
        events,
        deadlineMs: 1000,
        onNotSent: (e) => notSent.push(e.seq),
        dispatch: async (e) => {
          await clock.delay(e.seq === 0 ? 100 : 10_000);
          answered.push(e.seq);
        },
      }),
    );
    expect(res.deadlineHit).toBe(true);
    // Seq 2 was due at 50 and went out at 100, when seq 0 returned.
    expect(res.inFlightAtStop.map((f) => [f.event.seq, f.intendedMs, f.sentMs])).toEqual([
      [1, 10, 10],
      [2, 50, 100],
    ]);
    expect(res.abandoned).toBe(2);
    expect(notSent).toEqual([3]);
    expect(res.dispatched).toBe(3);
    expect(answered).toEqual([0]);
  });

  it('stops scheduling when the signal fires and waits a bounded time for requests in flight', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const sent: number[] = [];
    const events = [ev(0, 0, 1), ev(1, 1000, 2), ev(2, 2000, 3), ev(3, 3000, 4)];
    const res = await clock.run(
      runSchedule({
        clock,
        speed: 1,
        events,
        signal: controller.signal,
        graceMs: 500,
        dispatch: async (e) => {
          sent.push(e.seq);
          if (e.seq === 1) controller.abort();
          await clock.delay(e.seq === 1 ? 60_000 : 10);
        },
      }),
    );
    expect(sent).toEqual([0, 1]);
    expect(res.interrupted).toBe(true);
    expect(res.abandoned).toBe(1);
    expect(clock.now()).toBe(1500);
  });

  it('reads a sync generator and an async source alike, and closes the source when stopped early', async () => {
    for (const kind of ['sync', 'async'] as const) {
      const clock = new ManualClock();
      const controller = new AbortController();
      let closed = false;
      function* syncEvents(): Generator<TraceEvent> {
        try {
          for (let i = 0; i < 10; i++) yield ev(i, i * 100, i);
        } finally {
          closed = true;
        }
      }
      async function* asyncEvents(): AsyncGenerator<TraceEvent> {
        yield* syncEvents();
      }
      const sent: number[] = [];
      const res = await clock.run(
        runSchedule({
          clock,
          speed: 1,
          events: kind === 'sync' ? syncEvents() : asyncEvents(),
          signal: controller.signal,
          dispatch: async (e) => {
            sent.push(e.seq);
            if (e.seq === 3) controller.abort();
            await clock.delay(10);
          },
        }),
      );
      expect(sent, kind).toEqual([0, 1, 2, 3]);
      expect(res.interrupted).toBe(true);
      expect(closed, `${kind} source closed`).toBe(true);
    }
  });

  it('sends everything already due in one pass, in trace order, each with its own intended time', async () => {
    const clock = new ManualClock();
    const sent: { seq: number; at: number; intended: number }[] = [];
    // Five events due between 0 and 4 ms, but the clock only reaches 50 when the schedule first looks.
    const events = [0, 1, 2, 3, 4].map((i) => ev(i, i, i + 1));
    let first = true;
    const lateClock = {
      now: () => (first ? 0 : 50),
      sleepUntil: (until: number, signal?: AbortSignal) => clock.sleepUntil(until, signal),
    };
    const res = await clock.run(
      runSchedule({
        clock: lateClock,
        speed: 1,
        events,
        onStart: () => (first = false),
        dispatch: async (e, intended) => {
          sent.push({ seq: e.seq, at: lateClock.now(), intended });
        },
      }),
    );
    expect(res.dispatched).toBe(5);
    expect(sent).toEqual(events.map((e) => ({ seq: e.seq, at: 50, intended: e.t })));
  });
});

