/**
 * The exact-mode time channel between the reference backend and the mock: each Sheets call carries the request's
 * virtual now (x-sheetsim-time), which advances by each call's modelled latency (x-sheetsim-latency-ms) and by
 * every backoff wait; the backend answers its waits as x-sheetsim-wait-ms and its calls' summed latency as
 * x-sheetsim-sheets-ms.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startPair } from './harness.ts';
import type { Pair } from './harness.ts';

let pair: Pair | undefined;
afterEach(async () => {
  await pair?.close();
  pair = undefined;
});

const START = Date.UTC(2026, 2, 2, 12, 0, 0);
const sim = { 'x-sheetsim-time': String(START) };
const fixedLatency = { methods: Object.fromEntries(['values.batchGet', 'values.batchUpdate', 'values.append', 'values.get', 'spreadsheets.get'].map((m) => [m, { medianMs: 100, p99Ms: 100 }])), perCellReadMs: 0, perCellWrittenMs: 0, minMs: 0, rejected: { medianMs: 20, p99Ms: 20 } };
const iniciar = (p: Pair, tag: string) => p.send('POST', '/api/v4/occupation/iniciar', { tag_spool: tag, worker_id: 1, worker_nombre: 'AR(1)', operacion: 'ARM' }, sim);

describe('sim-clock time channel', () => {
  it('puts each Sheets call of a request at its own instant: start + the latencies before it', async () => {
    pair = await startPair({ backend: { profile: 'lean', simClock: true }, mock: { latency: fixedLatency } });
    const p = pair;
    await p.send('GET', '/api/health', undefined, sim);
    const before = await p.lastCallId();
    const res = await iniciar(p, 'OT-001');
    expect(res.status).toBe(200);
    expect(res.headers['x-sheetsim-wait-ms']).toBe('0');
    const calls = await p.calls(before);
    // lean INICIAR: one batchUpdate, then one append, 100 ms each
    expect(calls.map((c) => [c.method, c.clockMs - START, c.latencyMs])).toEqual([
      ['values.batchUpdate', 0, 100],
      ['values.append', 100, 100],
    ]);
    // and answers the Sheets time it saw, so exact mode can schedule without reading the call log
    expect(res.headers['x-sheetsim-sheets-ms']).toBe('200');
  });

  it('advances the virtual now by backoff waits and by the latency of rejected calls, and reports the waits', async () => {
    pair = await startPair({ backend: { profile: 'lean', simClock: true, seed: 3 }, mock: { latency: fixedLatency } });
    const p = pair;
    await p.send('GET', '/api/health', undefined, sim);
    await p.configure({ quota: { readPerUser: 1000, writePerUser: 0, readPerProject: 10_000, writePerProject: 10_000 } });
    const before = await p.lastCallId();
    const res = await iniciar(p, 'OT-001');
    expect(res.status).toBe(503);
    const wait = Number(res.headers['x-sheetsim-wait-ms']);
    const stats = (await p.send('GET', '/__backend/stats')).body;
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBe(stats.skippedSleepMs);
    const calls = await p.calls(before);
    expect(calls.map((c) => c.status)).toEqual([429, 429, 429, 429]);
    expect(calls.every((c) => c.latencyMs === 20)).toBe(true);
    // rejected calls' latency is Sheets time too; the backoff between them is not (it is the wait)
    expect(res.headers['x-sheetsim-sheets-ms']).toBe('80');
    // each attempt comes 20 ms (the rejected call) + its backoff after the previous one; the last one at start + 60 + all waits
    expect(calls[3]!.clockMs - START).toBe(3 * 20 + wait);
    for (let i = 1; i < 4; i++) expect(calls[i]!.clockMs - calls[i - 1]!.clockMs).toBeGreaterThanOrEqual(20);
  });
});
