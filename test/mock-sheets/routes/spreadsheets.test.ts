import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestMock, client, SPREADSHEET_ID } from '../mock-fixture.ts';

let app: FastifyInstance;
let api: ReturnType<typeof client>;

beforeEach(async () => {
  app = await buildTestMock();
  api = client(app);
});
afterEach(async () => {
  await app.close();
});

const base = `/v4/spreadsheets/${SPREADSHEET_ID}`;
const batch = (requests: unknown[]) => api.post(`${base}:batchUpdate`, { requests });
const titles = async (): Promise<string[]> => (await api.get(base)).json.sheets.map((s: { properties: { title: string } }) => s.properties.title);

describe('spreadsheets.get', () => {
  it('answers properties, sheets with grid properties and the URL', async () => {
    const res = await api.get(base);
    expect(res.status).toBe(200);
    expect(res.json.spreadsheetId).toBe(SPREADSHEET_ID);
    expect(res.json.properties).toMatchObject({ title: 'ZEUES test', locale: 'es_CL', timeZone: 'America/Santiago', autoRecalc: 'ON_CHANGE' });
    expect(res.json.sheets[0].properties).toEqual({
      sheetId: 0,
      title: 'Operaciones',
      index: 0,
      sheetType: 'GRID',
      gridProperties: { rowCount: 1000, columnCount: 26 },
    });
    expect(res.json.sheets[2].properties.gridProperties).toEqual({ rowCount: 10, columnCount: 5 });
    expect(res.json.spreadsheetUrl).toBe(`https://docs.google.com/spreadsheets/d/${SPREADSHEET_ID}/edit`);
  });

  it('limits the sheets to those the ranges name, and accepts includeGridData=false', async () => {
    const res = await api.get(`${base}?ranges=Metadata!A1&ranges=${encodeURIComponent("'My Sheet'")}&includeGridData=false`);
    expect(res.json.sheets.map((s: { properties: { title: string } }) => s.properties.title)).toEqual(['Metadata', 'My Sheet']);
  });

  it('says clearly that includeGridData=true is not supported', async () => {
    const res = await api.get(`${base}?includeGridData=true`);
    expect(res.status).toBe(400);
    expect(res.json.error.message).toContain('does not support includeGridData=true');
  });
});

describe('spreadsheets.create', () => {
  it('creates a spreadsheet with a default Sheet1 of 1000×26 and a new id', async () => {
    const res = await api.post('/v4/spreadsheets', { properties: { title: 'Nuevo' } });
    expect(res.status).toBe(200);
    expect(res.json.spreadsheetId).toMatch(/^[A-Za-z0-9_-]{44}$/);
    expect(res.json.properties.title).toBe('Nuevo');
    expect(res.json.sheets).toEqual([
      { properties: { sheetId: 0, title: 'Sheet1', index: 0, sheetType: 'GRID', gridProperties: { rowCount: 1000, columnCount: 26 } } },
    ]);
    const id = res.json.spreadsheetId;
    const put = await api.put(`/v4/spreadsheets/${id}/values/A1?valueInputOption=RAW`, { values: [['hola']] });
    expect(put.json.updatedRange).toBe('Sheet1!A1');
  });

  it('creates the sheets given, and the same seed gives the same id', async () => {
    const body = { sheets: [{ properties: { title: 'Uno', gridProperties: { rowCount: 5, columnCount: 3 } } }, { properties: { title: 'Dos' } }] };
    const res = await api.post('/v4/spreadsheets', body);
    expect(res.json.sheets.map((s: { properties: { title: string } }) => s.properties.title)).toEqual(['Uno', 'Dos']);
    expect(res.json.sheets[0].properties.gridProperties).toEqual({ rowCount: 5, columnCount: 3 });
    const other = await buildTestMock();
    try {
      const again = await other.inject({ method: 'POST', url: '/v4/spreadsheets?key=k', payload: body });
      expect(again.json().spreadsheetId).toBe(res.json.spreadsheetId);
    } finally {
      await other.close();
    }
  });
});

