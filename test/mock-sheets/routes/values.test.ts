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

describe('values.get shapes', () => {
  it('answers the whole requested range bounded to the grid, omitting trailing empty rows and columns', async () => {
    const res = await api.get(api.values('Operaciones'));
    expect(res.status).toBe(200);
    expect(res.json.range).toBe('Operaciones!A1:Z1000');
    expect(res.json.majorDimension).toBe('ROWS');
    // OT-001's Ocupado_Por is empty: its row ends at Total_Uniones
    expect(res.json.values).toEqual([
      ['TAG_SPOOL', 'Fecha_Ocupacion', 'Total_Uniones', 'Ocupado_Por'],
      ['OT-001', '13-05-2026 11:33:48', '06-01-1900'],
      ['OT-002', '', '02-01-1900', 'MR(93)'],
    ]);
  });

  it('has no values key for an empty range, and [] for empty rows inside it', async () => {
    const empty = await api.get(api.values('Operaciones!F1:G5'));
    expect(empty.status).toBe(200);
    expect(empty.json).toEqual({ range: 'Operaciones!F1:G5', majorDimension: 'ROWS' });

    await api.put(`${api.values('Metadata!A3')}?valueInputOption=RAW`, { values: [['x']] });
    const gap = await api.get(api.values('Metadata!A1:B5'));
    expect(gap.json.values).toEqual([['ID', 'Timestamp'], [], ['x']]);
  });

  it('renders majorDimension=COLUMNS as columns, trimmed the same way', async () => {
    const res = await api.get(`${api.values('Operaciones!A1:D3')}?majorDimension=COLUMNS&valueRenderOption=UNFORMATTED_VALUE`);
    expect(res.json.majorDimension).toBe('COLUMNS');
    expect(res.json.values).toEqual([
      ['TAG_SPOOL', 'OT-001', 'OT-002'],
      ['Fecha_Ocupacion', 46155.48180555556],
      ['Total_Uniones', 7, 3],
      ['Ocupado_Por', '', 'MR(93)'],
    ]);
  });

  it('reads the date-formatted 7 and a DD-MM-YYYY HH:MM:SS date-time in all three render options', async () => {
    const read = async (query: string) => (await api.get(`${api.values('Operaciones!B2:C2')}?${query}`)).json.values[0];
    expect(await read('valueRenderOption=FORMATTED_VALUE')).toEqual(['13-05-2026 11:33:48', '06-01-1900']);
    expect(await read('valueRenderOption=UNFORMATTED_VALUE')).toEqual([46155.48180555556, 7]);
    expect(await read('valueRenderOption=FORMULA')).toEqual([46155.48180555556, 7]);
    expect(await read('valueRenderOption=UNFORMATTED_VALUE&dateTimeRenderOption=FORMATTED_STRING')).toEqual(['13-05-2026 11:33:48', '06-01-1900']);
  });

  it('a string written with USER_ENTERED into the date-time column is stored as a serial', async () => {
    const put = await api.put(`${api.values('Operaciones!B3')}?valueInputOption=USER_ENTERED`, { values: [['02-03-2026 08:15:00']] });
    expect(put.status).toBe(200);
    const res = await api.get(`${api.values('Operaciones!B3')}?valueRenderOption=UNFORMATTED_VALUE`);
    expect(res.json.values[0][0]).toBeCloseTo(46083.34375, 8);
    const raw = await api.put(`${api.values('Operaciones!D3')}?valueInputOption=RAW`, { values: [['02-03-2026']] });
    expect(raw.status).toBe(200);
    expect((await api.get(`${api.values('Operaciones!D3')}?valueRenderOption=UNFORMATTED_VALUE`)).json.values).toEqual([['02-03-2026']]);
  });

  it('reads a range beyond the grid as Google does: 400 exceeds grid limits', async () => {
    const res = await api.get(api.values('My Sheet!A1:A11'));
    expect(res.status).toBe(400);
    expect(res.json.error.message).toBe("Range ('My Sheet'!A1:A11) exceeds grid limits. Max rows: 10, max columns: 5");
  });

  it('an unknown sheet and a bad range are 400 Unable to parse range', async () => {
    for (const range of ['Nope!A1', 'Operaciones!A0', "'Unclosed!A1"]) {
      const res = await api.get(api.values(range));
      expect(res.status).toBe(400);
      expect(res.json.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT', message: `Unable to parse range: ${range}` });
    }
  });

  it('a range without a sheet means the first visible sheet', async () => {
    const res = await api.get(api.values('A1:B1'));
    expect(res.json).toEqual({ range: 'Operaciones!A1:B1', majorDimension: 'ROWS', values: [['TAG_SPOOL', 'Fecha_Ocupacion']] });
  });

  it('batchGet answers one ValueRange per repeated ranges parameter, in order', async () => {
    const res = await api.get(`${base}/values:batchGet?ranges=${encodeURIComponent("'My Sheet'!A1:B1")}&ranges=Metadata%21A1%3AA1`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      spreadsheetId: SPREADSHEET_ID,
      valueRanges: [
        { range: "'My Sheet'!A1:B1", majorDimension: 'ROWS', values: [['a', 'b']] },
        { range: 'Metadata!A1', majorDimension: 'ROWS', values: [['ID']] },
      ],
    });
  });
});

