// runThreaded against a local HTTP server: the split across threads, the default thread count, a shared stop.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RunMetrics } from '../../simulator/metrics/run-metrics.ts';
import type { EventRecord } from '../../simulator/report/model.ts';
import { defaultThreads, isLocalTarget, runThreaded, threadRouter } from '../../simulator/replay/threads.ts';
import { DEFAULT_VALIDITY_RULES, TargetWatch } from '../../simulator/replay/validity.ts';
import type { TraceEvent } from '../../simulator/trace/types.ts';

function ev(seq: number, t: number, worker: number, path = '/ok'): TraceEvent {
  return { seq, t, worker, op: 'health', scenario: path === '/ok' ? 'ok' : 'other', req: { method: 'GET', path } };
}

describe('the default of --threads', () => {
  it('uses every core for a remote target and leaves one to a local target, never below 1', () => {
    expect(defaultThreads(false, 4)).toBe(4);
    expect(defaultThreads(true, 4)).toBe(3);
    expect(defaultThreads(true, 1)).toBe(1);
    expect(defaultThreads(false, 1)).toBe(1);
  });
  it('counts embedded, command and loopback URL targets as local', () => {
    expect(isLocalTarget({ kind: 'embedded' })).toBe(true);
    expect(isLocalTarget({ kind: 'command' })).toBe(true);
    expect(isLocalTarget({ kind: 'url', url: 'http://127.0.0.1:8000' })).toBe(true);
    expect(isLocalTarget({ kind: 'url', url: 'http://localhost:8000' })).toBe(true);
    expect(isLocalTarget({ kind: 'url', url: 'http://[::1]:8000' })).toBe(true);
    expect(isLocalTarget({ kind: 'url', url: 'http://10.0.0.5:8000' })).toBe(false);
    expect(isLocalTarget({ kind: 'url', url: 'https://api.example.com' })).toBe(false);
  });
});

describe('threadRouter', () => {
  it('keeps each worker on one thread and deals workers round-robin in order of appearance', () => {
    const route = threadRouter(2);
    expect([7, 3, 7, 9, 3, 4].map(route)).toEqual([0, 1, 0, 0, 1, 1]);
  });
});

describe('runThreaded', () => {
  let server: Server | null = null;
  afterEach(async () => {
    if (server) await new Promise((resolve) => server!.close(resolve));
    server = null;
  });

  async function serve(): Promise<string> {
    server = createServer((req, res) => {
      res.writeHead(req.url === '/ok' ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ path: req.url }));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('replays every event once across threads, their RunMetrics merged into one, each worker in trace order', async () => {
    const url = await serve();
    // 6 workers, 20 events each, 10 ms apart per worker; every third event gets a 404.
    const events: TraceEvent[] = [];
    for (let i = 0; i < 120; i++) events.push(ev(i, Math.floor(i / 6) * 10, 1 + (i % 6), i % 3 === 0 ? '/missing' : '/ok'));
    const metrics = new RunMetrics();
    const records: EventRecord[] = [];
    let batches = 0;
    const onLines = (lines: string, n: number): void => {
      const got = lines.split('\n').map((l) => JSON.parse(l) as EventRecord);
      expect(got).toHaveLength(n);
      records.push(...got);
      batches += 1;
    };
    const res = await runThreaded({ threads: 2, events, url, speed: 1, connections: 6, timeoutMs: 5000, metrics, sheets: null, countUntracedCalls: true, onLines });
    expect(res.dispatched).toBe(120);
    // Lines come in batches, not one message per event.
    expect(batches).toBeLessThan(120);
    expect(res.interrupted).toBe(false);
    expect(records.map((r) => r.seq).sort((a, b) => a - b)).toEqual(events.map((e) => e.seq));
    const s = metrics.sections(false, 1000);
    expect(s.totals.requests).toBe(120);
    // The merged report agrees with the lines the threads wrote.
    expect(s.totals.lateness.max).toBe(Math.max(...records.map((r) => r.latenessMs)));
    expect(s.timeline.reduce((a, p) => a + p.requests, 0)).toBe(120);
    expect(metrics.live().done).toBe(120);
    expect(s.totals.statuses).toEqual({ '200': 80, '404': 40 });
    expect(s.totals.responseTime.count).toBe(120);
    expect(s.scenarios.ok!.count).toBe(80);
    // Bodies are hashed in the threads, as one thread would.
    expect(records.every((r) => r.body === JSON.stringify({ path: r.status === 200 ? '/ok' : '/missing' }))).toBe(true);
    for (let w = 1; w <= 6; w++) {
      const mine = records.filter((r) => r.worker === w);
      expect(mine.map((r) => r.seq).sort((a, b) => a - b)).toEqual([...mine].sort((a, b) => a.startMs - b.startMs).map((r) => r.seq));
    }
  });

  it('warms every thread before t0 when the first second is dense, then replays every event once', async () => {
    const url = await serve();
    // 600 events in the first 300 ms (past WARMUP_MIN_EVENTS_PER_S): the threads warm their hot path first.
    const events: TraceEvent[] = [];
    for (let i = 0; i < 600; i++) events.push(ev(i, Math.floor(i / 2), 1 + (i % 40)));
    const metrics = new RunMetrics();
    let lines = 0;
    let started = 0;
    const res = await runThreaded({
      threads: 2, events, url, speed: 1, connections: 40, timeoutMs: 5000, metrics, sheets: null, countUntracedCalls: true,
      onLines: (_l, n) => (lines += n),
      onStart: () => (started += 1),
    });
    expect(res.dispatched).toBe(600);
    // The threads warmed up at once before t0; the time that took is the result's.
    expect(res.warmupMs).toBeGreaterThan(0);
    expect(lines).toBe(600);
    expect(started).toBe(1);
    // Each thread measured its own event loop and send lag from t0; the result carries the worst (its figures vary
    // by machine).
    expect(Object.keys(res.threadsHealth).sort()).toEqual([
      'bottleneck', 'eventLoopDelayMaxMs', 'eventLoopDelayP99Ms', 'eventLoopUtilization', 'saturatedShare', 'sendLagMaxMs', 'sendLagP99Ms',
    ]);
    expect(res.threadsHealth.eventLoopUtilization).toBeGreaterThan(0);
    expect(metrics.sections(false, 1000).totals.statuses).toEqual({ '200': 600 });
  });

  it("stops every thread when the main thread's watch finds the target unreachable", async () => {
    // A port nothing listens on: every request is refused.
    const url = await serve();
    await new Promise((resolve) => server!.close(resolve));
    server = null;
    const events: TraceEvent[] = [];
    for (let i = 0; i < 400; i++) events.push(ev(i, i * 5, 1 + (i % 8)));
    const metrics = new RunMetrics();
    const watch = new TargetWatch(DEFAULT_VALIDITY_RULES);
    const res = await runThreaded({ threads: 2, events, url, speed: 1, connections: 8, timeoutMs: 5000, metrics, sheets: null, countUntracedCalls: true, watch });
    expect(res.stoppedUnreachable).toBe(true);
    expect(res.interrupted).toBe(false);
    expect(res.dispatched).toBeLessThan(400);
    expect(watch.unreachable).not.toBeNull();
  });
});
