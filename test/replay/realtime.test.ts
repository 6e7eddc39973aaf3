import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RunMetrics } from '../../simulator/metrics/run-metrics.ts';
import type { HttpDriver } from '../../simulator/replay/http.ts';
import type { EventOutcome } from '../../simulator/outcome/outcome.ts';
import { runRealtime } from '../../simulator/replay/realtime.ts';
import type { TraceEvent } from '../../simulator/trace/types.ts';
import { ManualClock } from './manual-clock.ts';

function ev(seq: number, t: number, worker: number): TraceEvent {
  return { seq, t, worker, op: 'health', scenario: 'health', req: { method: 'GET', path: '/api/health' }, expect: { status: 200 } };
}

describe('runRealtime on a controlled clock', () => {
  it('counts the wait of requests scheduled during a 1 s stall (coordinated omission)', async () => {
    const clock = new ManualClock();
    // The target answers in 10 ms, except that it stalls from 1000 to 2000: nothing is answered before 2000.
    const driver: HttpDriver = {
      async send() {
        const now = clock.now();
        if (now >= 1000 && now < 2000) await clock.sleepUntil(2000);
        else await clock.delay(10);
        return { status: 200, error: null, text: '{"ok":true}', json: { ok: true } };
      },
      async close() {},
    };
    // One event every 100 ms for 3 s, each from its own worker (open model: the schedule does not slow down).
    const events = Array.from({ length: 30 }, (_, i) => ev(i, i * 100, i));
    const outcomes: EventOutcome[] = [];
    const metrics = new RunMetrics();
    await clock.run(
      runRealtime({ events, url: 'http://unused', speed: 1, connections: 30, timeoutMs: 5000, metrics, sheets: null, countUntracedCalls: true, clock, driver, onEvent: (o) => outcomes.push(o) }),
    );
    expect(outcomes).toHaveLength(30);
    for (const o of outcomes) {
      const t = o.event.t;
      const expected = t >= 1000 && t < 2000 ? 2000 - t : 10;
      expect(o.responseMs, `seq ${o.event.seq}`).toBe(expected);
      expect(o.serviceMs).toBe(expected); // sent on time: the wait is the server's
      expect(o.latenessMs).toBe(0);
    }
    // The stall shows in the percentiles: 10 of 30 requests waited 100..1000 ms.
    const sections = metrics.sections(false, 3000);
    expect(sections.totals.responseTime.max).toBeCloseTo(1000, 0);
    expect(sections.totals.responseTime.p50).toBeCloseTo(10, 0);
    expect(sections.scenarios.health!.sheetsCalls).toBeNull();
  });

  it("counts a worker's wait for its own previous response as lateness and response time", async () => {
    const clock = new ManualClock();
    const driver: HttpDriver = {
      async send(req) {
        await clock.delay(req.path === '/slow' ? 1000 : 10);
        return { status: 200, error: null, text: '', json: undefined };
      },
      async close() {},
    };
    const slow: TraceEvent = { ...ev(0, 0, 1), req: { method: 'GET', path: '/slow' } };
    const events = [slow, ev(1, 200, 1), ev(2, 400, 1)];
    const outcomes: EventOutcome[] = [];
    await clock.run(
      runRealtime({ events, url: 'http://unused', speed: 1, connections: 1, timeoutMs: 5000, metrics: new RunMetrics(), sheets: null, countUntracedCalls: true, clock, driver, onEvent: (o) => outcomes.push(o) }),
    );
    const bySeq = new Map(outcomes.map((o) => [o.event.seq, o]));
    expect(bySeq.get(1)).toMatchObject({ intendedMs: 200, startMs: 1000, latenessMs: 800, serviceMs: 10, responseMs: 810 });
    expect(bySeq.get(2)).toMatchObject({ intendedMs: 400, startMs: 1010, latenessMs: 610, serviceMs: 10, responseMs: 620 });
  });

  it("leaves a driver it was given open for the caller (the warm-up's rounds and the threads close their own)", async () => {
    const clock = new ManualClock();
    let closed = 0;
    const driver: HttpDriver = {
      send: async () => ({ status: 200, error: null, text: '{}', json: {} }),
      async close() {
        closed += 1;
      },
    };
    const outcomes: EventOutcome[] = [];
    await clock.run(
      runRealtime({ events: [ev(0, 0, 1), ev(1, 50, 2)], url: 'http://unused', speed: 1, connections: 2, timeoutMs: 5000, metrics: new RunMetrics(), sheets: null, countUntracedCalls: true, clock, driver, onEvent: (o) => outcomes.push(o) }),
    );
    expect(outcomes).toHaveLength(2);
    expect(closed).toBe(0);
  });

  it('with a shared start in the future (a replay thread), calls onStart when t0 has come, and not at all when the run ends before it', async () => {
    const driver: HttpDriver = { send: async () => ({ status: 200, error: null, text: '{}', json: {} }), async close() {} };
    const opts = { url: 'http://unused', speed: 1, connections: 2, timeoutMs: 5000, sheets: null, countUntracedCalls: true, driver };
    const clock = new ManualClock();
    const calls: number[] = [];
    const outcomes: EventOutcome[] = [];
    await clock.run(runRealtime({ ...opts, events: [ev(0, 0, 1), ev(1, 50, 2)], metrics: new RunMetrics(), clock, startAt: 500, onStart: () => calls.push(clock.now()), onEvent: (o) => outcomes.push(o) }));
    expect(calls).toEqual([500]);
    expect(outcomes.map((o) => o.startMs)).toEqual([0, 50]);
    // Nothing to send: the run returns at once, before t0, and its onStart never comes.
    const idle = new ManualClock();
    const never: number[] = [];
    await idle.run(runRealtime({ ...opts, events: [], metrics: new RunMetrics(), clock: idle, startAt: 500, onStart: () => never.push(idle.now()) }));
    await new Promise((r) => setTimeout(r, 20));
    expect(never).toEqual([]);
  });
});

