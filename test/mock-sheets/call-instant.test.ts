/** Call instants under the virtual clock: the x-sheetsim-time header, else a cursor per trace id, else the clock. */
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallRecord } from '../../mock-sheets/admin-types.ts';
import { parseLatencyConfig } from '../../mock-sheets/latency.ts';
import { parseQuotaConfig } from '../../mock-sheets/quota.ts';
import { buildTestMock, SPREADSHEET_ID } from './mock-fixture.ts';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const START = Date.parse('2026-03-02T11:00:00Z');
const latency = parseLatencyConfig({ methods: { 'values.get': { medianMs: 100, p99Ms: 100 }, 'values.append': { medianMs: 200, p99Ms: 200 } }, perCellReadMs: 0, perCellWrittenMs: 0, minMs: 0 })!;
const oneWrite = parseQuotaConfig({ writePerUser: 1, writePerProject: 100 })!;
const TRACE = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const get = (a: FastifyInstance, headers: Record<string, string> = {}) => a.inject({ url: `/v4/spreadsheets/${SPREADSHEET_ID}/values/Metadata!A1?key=k`, headers });
const append = (a: FastifyInstance, headers: Record<string, string> = {}) =>
  a.inject({ method: 'POST', url: `/v4/spreadsheets/${SPREADSHEET_ID}/values/Metadata:append?valueInputOption=RAW&key=k`, payload: { values: [['x']] }, headers });
const calls = async (a: FastifyInstance): Promise<CallRecord[]> => (await a.inject({ url: '/__sheetsim/calls' })).json().calls;

describe('call instants (virtual clock)', () => {
  it("takes a call's instant from x-sheetsim-time, and answers its modelled latency in x-sheetsim-latency-ms", async () => {
    app = await buildTestMock({ clock: 'virtual', startMs: START, latency });
    const res = await get(app, { 'x-sheetsim-time': String(START + 4321) });
    expect(res.headers['x-sheetsim-latency-ms']).toBe('100');
    expect((await calls(app))[0]!.clockMs).toBe(START + 4321);
  });

  it('puts the calls of one trace id one after another when the backend forwards only traceparent', async () => {
    app = await buildTestMock({ clock: 'virtual', startMs: START, latency });
    await get(app, { traceparent: TRACE });
    await append(app, { traceparent: TRACE });
    await get(app, { traceparent: TRACE });
    await get(app); // no trace: the clock
    expect((await calls(app)).map((c) => c.clockMs - START)).toEqual([0, 100, 300, 0]);
    // a new event (the replayer sets the clock) starts the trace's cursor again
    await app.inject({ method: 'POST', url: '/__sheetsim/clock', payload: { nowMs: START + 10_000 } });
    await get(app, { traceparent: TRACE });
    expect((await calls(app)).at(-1)!.clockMs - START).toBe(10_000);
  });

  it('counts each call in the quota minute of its instant, from the origin the replayer set', async () => {
    app = await buildTestMock({ clock: 'virtual', startMs: START, latency, quota: oneWrite });
    // origin 30 s past a clock minute: minute 0 of the run is [origin, origin + 60 s)
    const origin = START + 30_000;
    await app.inject({ method: 'POST', url: '/__sheetsim/origin', payload: { nowMs: origin } });
    const at = (ms: number) => ({ 'x-sheetsim-time': String(origin + ms) });
    expect((await append(app, at(1_000))).statusCode).toBe(200);
    expect((await append(app, at(59_000))).statusCode).toBe(429); // same run minute, although past the clock's minute edge
    expect((await append(app, at(60_000))).statusCode).toBe(200);
    // out-of-order instants across events are fine: windows are fixed minutes
    expect((await append(app, at(2_000))).statusCode).toBe(429);
  });

  it('forgets the quota use of a warm-up when the origin is set', async () => {
    app = await buildTestMock({ clock: 'virtual', startMs: START, latency, quota: oneWrite });
    expect((await append(app)).statusCode).toBe(200);
    expect((await append(app)).statusCode).toBe(429);
    await app.inject({ method: 'POST', url: '/__sheetsim/origin', payload: { nowMs: START } });
    expect((await append(app)).statusCode).toBe(200);
  });
});
