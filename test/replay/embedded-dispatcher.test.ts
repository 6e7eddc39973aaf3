/**
 * The in-process dispatcher of exact mode's embedded target: the same requests sent to two identical mocks, one over
 * loopback HTTP and one through InProcessDispatcher, give the same statuses, headers, bodies, call logs and workbook —
 * and the reference backend's Sheets client behaves the same over either.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { Pool, type Dispatcher } from 'undici';
import { SheetsClient } from '../../backend/sheets-client.ts';
import type { SheetsApiError } from '../../backend/sheets-error.ts';
import { type RequestContext, runInRequest } from '../../backend/request-context.ts';
import { buildMockSheets } from '../../mock-sheets/app.ts';
import type { CallRecord } from '../../mock-sheets/admin-types.ts';
import { InProcessDispatcher } from '../../simulator/replay/embedded-dispatcher.ts';
import { SPREADSHEET_ID, testWorkbook } from '../mock-sheets/mock-fixture.ts';

const T0 = Date.UTC(2026, 4, 13, 12, 0, 0);
// Three writes a minute per user: the sequence below runs into Google's 429 within its first minute.
const QUOTA = { readPerUser: 60, writePerUser: 3, readPerProject: 300, writePerProject: 300, projectNumber: '1' };

const apps: FastifyInstance[] = [];
const pools: Pool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

async function twoMocks(): Promise<{ http: Dispatcher; inProcessDispatcher: Dispatcher; overHttp: FastifyInstance; inProcess: FastifyInstance; url: string }> {
  const build = (): Promise<FastifyInstance> =>
    buildMockSheets({ workbook: testWorkbook(), latency: 'realistic', quota: QUOTA, clock: 'virtual', startMs: T0, seed: 7 });
  const overHttp = await build();
  const inProcess = await build();
  apps.push(overHttp, inProcess);
  await overHttp.listen({ port: 0, host: '127.0.0.1' });
  const addr = overHttp.server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const pool = new Pool(url);
  pools.push(pool);
  return { http: pool, inProcessDispatcher: new InProcessDispatcher(inProcess), overHttp, inProcess, url };
}

interface Req {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

const auth = { authorization: 'Bearer tok-one', accept: 'application/json' };
const json = { ...auth, 'content-type': 'application/json' };
const base = `/v4/spreadsheets/${SPREADSHEET_ID}`;
const at = (ms: number): Record<string, string> => ({ 'x-sheetsim-time': String(T0 + ms) });

/** Reads, writes, Google's errors (400 bad JSON, 401 no credential, 404, 429 over quota) and a route the mock lacks (404). */
const REQUESTS: Req[] = [
  { method: 'GET', path: `${base}/values/${encodeURIComponent('Operaciones!A1:D3')}?valueRenderOption=UNFORMATTED_VALUE`, headers: { ...auth, ...at(0) } },
  { method: 'GET', path: `${base}/values:batchGet?ranges=Operaciones!A:A&ranges=${encodeURIComponent("'My Sheet'!A1:B1")}`, headers: { ...auth, ...at(10) } },
  { method: 'GET', path: `${base}?includeGridData=false`, headers: { ...auth, ...at(20) } },
  {
    method: 'POST',
    path: `${base}/values:batchUpdate`,
    headers: { ...json, ...at(30), traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    body: JSON.stringify({ valueInputOption: 'USER_ENTERED', data: [{ range: 'Operaciones!D2', values: [['MR(93)']] }] }),
  },
  { method: 'PUT', path: `${base}/values/${encodeURIComponent('Operaciones!B3')}?valueInputOption=USER_ENTERED`, headers: { ...json, ...at(40) }, body: JSON.stringify({ values: [['14-05-2026 08:00:00']] }) },
  { method: 'POST', path: `${base}/values/Metadata!A1:append?valueInputOption=USER_ENTERED`, headers: { ...json, ...at(50) }, body: JSON.stringify({ values: [['1', '2026-05-13', 'INICIAR', 'OT-001']] }) },
  // The quota's fourth write in the minute: 429 with Google's body and retry-after.
  { method: 'POST', path: `${base}/values/Metadata!A1:append?valueInputOption=USER_ENTERED`, headers: { ...json, ...at(60) }, body: JSON.stringify({ values: [['2']] }) },
  { method: 'POST', path: `${base}/values:batchUpdate`, headers: { ...json, ...at(70) }, body: '{"valueInputOption": "USER_ENTERED", "data": [' },
  { method: 'GET', path: `${base}/values/Operaciones!A1`, headers: { accept: 'application/json', ...at(80) } },
  { method: 'GET', path: '/v4/spreadsheets/NO_SUCH_BOOK/values/A1', headers: { ...auth, ...at(90) } },
  { method: 'POST', path: `${base}:copyTo`, headers: { ...json, ...at(100) }, body: '{}' },
  // Next minute: the quota refilled.
  { method: 'POST', path: `${base}/values/Metadata!A1:append?valueInputOption=USER_ENTERED`, headers: { ...json, ...at(61_000) }, body: JSON.stringify({ values: [['3']] }) },
];

// Connection-level headers differ by transport and say nothing about the answer.
const TRANSPORT_HEADERS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

async function send(d: Dispatcher, r: Req): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const res = await d.request({ path: r.path, method: r.method, headers: r.headers ?? {}, ...(r.body !== undefined ? { body: r.body } : {}) });
  const headers = Object.fromEntries(Object.entries(res.headers).filter(([k]) => !TRANSPORT_HEADERS.has(k)));
  return { status: res.statusCode, headers, body: await res.body.text() };
}