describe('runRealtime on a source that delivers events only shortly before they are due (a replay thread)', () => {
  // The source gives the first two events, then waits until the schedule has started before giving the third, as the
  // main thread of a threaded run posts events about a second ahead of their time. Priming must not wait for it.
  const run = (primeWallMs: number | undefined) => {
    let started!: () => void;
    const gate = new Promise<void>((resolve) => (started = resolve));
    const events = (async function* () {
      yield ev(0, 0, 0);
      yield ev(1, 100, 1);
      await gate;
      yield ev(2, 3000, 2);
    })();
    const driver: HttpDriver = { send: async () => ({ status: 200, error: null, text: '{}', json: {} }), async close() {} };
    const outcomes: EventOutcome[] = [];
    const done = runRealtime({
      events, url: 'http://unused', speed: 100, connections: 3, timeoutMs: 5000, metrics: new RunMetrics(), sheets: null,
      countUntracedCalls: true, driver, onEvent: (o) => outcomes.push(o), onStart: () => started(),
      ...(primeWallMs === undefined ? {} : { primeWallMs }),
    });
    return { done, outcomes, gate, open: () => started() };
  };

  it('with primeWallMs 0 the schedule starts on what has arrived, and the later events follow', async () => {
    const { done, outcomes } = run(0);
    await done;
    expect(outcomes.map((o) => o.event.seq).sort()).toEqual([0, 1, 2]);
  });

  it('by default it waits for the first 2 s of the trace before t0 (so such a source needs primeWallMs)', async () => {
    const { done, gate, open, outcomes } = run(undefined);
    const first = await Promise.race([done.then(() => 'finished'), gate.then(() => 'started'), new Promise((r) => setTimeout(() => r('waiting'), 300))]);
    expect(first).toBe('waiting');
    open(); // what the main thread's next batch would do
    await done;
    expect(outcomes).toHaveLength(3);
  });
});

