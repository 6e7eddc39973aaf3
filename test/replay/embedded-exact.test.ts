/**
 * Exact mode run inside the embedded target (simulator/replay/embedded-exact.ts): the child's side and the parent's
 * side joined by a channel that carries each message as a JSON line, asynchronously, as the pipes between the two
 * processes do. It must record what `runExact` over HTTP records in the replayer's own process.
 */
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { RunMetrics } from '../../simulator/metrics/run-metrics.ts';
import type { EventCalls, EventOutcome } from '../../simulator/outcome/outcome.ts';
import { type ExactChannel, type FromChild, type ToChild, exactInChild, inProcessDriver, serveExact, warmUpInside } from '../../simulator/replay/embedded-exact.ts';
import { type EmbeddedServers, startEmbeddedServers } from '../../simulator/replay/embedded-servers.ts';
import { runExact } from '../../simulator/replay/exact.ts';
import { traceEpochMs } from '../../simulator/replay/run-prepare.ts';
import { createSheetsAdmin } from '../../simulator/replay/sheets-admin.ts';
import { DEFAULT_VALIDITY_RULES, type ObservedEvent } from '../../simulator/replay/validity.ts';
import { type Warmup, warmUp } from '../../simulator/replay/warmup.ts';
import { collectTrace } from '../../simulator/trace/reader.ts';
import type { TraceEvent } from '../../simulator/trace/types.ts';
import { smallTrace, tempDir } from '../e2e/helpers.ts';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

/**
 * A fresh embedded world for the trace, warmed up as a run leaves it before its replay: over HTTP and at trace t = 0
 * (as runExact's caller does for a target over HTTP), or by the child itself (`inside`: serveExact sets the origin).
 */
async function world(header: Awaited<ReturnType<typeof collectTrace>>['header'], warm: 'http' | 'inside' = 'http'): Promise<{ servers: EmbeddedServers; epochMs: number; warmup: Warmup }> {
  const epochMs = traceEpochMs(header);
  const servers = await startEmbeddedServers({ world: header.world, mode: 'exact', speed: 1, epochMs, latency: 'realistic', quota: 'on', backendProfile: 'lean' });
  open.push(servers);
  if (warm === 'inside') {
    return { servers, epochMs, warmup: await warmUpInside({ backend: servers.apps.backend!, mock: servers.apps.mock, sheetsUrl: servers.sheetsUrl }, epochMs, 10_000) };
  }
  const admin = createSheetsAdmin(servers.sheetsUrl);
  const warmup = await warmUp({ url: servers.url!, sheets: admin, virtualNowMs: epochMs, speed: 1, timeoutMs: 10_000 });
  await admin.setOrigin(epochMs);
  await admin.close();
  return { servers, epochMs, warmup };
}

/** The parent's and the child's sides joined: every message crosses as a JSON line, a turn of the event loop later. */
function joined(servers: EmbeddedServers, sent: ToChild[]): ExactChannel {
  let toParent: ((m: FromChild) => void) | null = null;
  let inbox: ((m: ToChild) => void) | null = null;
  const later = <T>(m: T, deliver: (m: T) => void): void => {
    const line = JSON.stringify(m);
    setImmediate(() => deliver(JSON.parse(line) as T));
  };
  return {
    send(m) {
      sent.push(m);
      later(m, (copy) => {
        if ('start' in copy) {
          inbox = serveExact({ backend: servers.apps.backend!, mock: servers.apps.mock, sheetsUrl: servers.sheetsUrl }, copy.start, (back) => later(back, (b) => toParent?.(b)));
        } else inbox?.(copy);
      });
    },
    listen(onMessage) {
      toParent = onMessage;
    },
  };
}

interface Seen {
  answers: ObservedEvent[];
  events: { seq: number; status: number | null; body: string; sheetsMs: number | null; waitMs: number | null; startMs: number; calls: EventCalls | null }[];
  metrics: RunMetrics;
}

function recorder(): Seen & { onEvent(o: EventOutcome, c: EventCalls | null): void; onAnswer(a: ObservedEvent): void } {
  const seen: Seen = { answers: [], events: [], metrics: new RunMetrics() };
  return {
    ...seen,
    onAnswer: (a) => seen.answers.push(a),
    onEvent: (o, c) => seen.events.push({ seq: o.event.seq, status: o.status, body: o.body, sheetsMs: o.sheetsMs ?? null, waitMs: o.waitMs ?? null, startMs: o.startMs, calls: c === null ? null : { ...c, realMs: 0 } }),
  };
}

async function* stream(events: TraceEvent[]): AsyncGenerator<TraceEvent> {
  yield* events;
}