describe('values.update', () => {
  it('writes from a single-cell anchor and answers Google’s UpdateValuesResponse', async () => {
    const res = await api.put(`${api.values('Metadata!B2')}?valueInputOption=USER_ENTERED&includeValuesInResponse=true`, {
      values: [
        ['1', 'TRUE', '5%'],
        [2.5, null, '=SUM(A1:A2)'],
      ],
    });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      spreadsheetId: SPREADSHEET_ID,
      updatedRange: 'Metadata!B2:D3',
      updatedRows: 2,
      updatedColumns: 3,
      updatedCells: 5,
      updatedData: { range: 'Metadata!B2:D3', majorDimension: 'ROWS', values: [['1', 'TRUE', '5%'], ['2.5', '', '']] },
    });
    const formulas = await api.get(`${api.values('Metadata!B2:D3')}?valueRenderOption=FORMULA`);
    expect(formulas.json.values).toEqual([[1, true, 0.05], [2.5, '', '=SUM(A1:A2)']]);
  });

  it('takes majorDimension=COLUMNS input', async () => {
    await api.put(`${api.values('Metadata!A5')}?valueInputOption=RAW`, { majorDimension: 'COLUMNS', values: [['a', 'b'], ['c', 'd']] });
    expect((await api.get(api.values('Metadata!A5:B6'))).json.values).toEqual([
      ['a', 'c'],
      ['b', 'd'],
    ]);
  });

  it('"" clears a cell and null leaves it as it was', async () => {
    await api.put(`${api.values('Operaciones!A3:D3')}?valueInputOption=USER_ENTERED`, { values: [[null, '', null, '']] });
    // B3 was already empty, C3 (3, date-formatted) was skipped, D3 cleared
    expect((await api.get(api.values('Operaciones!A3:D3'))).json.values).toEqual([['OT-002', '', '02-01-1900']]);
  });

  it('refuses a block larger than an explicit range, and writes beyond the grid', async () => {
    const tooWide = await api.put(`${api.values('Metadata!A2:B2')}?valueInputOption=RAW`, { values: [['1', '2', '3']] });
    expect(tooWide.status).toBe(400);
    expect(tooWide.json.error.message).toBe('Requested writing within range [Metadata!A2:B2], but tried writing to column [C]');
    const beyond = await api.put(`${api.values('Metadata!A1001')}?valueInputOption=RAW`, { values: [['x']] });
    expect(beyond.status).toBe(400);
    expect(beyond.json.error.message).toBe("Range ('Metadata'!A1001) exceeds grid limits. Max rows: 1000, max columns: 26");
  });

  it('requires a valid valueInputOption', async () => {
    const missing = await api.put(api.values('Metadata!A2'), { values: [['x']] });
    expect(missing.status).toBe(400);
    expect(missing.json.error.message).toBe("'valueInputOption' is required but not specified");
    const bad = await api.put(`${api.values('Metadata!A2')}?valueInputOption=USER_ENTER`, { values: [['x']] });
    expect(bad.json.error.message).toBe(
      `Invalid value at 'value_input_option' (type.googleapis.com/google.apps.sheets.v4.ValueInputOption), "USER_ENTER"`,
    );
  });
});

