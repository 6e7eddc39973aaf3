/**
 * Exact mode's two ways of learning an event's Sheets time, over the real mock: the reference backend's answer
 * (`x-sheetsim-sheets-ms`, the call log read in batches, the clock left alone) and, for a backend that forwards
 * only `traceparent`, the clock set before each event and the event's calls read after it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RunMetrics } from '../../simulator/metrics/run-metrics.ts';
import { startEmbeddedServers, type EmbeddedServers } from '../../simulator/replay/embedded-servers.ts';
import { createDriver, type HttpDriver } from '../../simulator/replay/http.ts';
import { runExact } from '../../simulator/replay/exact.ts';
import { traceEpochMs } from '../../simulator/replay/orchestrate.ts';
import { createSheetsAdmin, type SheetsAdmin } from '../../simulator/replay/sheets-admin.ts';
import { warmUp } from '../../simulator/replay/warmup.ts';
import { collectTrace } from '../../simulator/trace/reader.ts';
import type { CallRecord } from '../../mock-sheets/admin-types.ts';
import type { TraceEvent } from '../../simulator/trace/types.ts';
import { smallTrace, tempDir } from '../e2e/helpers.ts';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

/** Start the embedded world for `trace` (the reference backend unless `backend` is false) and warm it up as a run does. */
async function world(trace: string, backend: boolean) {
  const { header, events } = await collectTrace(trace);
  const epochMs = traceEpochMs(header);
  const servers: EmbeddedServers = await startEmbeddedServers({ world: header.world, mode: 'exact', speed: 1, epochMs, latency: 'realistic', quota: 'on', backendProfile: backend ? 'lean' : null });
  open.push(servers);
  const admin: SheetsAdmin = createSheetsAdmin(servers.sheetsUrl);
  open.push(admin);
  return { header, events, epochMs, servers, admin };
}

/** Replay `events` in exact mode through `driver`, after the warm-up and origin a run sends. */
async function replay(w: Awaited<ReturnType<typeof world>>, url: string, driver: HttpDriver, events: TraceEvent[] = w.events, counts?: { clockSets: number; callReads: number }) {
  await warmUp({ url, sheets: w.admin, virtualNowMs: w.epochMs, speed: 1, timeoutMs: 10_000 });
  await w.admin.setOrigin(w.epochMs);
  // Only the replay's own admin calls are counted.
  if (counts) Object.assign(counts, { clockSets: 0, callReads: 0 });
  const outcomes: { seq: number; status: number | null; sheetsMs: number; startMs: number; body: string }[] = [];
  const res = await runExact({ events, url, sheets: w.admin, epochMs: w.epochMs, timeoutMs: 10_000, metrics: new RunMetrics(), driver, onEvent: (o) => outcomes.push({ seq: o.event.seq, status: o.status, sheetsMs: o.sheetsMs ?? 0, startMs: o.startMs, body: o.body }) });
  await driver.close();
  return { res, outcomes };
}

/** Counts the admin calls a run makes (clock sets, call-log reads). */
function counting(admin: SheetsAdmin) {
  const counts = { clockSets: 0, callReads: 0 };
  const wrapped: SheetsAdmin = {
    ...admin,
    lastCallId: () => admin.lastCallId(),
    setClock: (ms) => ((counts.clockSets += 1), admin.setClock(ms)),
    callsAfter: (after, limit) => ((counts.callReads += 1), admin.callsAfter(after, limit)),
  };
  return { wrapped, counts };
}

describe('exact mode time channels', () => {
  it('gives the reference backend the same outcomes and digest whether it schedules from x-sheetsim-sheets-ms or from the call log per event', async () => {
    const dir = tempDir();
    const trace = await smallTrace(dir, { workers: 20, durationMs: 30_000 });

    const a = await world(trace, true);
    const ca = counting(a.admin);
    const channel = await replay({ ...a, admin: ca.wrapped }, a.servers.url!, createDriver({ url: a.servers.url!, connections: 1, timeoutMs: 10_000 }), a.events, ca.counts);

    // The same backend, its answer's Sheets time hidden: the replayer falls back to a clock set and a log read per event.
    const b = await world(trace, true);
    const cb = counting(b.admin);
    const inner = createDriver({ url: b.servers.url!, connections: 1, timeoutMs: 10_000 });
    const hiding: HttpDriver = {
      async send(req, headers) {
        const r = await inner.send(req, headers);
        delete r.sheetsMs;
        return r;
      },
      close: () => inner.close(),
    };
    const perEvent = await replay({ ...b, admin: cb.wrapped }, b.servers.url!, hiding, b.events, cb.counts);

    expect(channel.res.dispatched).toBe(a.events.length);
    expect(channel.outcomes).toEqual(perEvent.outcomes);
    expect(channel.res.digest).toBe(perEvent.res.digest);
    expect(channel.res.virtualMs).toBe(perEvent.res.virtualMs);
    // the calls took modelled time, so the schedule depended on the answered Sheets time
    expect(channel.outcomes.some((o) => o.sheetsMs > 0)).toBe(true);
    expect(cb.counts.clockSets).toBe(a.events.length);
    expect(cb.counts.callReads).toBe(a.events.length);
    expect(ca.counts.clockSets).toBe(1);
    // the call log once per batch, 5xx answers included (the target guard watches answers as they arrive)
    expect(channel.outcomes.filter((o) => (o.status ?? 0) >= 500).length).toBeGreaterThan(0);
    expect(ca.counts.callReads).toBeLessThanOrEqual(1 + Math.ceil(a.events.length / 256));
  }, 120_000);

  it('sets the clock before each event for a backend that forwards only traceparent, so its calls happen at the event start', async () => {
    const dir = tempDir();
    const trace = await smallTrace(dir, { workers: 4, durationMs: 10_000 });
    const w = await world(trace, false);
    // A backend of its own: each request makes one Sheets read, forwarding the traceparent and nothing else.
    const sheets = `${w.servers.sheetsUrl}/v4/spreadsheets/${w.servers.spreadsheetId}/values/Metadata!A1:A1`;
    const server: Server = createServer((req, res) => {
      const traceparent = req.headers.traceparent;
      req.resume();
      void fetch(sheets, { headers: { authorization: 'Bearer t', ...(typeof traceparent === 'string' ? { traceparent } : {}) } })
        .then((r) => r.arrayBuffer())
        .then(() => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{"ok":true}');
        });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    open.push({ close: () => new Promise<void>((r) => server.close(() => r())) });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const events = w.events.slice(0, 30);
    const before = await w.admin.lastCallId();
    const { res, outcomes } = await replay(w, url, createDriver({ url: url, connections: 1, timeoutMs: 10_000 }), events);
    expect(res.dispatched).toBe(events.length);
    const calls: CallRecord[] = (await w.admin.callsAfter(before)).filter((c) => c.traceId !== undefined && c.ranges[0]?.startsWith('Metadata'));
    expect(calls).toHaveLength(events.length);
    // Each call happened at its event's start, not at a stale clock.
    const startOf = new Map(outcomes.map((o) => [o.seq, w.epochMs + o.startMs]));
    expect(new Set(startOf.values()).size).toBeGreaterThan(1);
    const seqOf = (traceId: string) => Number.parseInt(traceId.slice(16), 16);
    for (const c of calls) expect(c.clockMs).toBe(startOf.get(seqOf(c.traceId!)));
  }, 120_000);
});