describe('exact mode inside the embedded target', () => {
  it('warms up and records what runExact over HTTP does, over more than two chunks of events: warm-up, answers, events, calls, metrics, digest', async () => {
    const dir = tempDir('embedded-exact-');
    const { header, events } = await collectTrace(await smallTrace(dir, { workers: 30, durationMs: 240_000 }));
    // More than two chunks of 256: the child asks for the rest as it goes.
    expect(events.length).toBeGreaterThan(600);

    const http = await world(header);
    const viaHttp = recorder();
    const admin = createSheetsAdmin(http.servers.sheetsUrl);
    open.push(admin);
    const a = await runExact({ events, url: http.servers.url!, sheets: admin, epochMs: http.epochMs, timeoutMs: 10_000, metrics: viaHttp.metrics, onEvent: viaHttp.onEvent, onAnswer: viaHttp.onAnswer });

    const inside = await world(header, 'inside');
    expect(inside.warmup).toEqual(http.warmup);
    expect(inside.warmup).toMatchObject({ status: 200, sheetsCalls: 1 });
    const viaChild = recorder();
    const sent: ToChild[] = [];
    const b = await exactInChild(joined(inside.servers, sent), { epochMs: inside.epochMs, timeoutMs: 10_000, serial: false, validity: DEFAULT_VALIDITY_RULES }, stream(events), { metrics: viaChild.metrics, onEvent: viaChild.onEvent, onAnswer: viaChild.onAnswer }, new AbortController().signal);

    expect(b.digest).not.toBeNull();
    expect(b.digest).toBe(a.digest);
    expect(b.workbookDigest).toBe(a.workbookDigest);
    expect(b.dispatched).toBe(events.length);
    expect(b.virtualMs).toBe(a.virtualMs);
    expect(b.sheetsError).toBeNull();
    expect(viaChild.answers).toEqual(viaHttp.answers);
    expect(viaChild.events).toEqual(viaHttp.events);
    // The quota minutes counted from trace t = 0 with the warm-up's read forgotten: the child set the origin too.
    expect(inside.servers.apps.mock.sheetsim.policy.quotaUsage()).toEqual(http.servers.apps.mock.sheetsim.policy.quotaUsage());
    const counted = (m: RunMetrics) => {
      // lastEndMs includes each event's compute, which is measured (wall time), not modelled.
      const { lastEndMs: _measured, ...counts } = m.toWire().counts;
      return { counts, requests: m.total.count, scenarios: [...m.scenarios].map(([name, sc]) => [name, sc.count, sc.statuses]), writes: m.timeline.writesPerSecond(), reads: m.timeline.readsPerSecond() };
    };
    expect(counted(viaChild.metrics)).toEqual(counted(viaHttp.metrics));
    // The trace went over in chunks of 256 as they were asked for, then its end.
    const chunks = sent.filter((m): m is { events: TraceEvent[] } => 'events' in m).map((m) => m.events.length);
    expect(chunks.slice(0, -1).every((n) => n === 256)).toBe(true);
    expect(chunks.reduce((x, y) => x + y, 0)).toBe(events.length);
    expect(sent.at(-1)).toEqual({ end: true });
  }, 60_000);

  it('stops when the parent says so: fewer events, every one it answered recorded, a digest of what ran', async () => {
    const dir = tempDir('embedded-exact-stop-');
    const { header, events } = await collectTrace(await smallTrace(dir, { workers: 30, durationMs: 240_000 }));
    const inside = await world(header);
    const seen = recorder();
    const stop = new AbortController();
    const onAnswer = (x: ObservedEvent): void => {
      seen.onAnswer(x);
      if (seen.answers.length === 100) stop.abort();
    };
    const res = await exactInChild(joined(inside.servers, []), { epochMs: inside.epochMs, timeoutMs: 10_000, serial: false, validity: DEFAULT_VALIDITY_RULES }, stream(events), { metrics: seen.metrics, onEvent: seen.onEvent, onAnswer }, stop.signal);
    expect(res.interrupted).toBe(true);
    expect(res.dispatched).toBeGreaterThanOrEqual(100);
    expect(res.dispatched).toBeLessThan(events.length);
    expect(seen.events).toHaveLength(res.dispatched);
    expect(seen.answers).toHaveLength(res.dispatched);
    expect(res.digest).toMatch(/^[0-9a-f]{64}$/);
  }, 60_000);

  it('sends requests to the backend in its process as the HTTP driver does: body, headers, time channels, and a TIMEOUT for a late answer', async () => {
    const app = Fastify();
    open.push(app);
    app.post('/api/x', async (req, reply) => reply.header('x-sheetsim-sheets-ms', '120').header('x-sheetsim-wait-ms', '3').send({ got: req.body, seq: req.headers['x-sheetsim-seq'] }));
    app.get('/api/slow', async () => new Promise((resolve) => setTimeout(() => resolve({ late: true }), 300)));
    const driver = inProcessDriver(app, 100);
    const res = await driver.send({ method: 'POST', path: '/api/x', body: { a: 1 } }, { 'x-sheetsim-seq': '7' });
    expect(res).toEqual({ status: 200, error: null, text: '{"got":{"a":1},"seq":"7"}', json: { got: { a: 1 }, seq: '7' }, sheetsMs: 120, waitMs: 3 });
    expect(await driver.send({ method: 'GET', path: '/api/slow' }, {})).toEqual({ status: null, error: 'TIMEOUT', text: '', json: undefined });
  });
});