describe('values.append', () => {
  const append = (range: string, values: unknown[][], query = 'valueInputOption=RAW') =>
    api.post(`${base}/values/${encodeURIComponent(range)}:append?${query}`, { values });

  it('appends after the table and answers tableRange and updates', async () => {
    const res = await append('Metadata', [['1', 'ts', 'INICIAR', 'OT-001']]);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      spreadsheetId: SPREADSHEET_ID,
      tableRange: 'Metadata!A1:D1',
      updates: { spreadsheetId: SPREADSHEET_ID, updatedRange: 'Metadata!A2:D2', updatedRows: 1, updatedColumns: 4, updatedCells: 4 },
    });
    const second = await append('Metadata!A:D', [['2', 'ts', 'FINALIZAR', 'OT-001']]);
    expect(second.json.tableRange).toBe('Metadata!A1:D2');
    expect(second.json.updates.updatedRange).toBe('Metadata!A3:D3');
  });

  it('omits tableRange when the range holds no table', async () => {
    const res = await append('Metadata!F10:G20', [['x']]);
    expect(res.json).toEqual({
      spreadsheetId: SPREADSHEET_ID,
      updates: { spreadsheetId: SPREADSHEET_ID, updatedRange: 'Metadata!F10', updatedRows: 1, updatedColumns: 1, updatedCells: 1 },
    });
  });

  it('reproduces the production +1 column shift when column A of the table is empty', async () => {
    // The header's A1 was cleared (as after a wipe); every table row has column A empty.
    await api.post(`${base}/values/${encodeURIComponent('Metadata!A1')}:clear`);
    const res = await append('Metadata', [['1', 'ts', 'INICIAR', 'OT-001']], 'valueInputOption=USER_ENTERED');
    expect(res.json.tableRange).toBe('Metadata!B1:D1');
    expect(res.json.updates.updatedRange).toBe('Metadata!B2:E2');
    const rows = (await api.get(api.values('Metadata'))).json.values;
    expect(rows).toEqual([
      ['', 'Timestamp', 'Evento', 'Tag'],
      ['', '1', 'ts', 'INICIAR', 'OT-001'],
    ]);
  });

  it('OVERWRITE writes into the rows after the table; INSERT_ROWS pushes the rows below down', async () => {
    // Data in column E only, right below the table: outside the range's columns, so the table ends above it.
    await api.put(`${api.values('Metadata!E2')}?valueInputOption=RAW`, { values: [['beside']] });
    const overwrite = await append('Metadata!A1:D1', [['o1']]);
    expect(overwrite.json.updates.updatedRange).toBe('Metadata!A2');
    const over = await append('Metadata!A1:D1', [['o2']]);
    expect(over.json.tableRange).toBe('Metadata!A1:D2'); // the table runs past the range's single row
    expect(over.json.updates.updatedRange).toBe('Metadata!A3');
    expect((await api.get(api.values('Metadata!A1:A4'))).json.values).toEqual([['ID'], ['o1'], ['o2']]);
    await api.post(`${base}/values/${encodeURIComponent('Metadata!E2')}:clear`);

    const sheetBefore = await api.get(`${base}?ranges=Metadata`);
    const rowsBefore = sheetBefore.json.sheets[0].properties.gridProperties.rowCount;
    await api.put(`${api.values('Metadata!A5')}?valueInputOption=RAW`, { values: [['tail']] });
    const inserted = await append('Metadata!A1:A3', [['i1'], ['i2']], 'valueInputOption=RAW&insertDataOption=INSERT_ROWS');
    expect(inserted.json.updates.updatedRange).toBe('Metadata!A4:A5');
    expect((await api.get(api.values('Metadata!A1:A8'))).json.values).toEqual([['ID'], ['o1'], ['o2'], ['i1'], ['i2'], [], ['tail']]);
    const sheetAfter = await api.get(`${base}?ranges=Metadata`);
    expect(sheetAfter.json.sheets[0].properties.gridProperties.rowCount).toBe(rowsBefore + 2);
  });

  it('takes the quoted whole-sheet range gspread sends (append_rows and get_all_values)', async () => {
    const res = await api.post(`${base}/values/%27Metadata%27:append?valueInputOption=USER_ENTERED`, { values: [['1', '2']] });
    expect(res.json.updates.updatedRange).toBe('Metadata!A2:B2');
    expect((await api.get(`${base}/values/%27Metadata%27`)).json).toMatchObject({ range: 'Metadata!A1:Z1000', values: [['ID', 'Timestamp', 'Evento', 'Tag'], ['1', '2']] });
  });

  it('refuses to grow the workbook above 10,000,000 cells', async () => {
    const big = await buildTestMock({
      workbook: { spreadsheetId: SPREADSHEET_ID, title: 'big', sheets: [{ title: 'Log', rows: [['h']], rowCount: 384_615, columnCount: 26 }] },
    });
    try {
      const res = await big.inject({
        method: 'POST',
        url: `${base}/values/Log:append?valueInputOption=RAW&insertDataOption=INSERT_ROWS&key=k`,
        payload: { values: [['x']] },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toBe('This action would increase the number of cells in the workbook above the limit of 10000000 cells.');
    } finally {
      await big.close();
    }
  });

  it('grows the grid when the appended rows pass its end', async () => {
    const res = await append("'My Sheet'!A1:B1", [['r2', 1, 2, 3, 4, 5]]);
    expect(res.status).toBe(200);
    const rows = Array.from({ length: 12 }, (_, i) => [`x${i}`]);
    const tall = await append("'My Sheet'!A:A", rows);
    expect(tall.json.updates.updatedRange).toBe("'My Sheet'!A3:A14");
    const meta = await api.get(`${base}?ranges=${encodeURIComponent("'My Sheet'!A1")}`);
    expect(meta.json.sheets[0].properties.gridProperties).toEqual({ rowCount: 14, columnCount: 6 });
  });
});

