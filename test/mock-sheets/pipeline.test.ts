/** The request pipeline with a scripted policy: rejections, dropped connections, latency accounting, kinds. */
import type { FastifyInstance } from 'fastify';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallRecord } from '../../mock-sheets/admin-types.ts';
import { virtualClock } from '../../mock-sheets/clock.ts';
import { traceIdOf } from '../../mock-sheets/pipeline.ts';
import type { Admission, CallInfo, Policy } from '../../mock-sheets/policy.ts';
import { buildTestMock, client, SPREADSHEET_ID } from './mock-fixture.ts';

/** A policy that answers admissions from a script and models 100 ms + 1 ms per cell on a virtual clock. */
function scriptedPolicy(script: Admission[]): Policy & { seen: CallInfo[] } {
  const seen: CallInfo[] = [];
  return {
    seen,
    clock: virtualClock(1_000),
    admit: (call) => {
      seen.push(call);
      return script.shift() ?? { action: 'proceed', extraLatencyMs: 0 };
    },
    latency: (_method, cells) => 100 + cells,
    rejectedLatency: () => 7,
    config: () => ({}),
    configure: () => {},
    quotaUsage: () => ({}),
    reset: () => {},
    setOrigin: () => {},
  };
}

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const base = `/v4/spreadsheets/${SPREADSHEET_ID}`;
const calls = async (a: FastifyInstance): Promise<CallRecord[]> => (await a.inject({ url: '/__sheetsim/calls' })).json().calls;

describe('request pipeline', () => {
  it('tells the policy the method, the quota kind and the user; a batch is one call', async () => {
    const policy = scriptedPolicy([]);
    app = await buildTestMock({ policy });
    const api = client(app);
    await api.get(base);
    await api.get(`${base}/values:batchGet?ranges=A1&ranges=B2`);
    await api.post(`${base}/values:batchUpdate`, { valueInputOption: 'RAW', data: [{ range: 'Metadata!A2', values: [['a']] }, { range: 'Metadata!A3', values: [['b']] }] });
    await api.post(`${base}/values/Metadata:clear`);
    expect(policy.seen).toEqual([
      { method: 'spreadsheets.get', kind: 'read', quotaUser: 'key:test-key', atMs: 1_000 },
      { method: 'values.batchGet', kind: 'read', quotaUser: 'key:test-key', atMs: 1_000 },
      { method: 'values.batchUpdate', kind: 'write', quotaUser: 'key:test-key', atMs: 1_000 },
      { method: 'values.clear', kind: 'write', quotaUser: 'key:test-key', atMs: 1_000 },
    ]);
  });

  it('does not consult the policy for a request that fails validation', async () => {
    const policy = scriptedPolicy([]);
    app = await buildTestMock({ policy });
    await client(app).get(`${base}/values/Nope%21A1`);
    await client(app, null).get(base);
    expect(policy.seen).toEqual([]);
  });

  it('answers a rejection with the policy’s Google error and changes nothing', async () => {
    const policy = scriptedPolicy([
      { action: 'reject', error: { status: 503, googleStatus: 'UNAVAILABLE', message: 'The service is currently unavailable.', details: [], reason: 'fault:503' } },
    ]);
    app = await buildTestMock({ policy });
    const api = client(app);
    const before = await api.digest();
    const res = await api.post(`${base}/values/Metadata:append?valueInputOption=RAW`, { values: [['x']] });
    expect(res.status).toBe(503);
    expect(res.json).toEqual({ error: { code: 503, message: 'The service is currently unavailable.', status: 'UNAVAILABLE' } });
    expect(await api.digest()).toBe(before);
    // A rejected call still takes (a little) time: the policy's rejected latency.
    expect((await calls(app))[0]).toMatchObject({ status: 503, error: 'fault:503', latencyMs: 7 });
    expect(res.headers['x-sheetsim-latency-ms']).toBe('7');
  });

  it('accounts modelled latency plus an injected slow response in the call log (virtual clock: not slept)', async () => {
    const policy = scriptedPolicy([{ action: 'proceed', extraLatencyMs: 5000 }]);
    app = await buildTestMock({ policy });
    await client(app).post(`${base}/values/Metadata:append?valueInputOption=RAW`, { values: [['x', 'y']] });
    expect((await calls(app))[0]).toMatchObject({ status: 200, cells: 2, latencyMs: 5102, clockMs: 1_000 });
  });

  it('drops the connection without an answer when the policy says so, and logs it', async () => {
    const policy = scriptedPolicy([{ action: 'drop' }]);
    app = await buildTestMock({ policy });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    await expect(request(`${url}${base}/values/A1?key=k`)).rejects.toThrow();
    const res = await request(`${url}${base}/values/A1?key=k`);
    expect(res.statusCode).toBe(200);
    await res.body.dump();
    expect((await calls(app)).map((c) => [c.status, c.error])).toEqual([
      [0, 'fault:drop'],
      [200, undefined],
    ]);
  });
});

describe('traceIdOf', () => {
  it('reads the trace id of a W3C traceparent header and ignores malformed ones', () => {
    expect(traceIdOf('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(traceIdOf('00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01')).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(traceIdOf('00-00000000000000000000000000000000-00f067aa0ba902b7-01')).toBeUndefined();
    expect(traceIdOf('00-4bf92f35-00f067aa0ba902b7-01')).toBeUndefined();
    expect(traceIdOf(undefined)).toBeUndefined();
  });
});