describe('runRealtime against a real server', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = undefined;
  });

  it('measures response time from the intended start when the server stalls for 1 s', async () => {
    let stallUntil = 0;
    server = createServer((req, res) => {
      const wait = Math.max(0, stallUntil - Date.now());
      setTimeout(() => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ path: req.url, seq: req.headers['x-sheetsim-seq'], tp: req.headers.traceparent }));
      }, wait);
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    // 20 events 50 ms apart; when the first arrives the server stalls everything for 1 s.
    const events = Array.from({ length: 20 }, (_, i) => ev(i, i * 50, i));
    let first = true;
    server.prependListener('request', () => {
      if (first) stallUntil = Date.now() + 1000;
      first = false;
    });
    const outcomes: EventOutcome[] = [];
    await runRealtime({ events, url: `http://127.0.0.1:${port}`, speed: 1, connections: 20, timeoutMs: 10_000, metrics: new RunMetrics(), sheets: null, countUntracedCalls: true, onEvent: (o) => outcomes.push(o) });
    expect(outcomes).toHaveLength(20);
    for (const o of outcomes) {
      // Scheduled at t, answered no earlier than the end of the stall (1000 ms after the first send): the
      // measured response time must include that whole wait, i.e. at least 1000 - t (minus timer slack).
      expect(o.responseMs, `seq ${o.event.seq}`).toBeGreaterThanOrEqual(1000 - o.event.t - 5);
      expect(o.responseMs).toBeGreaterThanOrEqual(o.serviceMs);
      expect(o.status).toBe(200);
      const body = JSON.parse(o.body) as { seq: string; tp: string };
      expect(body.seq).toBe(String(o.event.seq));
      expect(body.tp).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    }
  });

  it('classifies a refused connection without crashing the run', async () => {
    server = createServer();
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((r) => server!.close(() => r()));
    server = undefined;
    const metrics = new RunMetrics();
    const res = await runRealtime({ events: [ev(0, 0, 1), ev(1, 10, 2)], url: `http://127.0.0.1:${port}`, speed: 1, connections: 2, timeoutMs: 2000, metrics, sheets: null, countUntracedCalls: true });
    // Two events are no dense first second: no warm-up before t0.
    expect(res.warmupMs).toBeNull();
    const s = metrics.sections(false, 10);
    expect(s.totals.requests).toBe(2);
    expect(s.totals.errors).toEqual({ ECONNREFUSED: 2 });
    expect(s.totals.statuses).toEqual({ error: 2 });
    expect(s.expectations.mismatches).toBe(2);
  });

  it('a trace that breaks mid-run rejects the run and closes its connections, so the target can stop', async () => {
    server = createServer((_req, res) => res.end('{}'));
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    const events = (async function* () {
      yield ev(0, 0, 1);
      yield ev(1, 5, 2);
      throw new Error('trace.jsonl: truncated after line 3 (no footer)');
    })();
    await expect(
      runRealtime({ events, url: `http://127.0.0.1:${port}`, speed: 1, connections: 8, timeoutMs: 2000, metrics: new RunMetrics(), sheets: null, countUntracedCalls: true }),
    ).rejects.toThrow(/truncated/);
    // The pre-opened keep-alive sockets are closed: the server can close (a leaked pool kept it waiting for good).
    await new Promise<void>((r) => server!.close(() => r()));
    server = undefined;
  });
});

describe('runRealtime on a dense trace stream', () => {
  let server: Server | null = null;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = null;
  });

  it("sends exactly the trace's requests, each once and each worker's in order, after warming its hot path elsewhere", async () => {
    const seen: number[] = [];
    server = createServer((req, res) => {
      seen.push(Number(req.headers['x-sheetsim-seq']));
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // 600 events in the first second (dense: the hot-path warm-up runs first), read as a stream like a trace file.
    async function* stream(): AsyncGenerator<TraceEvent> {
      for (let i = 0; i < 600; i++) yield ev(i, Math.floor(i / 0.6), 1 + (i % 20));
    }
    const outcomes: EventOutcome[] = [];
    let startedAt: number | null = null;
    const res = await runRealtime({
      events: stream(), url, speed: 1, connections: 20, timeoutMs: 5000, metrics: new RunMetrics(), sheets: null, countUntracedCalls: true,
      onEvent: (o) => outcomes.push(o),
      onStart: () => (startedAt = outcomes.length),
    });
    expect(res.dispatched).toBe(600);
    expect(startedAt).toBe(0);
    // The time the warm-up took before t0 is reported (the report's run.replayer.warmupMs).
    expect(res.warmupMs).toBeGreaterThan(0);
    // The warm-up went to its own loopback server: the target saw the trace's 600 requests and nothing else.
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 600 }, (_, i) => i));
    expect(outcomes.every((o) => o.status === 200)).toBe(true);
    for (let w = 1; w <= 20; w++) {
      const mine = seen.filter((seq) => 1 + (seq % 20) === w);
      expect(mine).toEqual([...mine].sort((a, b) => a - b));
    }
  });
});