describe('values.clear and batchClear', () => {
  it('clears values but keeps the column formats (a number typed later still renders as a date)', async () => {
    const res = await api.post(`${base}/values/${encodeURIComponent('Operaciones!B2:C3')}:clear`);
    expect(res.json).toEqual({ spreadsheetId: SPREADSHEET_ID, clearedRange: 'Operaciones!B2:C3' });
    expect((await api.get(api.values('Operaciones!B2:C3'))).json.values).toBeUndefined();
    await api.put(`${api.values('Operaciones!C2')}?valueInputOption=USER_ENTERED`, { values: [['4']] });
    expect((await api.get(api.values('Operaciones!C2'))).json.values).toEqual([['03-01-1900']]);
  });

  it('batchClear clears every range and lists them', async () => {
    const res = await api.post(`${base}/values:batchClear`, { ranges: ['Operaciones!A3:D3', "'My Sheet'"] });
    expect(res.json).toEqual({ spreadsheetId: SPREADSHEET_ID, clearedRanges: ['Operaciones!A3:D3', "'My Sheet'!A1:E10"] });
    expect((await api.get(api.values("'My Sheet'"))).json.values).toBeUndefined();
  });
});

describe('values.batchUpdate', () => {
  it('applies every range and answers totals and one response per range in order', async () => {
    const res = await api.post(`${base}/values:batchUpdate`, {
      valueInputOption: 'USER_ENTERED',
      data: [
        { range: "'Operaciones'!D2", values: [['JP(7)']] },
        { range: 'Operaciones!B2', values: [['14-05-2026 09:00:00']] },
        { range: 'Metadata!A2:B2', values: [['e1', 'x']] },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      spreadsheetId: SPREADSHEET_ID,
      totalUpdatedRows: 3,
      totalUpdatedColumns: 4,
      totalUpdatedCells: 4,
      totalUpdatedSheets: 2,
    });
    expect(res.json.responses.map((r: { updatedRange: string }) => r.updatedRange)).toEqual(['Operaciones!D2', 'Operaciones!B2', 'Metadata!A2:B2']);
    expect((await api.get(api.values('Operaciones!B2:D2'))).json.values).toEqual([['14-05-2026 09:00:00', '06-01-1900', 'JP(7)']]);
  });

  it('is atomic: one bad range leaves nothing written and the digest unchanged', async () => {
    const before = await api.digest();
    for (const bad of ['Nope!A1', 'Metadata!A1001']) {
      const res = await api.post(`${base}/values:batchUpdate`, {
        valueInputOption: 'RAW',
        data: [
          { range: 'Metadata!A2', values: [['written?']] },
          { range: bad, values: [['x']] },
        ],
      });
      expect(res.status).toBe(400);
      expect(res.json.error.message).toMatch(/^Invalid data\[1\]: /);
    }
    // a failure found only while writing (block wider than its range) rolls back the earlier entries too
    const late = await api.post(`${base}/values:batchUpdate`, {
      valueInputOption: 'RAW',
      data: [
        { range: 'Metadata!A2', values: [['written?']] },
        { range: 'Metadata!A3:B3', values: [['1', '2', '3']] },
      ],
    });
    expect(late.status).toBe(400);
    expect(await api.digest()).toBe(before);
    expect((await api.get(api.values('Metadata!A2'))).json.values).toBeUndefined();
  });
});

describe('routing of Google’s custom-method suffixes and encoded ranges', () => {
  it('splits :append and :clear on the last colon, with %21 %27 %3A in the range', async () => {
    const append = await api.post(`${base}/values/%27My%20Sheet%27%21A1%3AB1:append?valueInputOption=RAW`, { values: [['c', 'd']] });
    expect(append.status).toBe(200);
    expect(append.json.updates.updatedRange).toBe("'My Sheet'!A2:B2");
    // a literal colon inside the range (curl users) still splits on the last one
    const clear = await api.post(`${base}/values/'My Sheet'!A2:B2:clear`);
    expect(clear.json.clearedRange).toBe("'My Sheet'!A2:B2");
    const unknownVerb = await api.post(`${base}/values/A1:frobnicate`);
    expect(unknownVerb.status).toBe(404);
    expect(unknownVerb.json.error.status).toBe('NOT_FOUND');
  });

  it('serves spreadsheets :batchUpdate on the id route', async () => {
    const res = await api.post(`/v4/spreadsheets/${SPREADSHEET_ID}:batchUpdate`, { requests: [{ addSheet: { properties: { title: 'Nueva' } } }] });
    expect(res.status).toBe(200);
    expect(res.json.replies[0].addSheet.properties.title).toBe('Nueva');
  });
});

describe('malformed requests are 400 and change nothing', () => {
  const bodies: [string, string, RegExp][] = [
    ['invalid JSON', '{"values": [[1,', /^Invalid JSON payload received\. Unexpected token\./],
    ['values not a list of lists', '{"values": [1, 2]}', /^Invalid JSON payload received\. Invalid value at 'values\[0\]'/],
    ['an object as a value', '{"values": [["a"], ["b", 1, {"x": 1}]]}', /'values\[1\]\[2\]'/],
    ['an unknown field', '{"valus": [["a"]]}', /^Invalid JSON payload received\. Unknown name "valus": Cannot find field\./],
    ['a bad majorDimension', '{"majorDimension": "DIAGONAL", "values": [["a"]]}', /^Invalid value at 'major_dimension'/],
    ['a root that is not an object', '[["a"]]', /Root element must be a message/],
  ];
  for (const [name, raw, message] of bodies) {
    it(`append with ${name}`, async () => {
      const before = await api.digest();
      const res = await api.postRaw(`${base}/values/Metadata:append?valueInputOption=RAW`, raw);
      expect(res.status).toBe(400);
      expect(res.json.error.status).toBe('INVALID_ARGUMENT');
      expect(res.json.error.message).toMatch(message);
      expect(await api.digest()).toBe(before);
    });
  }

  it('batchUpdate with data that is not an array, or a bad cell deep inside', async () => {
    const before = await api.digest();
    const notArray = await api.post(`${base}/values:batchUpdate`, { valueInputOption: 'RAW', data: { range: 'A1' } });
    expect(notArray.status).toBe(400);
    expect(notArray.json.error.message).toMatch(/'data'/);
    const deep = await api.post(`${base}/values:batchUpdate`, {
      valueInputOption: 'RAW',
      data: [
        { range: 'Metadata!A2', values: [['ok']] },
        { range: 'Metadata!A3', values: [['ok'], ['ok', 'ok', ['nested']]] },
      ],
    });
    expect(deep.status).toBe(400);
    expect(deep.json.error.message).toContain("'data[1].values[1][2]'");
    const badEnum = await api.post(`${base}/values:batchUpdate`, { valueInputOption: 'PARSED', data: [] });
    expect(badEnum.json.error.message).toContain("'value_input_option'");
    const badInsert = await api.post(`${base}/values/Metadata:append?valueInputOption=RAW&insertDataOption=APPEND`, { values: [['x']] });
    expect(badInsert.status).toBe(400);
    expect(badInsert.json.error.message).toContain("'insert_data_option'");
    const badRender = await api.get(`${api.values('Metadata')}?valueRenderOption=PRETTY`);
    expect(badRender.json.error.message).toContain("'value_render_option'");
    const unknownParam = await api.get(`${api.values('Metadata')}?valueRender=FORMULA`);
    expect(unknownParam.status).toBe(400);
    expect(unknownParam.json.error.message).toContain('Unknown name "valueRender"');
    expect(await api.digest()).toBe(before);
  });

  it('a body over 10 MB is 400 with Google’s message and is logged', async () => {
    const before = await api.digest();
    const big = JSON.stringify({ values: [['x'.repeat(10_485_760)]] });
    const res = await api.postRaw(`${base}/values/Metadata:append?valueInputOption=RAW`, big);
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT', message: 'Request payload size exceeds the limit: 10485760 bytes.' });
    expect(await api.digest()).toBe(before);
    const calls = (await app.inject({ url: '/__sheetsim/calls' })).json().calls;
    expect(calls.at(-1)).toMatchObject({ method: 'values.append', status: 400 });
  });

  it('accepts Google’s system parameters', async () => {
    const res = await api.get(`${api.values('Metadata!A1')}?alt=json&prettyPrint=false&fields=values&quotaUser=u1&%24.xgafv=2`);
    expect(res.status).toBe(200);
    expect(res.json.values).toEqual([['ID']]);
  });
});

describe('auth and unknown spreadsheets', () => {
  it('answers 401 UNAUTHENTICATED without credentials, and accepts any bearer token or key', async () => {
    const anonymous = client(app, null);
    const res = await anonymous.get(api.values('Metadata'));
    expect(res.status).toBe(401);
    expect(res.json.error.status).toBe('UNAUTHENTICATED');
    expect(res.json.error.message).toMatch(/^Request is missing required authentication credential\. Expected OAuth 2 access token/);
    const bearer = await app.inject({ url: api.values('Metadata'), headers: { authorization: 'Bearer anything' } });
    expect(bearer.statusCode).toBe(200);
    const token = await anonymous.get(`${api.values('Metadata')}?access_token=abc`);
    expect(token.status).toBe(200);
  });

  it('accepts anonymous calls with auth none', async () => {
    const open = await buildTestMock({ auth: 'none' });
    try {
      const res = await open.inject({ url: api.values('Metadata') });
      expect(res.statusCode).toBe(200);
    } finally {
      await open.close();
    }
  });

  it('answers 404 NOT_FOUND for an unknown spreadsheet and an unknown route', async () => {
    const res = await api.get('/v4/spreadsheets/NOPE/values/A1');
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error: { code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND' } });
    const route = await api.get('/v4/spreadsheets/NOPE/developerMetadata/1');
    expect(route.status).toBe(404);
    expect(route.json.error.status).toBe('NOT_FOUND');
  });

  it('adds the legacy errors[] array when asked', async () => {
    const legacy = await buildTestMock({ legacyErrors: true });
    try {
      const res = await legacy.inject({ url: `/v4/spreadsheets/NOPE?key=k` });
      expect(res.json().error.errors).toEqual([{ message: 'Requested entity was not found.', domain: 'global', reason: 'notFound' }]);
    } finally {
      await legacy.close();
    }
  });
});
