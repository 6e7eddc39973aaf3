import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallRecord } from '../../../mock-sheets/admin-types.ts';
import { encodeAccessToken } from '../../../mock-sheets/auth.ts';
import type { WorkbookSpec } from '../../../mock-sheets/workbook.ts';
import { buildTestMock, client, SPREADSHEET_ID, testWorkbook } from '../mock-fixture.ts';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const base = `/v4/spreadsheets/${SPREADSHEET_ID}`;
const admin = async (a: FastifyInstance, method: 'GET' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = {}) => {
  const res = await a.inject({ method, url: `/__sheetsim${url}`, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });
  return { status: res.statusCode, json: res.json() };
};

describe('admin API', () => {
  it('health answers ok, the spreadsheet id, the clock and the call count', async () => {
    app = await buildTestMock({ clock: 'virtual', startMs: 1_000_000 });
    await client(app).get(`${base}/values/A1`);
    const res = await admin(app, 'GET', '/health');
    expect(res.json).toEqual({ ok: true, spreadsheetId: SPREADSHEET_ID, clock: { mode: 'virtual', nowMs: 1_000_000, speed: 1 }, calls: 1 });
    expect(app.sheetsim.spreadsheetId).toBe(SPREADSHEET_ID);
  });

  it('logs every call with method, ranges, rows, cells, quota user, status and the traceparent trace id', async () => {
    app = await buildTestMock({ clock: 'virtual', startMs: 5000 });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await app.inject({
      method: 'POST',
      url: `${base}/values/Metadata:append?valueInputOption=RAW`,
      headers: { authorization: `Bearer ${encodeAccessToken('svc@proj.iam.gserviceaccount.com')}`, traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      payload: { values: [['1', '2', '3'], ['4', '5', '6']] },
    });
    await client(app).get(`${base}/values/${encodeURIComponent('Operaciones!A1:B3')}`);
    await client(app, 'key=abc').get(`${base}/values/Nope%21A1`);
    await client(app, null).get(base);
    const { json } = await admin(app, 'GET', '/calls');
    const calls = json.calls as CallRecord[];
    expect(json.next).toBeNull();
    expect(calls.map((c) => [c.id, c.method, c.status])).toEqual([
      [1, 'values.append', 200],
      [2, 'values.get', 200],
      [3, 'values.get', 400],
      [4, 'spreadsheets.get', 401],
    ]);
    expect(calls[0]).toEqual({
      id: 1,
      clockMs: 5000,
      method: 'values.append',
      kind: 'write',
      spreadsheetId: SPREADSHEET_ID,
      ranges: ['Metadata!A2:C3'],
      rows: 2,
      cells: 6,
      quotaUser: 'svc@proj.iam.gserviceaccount.com',
      status: 200,
      latencyMs: 0,
      realMs: calls[0]!.realMs,
      traceId,
    });
    expect(calls[0]!.realMs).toBeGreaterThanOrEqual(0);
    expect(calls[1]).toMatchObject({ kind: 'read', ranges: ['Operaciones!A1:B3'], rows: 3, cells: 5, quotaUser: 'key:test-key' });
    expect(calls[1]!.traceId).toBeUndefined();
    expect(calls[2]).toMatchObject({ quotaUser: 'key:abc', error: 'badRequest' });
    expect(calls[3]).toMatchObject({ quotaUser: 'anonymous', error: 'CREDENTIALS_MISSING' });
  });

  it('pages the call log with after and limit', async () => {
    app = await buildTestMock();
    const api = client(app);
    for (let i = 0; i < 5; i++) await api.get(`${base}/values/A${i + 1}`);
    const first = await admin(app, 'GET', '/calls?limit=2');
    expect(first.json.calls.map((c: CallRecord) => c.id)).toEqual([1, 2]);
    expect(first.json.next).toBe(2);
    const second = await admin(app, 'GET', `/calls?after=${first.json.next}&limit=2`);
    expect(second.json.calls.map((c: CallRecord) => c.id)).toEqual([3, 4]);
    const last = await admin(app, 'GET', `/calls?after=${second.json.next}&limit=2`);
    expect(last.json).toMatchObject({ next: null });
    expect(last.json.calls.map((c: CallRecord) => c.id)).toEqual([5]);
    expect((await admin(app, 'GET', '/calls?limit=10001')).status).toBe(400);
    expect((await admin(app, 'GET', '/calls?after=x')).status).toBe(400);
  });

  it('state gives a digest that follows the workbook, and a full export on request', async () => {
    app = await buildTestMock();
    const api = client(app);
    const before = await admin(app, 'GET', '/state');
    expect(before.json.digest).toMatch(/^[0-9a-f]{64}$/);
    await api.put(`${base}/values/Metadata%21A2?valueInputOption=RAW`, { values: [['x']] });
    const after = await admin(app, 'GET', '/state?export=true');
    expect(after.json.digest).not.toBe(before.json.digest);
    const metadata = after.json.spreadsheets[0].sheets.find((s: { title: string }) => s.title === 'Metadata');
    expect(metadata.cells).toContainEqual({ row: 1, col: 0, value: 'x' });
    // the same workbook in another server gives the same digest
    const twin = await buildTestMock();
    try {
      expect((await admin(twin, 'GET', '/state')).json.digest).toBe(before.json.digest);
    } finally {
      await twin.close();
    }
  });

  it('reset reloads the world (for a seed when given), clears the call log and re-seeds the policy', async () => {
    const worlds: number[] = [];
    const loadWorkbook = (seed: number): WorkbookSpec => {
      worlds.push(seed);
      const spec = testWorkbook();
      spec.sheets[1]!.rows.push([`seed ${seed}`]);
      return spec;
    };
    app = await buildTestMock({ loadWorkbook });
    const api = client(app);
    const initial = (await admin(app, 'GET', '/state')).json.digest;
    await api.put(`${base}/values/Metadata%21A2?valueInputOption=RAW`, { values: [['dirty']] });
    await api.post('/v4/spreadsheets', {});

    const plain = await admin(app, 'POST', '/reset', {});
    expect(plain.json).toEqual({ ok: true, spreadsheetId: SPREADSHEET_ID, digest: initial });
    expect((await admin(app, 'GET', '/health')).json.calls).toBe(0);
    expect((await admin(app, 'GET', '/state?export=true')).json.spreadsheets).toHaveLength(1);

    const seeded = await admin(app, 'POST', '/reset', { seed: 7 });
    expect(worlds).toEqual([7]);
    expect(seeded.json.digest).not.toBe(initial);
    expect((await api.get(`${base}/values/Metadata%21A2`)).json.values).toEqual([['seed 7']]);
    expect((await admin(app, 'POST', '/reset', { seed: 'x' })).status).toBe(400);
  });

  it('stats counts calls, errors and 429s per method and shows quota use', async () => {
    app = await buildTestMock({ clock: 'virtual', quota: { readPerUser: 2, writePerUser: 60, readPerProject: 300, writePerProject: 300, projectNumber: '1' } });
    const api = client(app);
    for (let i = 0; i < 3; i++) await api.get(`${base}/values/A1`);
    await api.get(`${base}/values/Nope%21A1`);
    const { json } = await admin(app, 'GET', '/stats');
    expect(json.methods['values.get']).toMatchObject({ calls: 4, errors: 2, rateLimited: 1 });
    expect(json).toMatchObject({ calls: 4, errors: 2, rateLimited: 1 });
    expect(json.quota).toBeDefined();
  });

  it('config shows and changes the realism settings, naming a bad field', async () => {
    app = await buildTestMock();
    expect((await admin(app, 'GET', '/config')).json).toMatchObject({ latency: 'off', quota: 'off' });
    const ok = await admin(app, 'POST', '/config', { quota: 'on' });
    expect(ok.status).toBe(200);
    expect(ok.json.quota).toMatchObject({ writePerUser: 60 });
    const bad = await admin(app, 'POST', '/config', { quota: { writePerUser: -1 } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toContain('quota.writePerUser');
  });

  it('clock can be set under the virtual clock only', async () => {
    app = await buildTestMock({ clock: 'virtual', startMs: 0 });
    const set = await admin(app, 'POST', '/clock', { nowMs: 60_000 });
    expect(set.json).toEqual({ mode: 'virtual', nowMs: 60_000, speed: 1 });
    expect((await admin(app, 'GET', '/clock')).json.nowMs).toBe(60_000);
    expect((await admin(app, 'POST', '/clock', { nowMs: 'soon' })).status).toBe(400);
    const wall = await buildTestMock();
    try {
      const res = await admin(wall, 'POST', '/clock', { nowMs: 1 });
      expect(res.status).toBe(409);
      expect(res.json.error.message).toContain('virtual');
    } finally {
      await wall.close();
    }
  });

  it('requires the admin token when one is set', async () => {
    app = await buildTestMock({ adminToken: 's3cret' });
    expect((await admin(app, 'GET', '/health')).status).toBe(401);
    expect((await admin(app, 'GET', '/health', undefined, { 'x-sheetsim-admin-token': 'wrong' })).status).toBe(401);
    expect((await admin(app, 'GET', '/health', undefined, { 'x-sheetsim-admin-token': 's3cret' })).status).toBe(200);
    // Sheets calls do not need it
    expect((await client(app).get(`${base}/values/A1`)).status).toBe(200);
  });
});

describe('quota through the pipeline (virtual clock)', () => {
  it('passes 60 writes in a minute, answers the 61st with Google’s 429, and passes again the next minute', async () => {
    app = await buildTestMock({ clock: 'virtual', startMs: 0, quota: 'on' });
    const api = client(app);
    const write = () => api.post(`${base}/values/Metadata:append?valueInputOption=RAW`, { values: [['x']] });
    for (let i = 0; i < 60; i++) expect((await write()).status).toBe(200);
    const before = await api.digest();
    const limited = await write();
    expect(limited.status).toBe(429);
    expect(limited.json.error).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED' });
    expect(limited.json.error.message).toMatch(/^Quota exceeded for quota metric 'Write requests'/);
    expect(limited.json.error.details[0]).toMatchObject({ reason: 'RATE_LIMIT_EXCEEDED' });
    expect(await api.digest()).toBe(before);
    // reads have their own bucket
    expect((await api.get(`${base}/values/A1`)).status).toBe(200);
    await admin(app, 'POST', '/clock', { nowMs: 60_000 });
    expect((await write()).status).toBe(200);
    const calls = (await admin(app, 'GET', '/calls?after=60&limit=1')).json.calls;
    expect(calls[0]).toMatchObject({ id: 61, status: 429, error: 'RATE_LIMIT_EXCEEDED' });
  });
});