const calls = (app: FastifyInstance): Omit<CallRecord, 'realMs'>[] => app.sheetsim.calls.page(0, 1000).calls.map(({ realMs: _, ...c }) => c);

describe('InProcessDispatcher (exact mode: the backend reaches the embedded mock without a socket)', () => {
  it('answers every request as the same mock does over HTTP, and records the same calls and workbook', async () => {
    const { http, inProcessDispatcher, overHttp, inProcess } = await twoMocks();
    const statuses: number[] = [];
    for (const r of REQUESTS) {
      const a = await send(http, r);
      const b = await send(inProcessDispatcher, r);
      expect(b, `${r.method} ${r.path}`).toEqual(a);
      statuses.push(a.status);
    }
    // The sequence covers what the backend meets: success, Google's errors, and the quota's 429.
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 400, 401, 404, 404, 200]);
    expect(calls(inProcess)).toEqual(calls(overHttp));
    expect(calls(overHttp).length).toBeGreaterThan(5);
    expect(inProcess.sheetsim.store.digest()).toBe(overHttp.sheetsim.store.digest());
  });

  it("gives the backend's Sheets client the same values, errors and modelled latency as HTTP", async () => {
    const { inProcessDispatcher, overHttp, inProcess, url } = await twoMocks();
    const overSocket = new SheetsClient({ baseUrl: `${url}/`, spreadsheetId: SPREADSHEET_ID, auth: { token: 'tok-one' } });
    const inProcessClient = new SheetsClient({ baseUrl: 'http://embedded.invalid/', spreadsheetId: SPREADSHEET_ID, auth: { token: 'tok-one' }, dispatcher: inProcessDispatcher });
    const script = async (client: SheetsClient): Promise<unknown[]> => {
      const seen: unknown[] = [];
      const ctx: RequestContext = { simClock: true, nowMs: T0 + 5, sheetsMs: 0, waitMs: 0 };
      await runInRequest(ctx, async () => {
        seen.push(await client.valuesGet('Operaciones!A1:D3'));
        for (let i = 0; i < 5; i++) {
          try {
            await client.append('Metadata!A1', [[String(i), 'x']]);
            seen.push('appended');
          } catch (err) {
            const e = err as SheetsApiError;
            seen.push({ name: e.name, status: e.status, reason: e.reason, message: e.message, retryAfter: e.retryAfterSeconds });
          }
        }
        seen.push(await client.batchGet(['Metadata!A:B', 'Operaciones!D2']));
      });
      seen.push({ nowMs: ctx.nowMs, sheetsMs: ctx.sheetsMs });
      await client.close();
      return seen;
    };
    const a = await script(overSocket);
    const b = await script(inProcessClient);
    expect(b).toEqual(a);
    expect(a.filter((x) => x === 'appended')).toHaveLength(3);
    expect(calls(inProcess)).toEqual(calls(overHttp));
    expect(inProcess.sheetsim.store.digest()).toBe(overHttp.sheetsim.store.digest());
  });

  it('turns a dropped connection (an injected fault) into the network error HTTP gives, not a hang', async () => {
    const build = (): Promise<FastifyInstance> =>
      buildMockSheets({ workbook: testWorkbook(), faults: { rules: [{ methods: ['values.get'], error500: 0, error503: 0, drop: 1, slow: { rate: 0, extraMs: 0 } }], outages: [] }, clock: 'virtual', startMs: T0 });
    const overHttp = await build();
    const inProcess = await build();
    apps.push(overHttp, inProcess);
    await overHttp.listen({ port: 0, host: '127.0.0.1' });
    const addr = overHttp.server.address();
    const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/`;
    const failure = async (client: SheetsClient): Promise<unknown> => {
      try {
        await client.valuesGet('Operaciones!A1');
        return 'answered';
      } catch (err) {
        const e = err as SheetsApiError;
        return { status: e.status, reason: e.reason };
      } finally {
        await client.close();
      }
    };
    const viaHttp = await failure(new SheetsClient({ baseUrl: url, spreadsheetId: SPREADSHEET_ID, auth: { token: 't' } }));
    const inProcessFailure = await failure(new SheetsClient({ baseUrl: url, spreadsheetId: SPREADSHEET_ID, auth: { token: 't' }, dispatcher: new InProcessDispatcher(inProcess) }));
    expect(viaHttp).toEqual({ status: 0, reason: 'NETWORK' });
    expect(inProcessFailure).toEqual(viaHttp);
    expect(calls(inProcess)).toEqual(calls(overHttp));
  });
});
