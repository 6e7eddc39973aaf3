/**
 * What real clients send that the mock used to refuse or wrongly accept (issue 12, gaps 1–4): JSON null members,
 * Python-spelled query booleans, a body range that is not the URL's, and the 50,000-character cell limit.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_CELL_CHARACTERS } from '../../mock-sheets/wire.ts';
import { buildTestMock, client, SPREADSHEET_ID } from './mock-fixture.ts';

let app: FastifyInstance;
let api: ReturnType<typeof client>;
const base = `/v4/spreadsheets/${SPREADSHEET_ID}`;

beforeEach(async () => {
  app = await buildTestMock();
  api = client(app);
});
afterEach(async () => {
  await app.close();
});

const update = (range: string, query: string) => `${api.values(range)}?${query}`;
const append = (range: string, query: string) => `${base}/values/${encodeURIComponent(range)}:append?${query}`;
const batchUpdate = `${base}/values:batchUpdate`;

type Send = 'put' | 'post';

describe('a JSON null member is "not set" (proto3 JSON mapping), as Google treats it', () => {
  const cases: { name: string; send: Send; path: () => string; body: object; read: string; expected: unknown[][] }[] = [
    {
      name: 'update with "majorDimension": null (gspread update())',
      send: 'put',
      path: () => update('Metadata!A2', 'valueInputOption=RAW'),
      body: { range: 'Metadata!A2', majorDimension: null, values: [['a', 'b']] },
      read: 'Metadata!A2:B2',
      expected: [['a', 'b']],
    },
    {
      name: 'update with "range": null',
      send: 'put',
      path: () => update('Metadata!A2', 'valueInputOption=RAW'),
      body: { range: null, values: [['x']] },
      read: 'Metadata!A2',
      expected: [['x']],
    },
    {
      name: 'batchUpdate with "includeValuesInResponse": null and null render options (gspread batch_update())',
      send: 'post',
      path: () => batchUpdate,
      body: {
        valueInputOption: 'RAW',
        includeValuesInResponse: null,
        responseValueRenderOption: null,
        responseDateTimeRenderOption: null,
        data: [{ range: 'Metadata!A3', majorDimension: null, values: [['c']] }],
      },
      read: 'Metadata!A3',
      expected: [['c']],
    },
    {
      name: 'append with null range and majorDimension',
      send: 'post',
      path: () => append('Metadata', 'valueInputOption=RAW'),
      body: { range: null, majorDimension: null, values: [['d']] },
      read: 'Metadata!A2',
      expected: [['d']],
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const res = await api[c.send](c.path(), c.body);
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      expect(res.json).not.toHaveProperty('updatedData');
      expect((await api.get(api.values(c.read))).json.values).toEqual(c.expected);
    });
  }

  it('a required member sent as null is still missing, and an unknown member is refused even when null', async () => {
    const required = await api.post(batchUpdate, { valueInputOption: null, data: [] });
    expect(required.status).toBe(400);
    expect(required.json.error.message).toBe("'valueInputOption' is required but not specified");
    const unknown = await api.put(update('Metadata!A2', 'valueInputOption=RAW'), { values: [['x']], colour: null });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.message).toBe('Invalid JSON payload received. Unknown name "colour": Cannot find field.');
  });
});

describe('query booleans in any letter case (gspread sends includeValuesInResponse=False)', () => {
  const cases: { value: string; status: number; echoed?: boolean }[] = [
    { value: 'False', status: 200, echoed: false },
    { value: 'FALSE', status: 200, echoed: false },
    { value: 'false', status: 200, echoed: false },
    { value: 'True', status: 200, echoed: true },
    { value: 'TRUE', status: 200, echoed: true },
    { value: 'true', status: 200, echoed: true },
    { value: 'yes', status: 400 },
  ];
  for (const c of cases) {
    it(`append with includeValuesInResponse=${c.value} → ${c.status}`, async () => {
      const res = await api.post(append('Metadata', `valueInputOption=RAW&includeValuesInResponse=${c.value}`), { values: [['e']] });
      expect(res.status).toBe(c.status);
      if (c.status === 400) {
        expect(res.json.error.message).toBe(`Invalid value at 'include_values_in_response' (TYPE_BOOL), "${c.value}"`);
        return;
      }
      expect('updatedData' in res.json.updates).toBe(c.echoed);
    });
  }

  it('spreadsheets.get takes includeGridData=False', async () => {
    expect((await api.get(`${base}?includeGridData=False`)).status).toBe(200);
    const grid = await api.get(`${base}?includeGridData=True`);
    expect(grid.status).toBe(400);
    expect(grid.json.error.message).toMatch(/does not support includeGridData=true/);
  });
});

describe("a body range must be the URL's range (values.update and values.append)", () => {
  const cases: { name: string; send: Send; path: () => string; bodyRange: string; ok: boolean }[] = [
    { name: 'update, the same text', send: 'put', path: () => update('Metadata!A5', 'valueInputOption=RAW'), bodyRange: 'Metadata!A5', ok: true },
    { name: 'update, quoted sheet name', send: 'put', path: () => update('Metadata!A5', 'valueInputOption=RAW'), bodyRange: "'Metadata'!A5", ok: true },
    { name: 'update, no sheet = the first sheet', send: 'put', path: () => update('Operaciones!A5', 'valueInputOption=RAW'), bodyRange: 'A5', ok: true },
    { name: 'update, another cell', send: 'put', path: () => update('Metadata!A5', 'valueInputOption=RAW'), bodyRange: 'Metadata!A6', ok: false },
    { name: 'update, another sheet', send: 'put', path: () => update('Metadata!A5', 'valueInputOption=RAW'), bodyRange: 'Operaciones!A5', ok: false },
    { name: 'update, a wider range', send: 'put', path: () => update('Metadata!A5', 'valueInputOption=RAW'), bodyRange: 'Metadata!A5:B5', ok: false },
    { name: 'update, an unparseable range', send: 'put', path: () => update('Metadata!A5', 'valueInputOption=RAW'), bodyRange: 'Nope!A5', ok: false },
    { name: 'append, the same sheet', send: 'post', path: () => append('Metadata', 'valueInputOption=RAW'), bodyRange: 'Metadata', ok: true },
    { name: 'append, another sheet', send: 'post', path: () => append('Metadata', 'valueInputOption=RAW'), bodyRange: 'Operaciones', ok: false },
  ];
  for (const c of cases) {
    it(`${c.name} → ${c.ok ? 200 : 400}`, async () => {
      const before = await api.digest();
      const res = await api[c.send](c.path(), { range: c.bodyRange, values: [['v']] });
      if (c.ok) {
        expect(res.status, JSON.stringify(res.json)).toBe(200);
        return;
      }
      expect(res.status).toBe(400);
      expect(res.json.error.status).toBe('INVALID_ARGUMENT');
      expect(res.json.error.message).toContain(`[${c.bodyRange}]`);
      expect(await api.digest()).toBe(before);
    });
  }
});

describe('at most 50,000 characters in one cell', () => {
  const ok = 'x'.repeat(MAX_CELL_CHARACTERS);
  const tooLong = 'x'.repeat(MAX_CELL_CHARACTERS + 1);
  const message = 'Your input contains more than the maximum of 50000 characters in a single cell.';
  const cases: { name: string; send: Send; path: () => string; body: (text: string) => object }[] = [
    { name: 'values.update', send: 'put', path: () => update('Metadata!B2', 'valueInputOption=RAW'), body: (t) => ({ values: [['a', t]] }) },
    { name: 'values.append', send: 'post', path: () => append('Metadata', 'valueInputOption=USER_ENTERED'), body: (t) => ({ values: [[t]] }) },
    {
      name: 'values.batchUpdate',
      send: 'post',
      path: () => batchUpdate,
      body: (t) => ({ valueInputOption: 'RAW', data: [{ range: 'Metadata!A2', values: [['ok']] }, { range: 'Metadata!A3', values: [[t]] }] }),
    },
  ];
  for (const c of cases) {
    it(`${c.name}: 50,000 is written, 50,001 is 400 and nothing is written`, async () => {
      const before = await api.digest();
      const refused = await api[c.send](c.path(), c.body(tooLong));
      expect(refused.status).toBe(400);
      expect(refused.json.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT', message });
      expect(await api.digest()).toBe(before);
      const accepted = await api[c.send](c.path(), c.body(ok));
      expect(accepted.status).toBe(200);
      expect(await api.digest()).not.toBe(before);
    });
  }
});