describe('spreadsheets.batchUpdate', () => {
  it('adds a sheet and answers its properties; replies map 1:1 to requests', async () => {
    const res = await batch([
      { addSheet: { properties: { title: 'Nueva', gridProperties: { rowCount: 20, columnCount: 4 } } } },
      { addSheet: { properties: { title: 'Primera', index: 0 } } },
    ]);
    expect(res.status).toBe(200);
    expect(res.json.replies).toHaveLength(2);
    expect(res.json.replies[0].addSheet.properties).toMatchObject({ title: 'Nueva', index: 3, sheetType: 'GRID', gridProperties: { rowCount: 20, columnCount: 4 } });
    expect(await titles()).toEqual(['Primera', 'Operaciones', 'Metadata', 'My Sheet', 'Nueva']);
  });

  it('deletes a sheet, refuses an unknown id and refuses to delete the last sheet', async () => {
    const meta = (await api.get(base)).json.sheets.find((s: { properties: { title: string } }) => s.properties.title === 'Metadata').properties;
    const res = await batch([{ deleteSheet: { sheetId: meta.sheetId } }]);
    expect(res.json.replies).toEqual([{}]);
    expect(await titles()).toEqual(['Operaciones', 'My Sheet']);
    const unknown = await batch([{ deleteSheet: { sheetId: 123 } }]);
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.message).toBe('Invalid requests[0].deleteSheet: No grid with id: 123');
    const sheets = (await api.get(base)).json.sheets;
    const all = await batch(sheets.map((s: { properties: { sheetId: number } }) => ({ deleteSheet: { sheetId: s.properties.sheetId } })));
    expect(all.status).toBe(400);
    expect(all.json.error.message).toMatch(/You can't remove all the sheets in a document\./);
    expect(await titles()).toEqual(['Operaciones', 'My Sheet']);
  });

  it('updates title and grid size with a field mask; shrinking the grid drops cells outside it', async () => {
    const res = await batch([
      { updateSheetProperties: { properties: { sheetId: 0, title: 'Ops', gridProperties: { rowCount: 2, columnCount: 2 } }, fields: 'title,gridProperties.rowCount,gridProperties.columnCount' } },
    ]);
    expect(res.status).toBe(200);
    const values = await api.get(api.values('Ops'));
    expect(values.json).toEqual({ range: 'Ops!A1:B2', majorDimension: 'ROWS', values: [['TAG_SPOOL', 'Fecha_Ocupacion'], ['OT-001', '13-05-2026 11:33:48']] });
    const grow = await batch([{ updateSheetProperties: { properties: { sheetId: 0, gridProperties: { rowCount: 50 } }, fields: 'gridProperties.rowCount' } }]);
    expect(grow.status).toBe(200);
    expect((await api.get(api.values('Ops!A1:B50'))).json.values).toHaveLength(2);
    // gspread's resize()/add_rows() write the mask path with '/', which Google accepts.
    const slash = await batch([{ updateSheetProperties: { properties: { sheetId: 0, gridProperties: { rowCount: 60 } }, fields: 'gridProperties/rowCount' } }]);
    expect(slash.status).toBe(200);
    expect((await api.get(api.values('Ops!A60'))).status).toBe(200);
  });

  it('refuses a workbook above 10,000,000 cells', async () => {
    const before = await api.digest();
    const res = await batch([
      { updateSheetProperties: { properties: { sheetId: 0, gridProperties: { rowCount: 400_000 } }, fields: 'gridProperties.rowCount' } },
    ]);
    expect(res.status).toBe(400);
    expect(res.json.error.message).toBe(
      'Invalid requests[0].updateSheetProperties: This action would increase the number of cells in the workbook above the limit of 10000000 cells.',
    );
    expect(await api.digest()).toBe(before);
  });

  it('names an unsupported request kind and applies nothing of the batch', async () => {
    const before = await api.digest();
    const res = await batch([{ addSheet: { properties: { title: 'Applied?' } } }, { repeatCell: { range: {}, cell: {}, fields: '*' } }]);
    expect(res.status).toBe(400);
    expect(res.json.error.message).toBe(
      "Invalid requests[1]: sheetsim does not support 'repeatCell' (supported: addSheet, deleteSheet, updateSheetProperties; see docs/fidelity.md)",
    );
    expect(await api.digest()).toBe(before);
  });

  it('rolls back earlier requests when a later one fails', async () => {
    const before = await api.digest();
    const res = await batch([{ addSheet: { properties: { title: 'Applied?' } } }, { addSheet: { properties: { title: 'Metadata' } } }]);
    expect(res.status).toBe(400);
    expect(res.json.error.message).toContain('A sheet with the name "Metadata" already exists');
    expect(await api.digest()).toBe(before);
    expect(await titles()).not.toContain('Applied?');
  });
});
