/** Compatibility: the real `@googleapis/sheets` client, pointed at the mock with `rootUrl`, over a real socket. */
import { auth, sheets, type sheets_v4 } from '@googleapis/sheets';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallRecord } from '../../mock-sheets/admin-types.ts';
import { encodeAccessToken } from '../../mock-sheets/auth.ts';
import { buildTestMock, SPREADSHEET_ID } from './mock-fixture.ts';

let app: FastifyInstance;
let rootUrl: string;

beforeAll(async () => {
  app = await buildTestMock();
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  rootUrl = `${address}/`;
});
afterAll(async () => {
  await app.close();
});

function oauthClient(token: string): sheets_v4.Sheets {
  const oauth = new auth.OAuth2();
  oauth.setCredentials({ access_token: token });
  return sheets({ version: 'v4', auth: oauth, rootUrl });
}

const variants: [string, () => sheets_v4.Sheets, string][] = [
  ['an API key', () => sheets({ version: 'v4', auth: 'FAKE_KEY', rootUrl }), 'key:FAKE_KEY'],
  ['an OAuth access token', () => oauthClient(encodeAccessToken('zeues@zeues.iam.gserviceaccount.com')), 'zeues@zeues.iam.gserviceaccount.com'],
];

async function lastCall(): Promise<CallRecord> {
  const page = (await app.inject({ url: '/__sheetsim/calls?limit=10000' })).json();
  return page.calls.at(-1);
}

describe.each(variants)('@googleapis/sheets with %s', (_name, makeClient, quotaUser) => {
  let client: sheets_v4.Sheets;
  beforeAll(async () => {
    await app.inject({ method: 'POST', url: '/__sheetsim/reset', payload: {} });
    client = makeClient();
  });

  it('spreadsheets.get', async () => {
    const res = await client.spreadsheets.get({ spreadsheetId: SPREADSHEET_ID });
    expect(res.status).toBe(200);
    expect(res.data.sheets?.map((s) => s.properties?.title)).toEqual(['Operaciones', 'Metadata', 'My Sheet']);
    expect(await lastCall()).toMatchObject({ method: 'spreadsheets.get', status: 200, quotaUser });
  });

  it('values.get with a quoted sheet name and render options', async () => {
    const res = await client.spreadsheets.values.get({
      spreadsheetId: SPREADSHEET_ID,
      range: "'Operaciones'!A1:C2",
      valueRenderOption: 'UNFORMATTED_VALUE',
    });
    expect(res.data).toEqual({
      range: 'Operaciones!A1:C2',
      majorDimension: 'ROWS',
      values: [
        ['TAG_SPOOL', 'Fecha_Ocupacion', 'Total_Uniones'],
        ['OT-001', 46155.48180555556, 7],
      ],
    });
    const spaced = await client.spreadsheets.values.get({ spreadsheetId: SPREADSHEET_ID, range: "'My Sheet'!A1:B1" });
    expect(spaced.data.values).toEqual([['a', 'b']]);
  });

  it('values.batchGet', async () => {
    const res = await client.spreadsheets.values.batchGet({ spreadsheetId: SPREADSHEET_ID, ranges: ['Operaciones!A2:A3', 'Metadata!A1'] });
    expect(res.data.valueRanges?.map((v) => v.values)).toEqual([[['OT-001'], ['OT-002']], [['ID']]]);
  });

  it('values.update', async () => {
    const res = await client.spreadsheets.values.update({
      spreadsheetId: SPREADSHEET_ID,
      range: 'Operaciones!D2',
      valueInputOption: 'USER_ENTERED',
      requestBody: { values: [['MR(93)']] },
    });
    expect(res.data).toMatchObject({ spreadsheetId: SPREADSHEET_ID, updatedRange: 'Operaciones!D2', updatedCells: 1 });
  });

  it('values.batchUpdate', async () => {
    const res = await client.spreadsheets.values.batchUpdate({
      spreadsheetId: SPREADSHEET_ID,
      requestBody: {
        valueInputOption: 'USER_ENTERED',
        data: [
          { range: "'Operaciones'!B3", values: [['14-05-2026 10:00:00']] },
          { range: "'Operaciones'!D3", values: [['']] },
        ],
      },
    });
    expect(res.data).toMatchObject({ totalUpdatedCells: 2, totalUpdatedSheets: 1 });
    expect(res.data.responses).toHaveLength(2);
  });

  it('values.append (OVERWRITE and INSERT_ROWS)', async () => {
    const res = await client.spreadsheets.values.append({
      spreadsheetId: SPREADSHEET_ID,
      range: 'Metadata',
      valueInputOption: 'USER_ENTERED',
      requestBody: { values: [['1', '13-05-2026 11:33:48', 'INICIAR', 'OT-001']] },
    });
    expect(res.data).toMatchObject({ tableRange: 'Metadata!A1:D1', updates: { updatedRange: 'Metadata!A2:D2', updatedRows: 1 } });
    const inserted = await client.spreadsheets.values.append({
      spreadsheetId: SPREADSHEET_ID,
      range: 'Metadata!A:D',
      valueInputOption: 'RAW',
      insertDataOption: 'INSERT_ROWS',
      requestBody: { values: [['2', 'x', 'FINALIZAR', 'OT-001']] },
    });
    expect(inserted.data.updates?.updatedRange).toBe('Metadata!A3:D3');
    expect(await lastCall()).toMatchObject({ method: 'values.append', status: 200, quotaUser, rows: 1, cells: 4 });
  });

  it('values.clear and values.batchClear', async () => {
    const cleared = await client.spreadsheets.values.clear({ spreadsheetId: SPREADSHEET_ID, range: 'Metadata!A3:D3', requestBody: {} });
    expect(cleared.data.clearedRange).toBe('Metadata!A3:D3');
    const batch = await client.spreadsheets.values.batchClear({ spreadsheetId: SPREADSHEET_ID, requestBody: { ranges: ['Metadata!A2:D2'] } });
    expect(batch.data.clearedRanges).toEqual(['Metadata!A2:D2']);
    const after = await client.spreadsheets.values.get({ spreadsheetId: SPREADSHEET_ID, range: 'Metadata' });
    expect(after.data.values).toEqual([['ID', 'Timestamp', 'Evento', 'Tag']]);
  });

  it('spreadsheets.batchUpdate and spreadsheets.create', async () => {
    const res = await client.spreadsheets.batchUpdate({
      spreadsheetId: SPREADSHEET_ID,
      requestBody: { requests: [{ addSheet: { properties: { title: `Extra ${quotaUser}` } } }] },
    });
    expect(res.data.replies?.[0]?.addSheet?.properties?.title).toBe(`Extra ${quotaUser}`);
    const created = await client.spreadsheets.create({ requestBody: { properties: { title: 'Nuevo' } } });
    expect(created.data.spreadsheetId).toMatch(/^[A-Za-z0-9_-]{44}$/);
    expect(created.data.sheets?.[0]?.properties?.title).toBe('Sheet1');
  });

  it('surfaces Google’s error body as a GaxiosError', async () => {
    await expect(client.spreadsheets.values.get({ spreadsheetId: SPREADSHEET_ID, range: 'Nope!A1' }, { retry: false })).rejects.toMatchObject({
      status: 400,
      message: 'Unable to parse range: Nope!A1',
    });
    await expect(client.spreadsheets.get({ spreadsheetId: 'NOPE' }, { retry: false })).rejects.toMatchObject({ status: 404 });
  });
});
