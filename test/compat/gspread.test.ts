/**
 * The founding users' Python client against the mock, unchanged: gspread 6.2.1 + google-auth 2.41.1 through the
 * service-account flow (key file from writeFakeCredentials, token from the mock's /token), sent to the mock by
 * sheetsim's sitecustomize adapter. Small scripts of our own (test/compat/python/) observe; this file asserts
 * what Google returns. One Python process per group of checks keeps the suite quick.
 *
 * Needs python3 and ../shared/vendor/python (its README); skips saying which is missing, except under CI,
 * where the suite must run.
 */
import type { FastifyInstance } from 'fastify';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMockSheets, type MockSheetsOptions } from '../../mock-sheets/app.ts';
import { writeFakeCredentials } from '../../mock-sheets/credentials.ts';
import { PYTHON_ADAPTER_DIR } from '../../simulator/replay/python-adapter.ts';
import { SPREADSHEET_ID, testWorkbook } from '../mock-sheets/mock-fixture.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const VENDOR = resolve(ROOT, '../shared/vendor/python');
const SCRIPTS = join(ROOT, 'test/compat/python');

function missing(): string | null {
  const probe = spawnSync('python3', ['-c', 'import sys; assert sys.version_info >= (3, 9)'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return 'python3 (3.9 or newer) not found on PATH';
  if (!existsSync(join(VENDOR, 'gspread'))) return `${VENDOR} (gspread 6.2.1, google-auth, FastAPI) not found; see its README`;
  return null;
}
const skipReason = missing();
if (skipReason !== null && process.env.CI) throw new Error(`the gspread compatibility suite must run in CI: ${skipReason}`);

interface Mock {
  app: FastifyInstance;
  url: string;
  credentials: string;
}

const dir = mkdtempSync(join(tmpdir(), 'sheetsim-compat-'));
const mocks: Mock[] = [];
afterAll(async () => {
  for (const m of mocks) await m.app.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A mock on a free loopback port seeded with the test workbook, and a key file whose token_uri is its /token. */
async function startMock(name: string, options: MockSheetsOptions = {}, setup?: (app: FastifyInstance) => void): Promise<Mock> {
  const app = await buildMockSheets({ workbook: testWorkbook(), ...options });
  setup?.(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const mock = { app, url, credentials: writeFakeCredentials({ url, path: join(dir, `${name}.json`) }) };
  mocks.push(mock);
  return mock;
}

/** Run one script (asynchronously: the mock answers from this process) and parse the JSON it prints. */
function runScript(script: string, mock: Mock, adapterOn = true, extraPath: string[] = []): Promise<any> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PYTHONPATH: [PYTHON_ADAPTER_DIR, VENDOR, ...extraPath].join(delimiter),
    PYTHONDONTWRITEBYTECODE: '1',
    SHEETSIM_COMPAT_CREDENTIALS: mock.credentials,
    SHEETSIM_COMPAT_SPREADSHEET: SPREADSHEET_ID,
    ...(adapterOn ? { SHEETSIM_SHEETS_URL: mock.url } : {}),
  };
  return new Promise((resolvePromise, reject) => {
    execFile('python3', [join(SCRIPTS, script)], { env, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${script} failed (${err.message}):\n${stderr}`));
      try {
        resolvePromise(JSON.parse(stdout));
      } catch {
        reject(new Error(`${script} printed no JSON:\n${stdout}\n${stderr}`));
      }
    });
  });
}

const title = (name: string) => (skipReason === null ? name : `${name} — skipped: ${skipReason}`);

/** Scripts whose output several describes read run once. */
const runs = new Map<string, Promise<{ mock: Mock; out: any }>>();
function resultOf(name: 'read-write'): Promise<{ mock: Mock; out: any }> {
  let run = runs.get(name);
  if (!run) {
    run = startMock(name).then(async (mock) => ({ mock, out: await runScript('read_write.py', mock) }));
    runs.set(name, run);
  }
  return run;
}

describe.skipIf(skipReason !== null)(title('gspread 6.2.1 through the service-account flow'), () => {
  let out: any;
  let mock: Mock;
  beforeAll(async () => {
    ({ mock, out } = await resultOf('read-write'));
  }, 180_000);

  it('authenticates with a token from the mock and opens the spreadsheet by key', () => {
    expect(out.version).toBe('6.2.1');
    expect(out.open_by_key).toEqual({ id: SPREADSHEET_ID, title: 'ZEUES test', worksheets: ['Operaciones', 'Metadata', 'My Sheet'] });
    expect(out.worksheet).toEqual({ title: 'Operaciones', id: 0, row_count: 1000, col_count: 26 });
    const calls = mock.app.sheetsim.calls.page(0, 10_000).calls;
    expect(calls.length).toBeGreaterThan(10);
    expect(new Set(calls.map((c) => c.quotaUser))).toEqual(new Set(['sheetsim@sheetsim-local.iam.gserviceaccount.com']));
  });

  it('reads: get_all_values padded, get_all_records, a ValueRange with its range, COLUMNS, row and column values', () => {
    expect(out.get_all_values).toEqual([
      ['TAG_SPOOL', 'Fecha_Ocupacion', 'Total_Uniones', 'Ocupado_Por'],
      ['OT-001', '13-05-2026 11:33:48', '06-01-1900', ''],
      ['OT-002', '', '02-01-1900', 'MR(93)'],
    ]);
    expect(out.get_all_records).toEqual([
      { TAG_SPOOL: 'OT-001', Fecha_Ocupacion: '13-05-2026 11:33:48', Total_Uniones: '06-01-1900', Ocupado_Por: '' },
      { TAG_SPOOL: 'OT-002', Fecha_Ocupacion: '', Total_Uniones: '02-01-1900', Ocupado_Por: 'MR(93)' },
    ]);
    // get() does not pad: Google's trailing-empty trimming reaches the caller.
    expect(out.get).toEqual({
      class: 'ValueRange',
      range: 'Operaciones!A1:D3',
      major_dimension: 'ROWS',
      values: [
        ['TAG_SPOOL', 'Fecha_Ocupacion', 'Total_Uniones', 'Ocupado_Por'],
        ['OT-001', '13-05-2026 11:33:48', '06-01-1900'],
        ['OT-002', '', '02-01-1900', 'MR(93)'],
      ],
    });
    expect(out.get_columns).toEqual([
      ['TAG_SPOOL', 'OT-001'],
      ['Fecha_Ocupacion', '13-05-2026 11:33:48'],
    ]);
    expect(out.row_values).toEqual(['OT-001', '13-05-2026 11:33:48', '06-01-1900']);
    expect(out.col_values).toEqual(['TAG_SPOOL', 'OT-001', 'OT-002']);
  });

  it('render options: date-time serials as float, FORMATTED_STRING dates, the date-formatted 7 as int 7', () => {
    // 13-05-2026 11:33:48 = 46155 days after 1899-12-30 + 11:33:48 of a day
    expect(out.get_unformatted_serial[0][0][0]).toBe('float');
    expect(out.get_unformatted_serial[0][0][1]).toBeCloseTo(46155 + (11 * 3600 + 33 * 60 + 48) / 86400, 9);
    expect(out.get_unformatted_serial[0][1]).toEqual(['int', 7]);
    expect(out.get_unformatted_string).toEqual([[['str', '13-05-2026 11:33:48'], ['str', '06-01-1900']]]);
    expect(out.get_formula).toEqual([[['int', 7]], [['int', 3]]]);
    expect(out.acell).toBe('06-01-1900');
  });

  it('batch_get: one ValueRange per range in order, an empty range as an empty list with its range', () => {
    expect(out.batch_get).toEqual([
      { range: 'Operaciones!A1:B1', major_dimension: 'ROWS', values: [[['str', 'TAG_SPOOL'], ['str', 'Fecha_Ocupacion']]] },
      { range: 'Operaciones!C2:C3', major_dimension: 'ROWS', values: [[['int', 7]], [['int', 3]]] },
      { range: 'Operaciones!Z900:Z901', major_dimension: 'ROWS', values: [] },
    ]);
  });

  it('update and update_cell / update_cells answer UpdateValuesResponse; includeValuesInResponse echoes the data', () => {
    const response = (range: string, rows: number, columns: number, cells: number) => ({
      spreadsheetId: SPREADSHEET_ID,
      updatedRange: range,
      updatedRows: rows,
      updatedColumns: columns,
      updatedCells: cells,
    });
    expect(out.update).toEqual(response('Metadata!A2:B3', 2, 2, 4));
    expect(out.update_user_entered).toEqual(response('Metadata!C2:F2', 1, 4, 4));
    expect(out.update_echo).toEqual({
      ...response('Metadata!A9', 1, 1, 1),
      updatedData: { range: 'Metadata!A9', majorDimension: 'ROWS', values: [['e']] },
    });
    expect(out.update_cell).toEqual(response('Metadata!D7', 1, 1, 1));
    expect(out.update_cells).toEqual(response('Metadata!A8:B9', 2, 2, 3));
  });

  it('batch_update answers the totals and one response per range', () => {
    expect(out.batch_update).toEqual({
      spreadsheetId: SPREADSHEET_ID,
      totalUpdatedRows: 2,
      totalUpdatedColumns: 3,
      totalUpdatedCells: 3,
      totalUpdatedSheets: 1,
      responses: [
        { spreadsheetId: SPREADSHEET_ID, updatedRange: 'Metadata!A4', updatedRows: 1, updatedColumns: 1, updatedCells: 1 },
        { spreadsheetId: SPREADSHEET_ID, updatedRange: 'Metadata!B4:C4', updatedRows: 1, updatedColumns: 2, updatedCells: 2 },
      ],
    });
  });

  it('append_row (includeValuesInResponse=False in the query) and append_rows land after the table', () => {
    expect(out.append_row).toEqual({
      spreadsheetId: SPREADSHEET_ID,
      tableRange: 'Metadata!A1:F4',
      updates: { spreadsheetId: SPREADSHEET_ID, updatedRange: 'Metadata!A5:C5', updatedRows: 1, updatedColumns: 3, updatedCells: 3 },
    });
    expect(out.append_rows).toEqual({
      spreadsheetId: SPREADSHEET_ID,
      tableRange: 'Metadata!A1:F5',
      updates: { spreadsheetId: SPREADSHEET_ID, updatedRange: 'Metadata!A6:B7', updatedRows: 2, updatedColumns: 2, updatedCells: 4 },
    });
  });

  it('what the writes left: RAW numbers and booleans, USER_ENTERED dates, percentages and quoted text', () => {
    expect(out.after_writes).toEqual([
      ['ID', 'Timestamp', 'Evento', 'Tag', '', ''],
      ['u1', 'u2', '02-03-2026 10:15:00', '5%', '0042', '7'],
      ['u3', 'u4', '', '', '', ''],
      ['b1', 'b2', '3', '', '', ''],
      ['r1', '1', 'TRUE', '', '', ''],
      ['r2', '2.5', '', '', '', ''],
      ['r3', '', '', '13-05-2026', '', ''],
      ['c1', 'c2', '', '', '', ''],
      ['e', 'c3', '', '', '', ''],
    ]);
    const [serial, percent, text, seven] = out.after_writes_unformatted[0];
    expect(serial[0]).toBe('float');
    expect(serial[1]).toBeCloseTo(46083 + (10 * 3600 + 15 * 60) / 86400, 9);
    expect(percent).toEqual(['float', 0.05]);
    expect(text).toEqual(['str', '0042']);
    expect(seven).toEqual(['int', 7]);
    expect(out.formula).toEqual([['=1+1']]);
  });

  it('a date-time typed into the production date-time column reads back as Google renders it, three ways', () => {
    const { formatted, serial, string } = out.date_time_roundtrip;
    expect(formatted).toBe('02-03-2026 10:15:00');
    expect(serial[0][0][0]).toBe('float');
    expect(serial[0][0][1]).toBeCloseTo(46083 + (10 * 3600 + 15 * 60) / 86400, 9);
    expect(string).toEqual([[['str', '02-03-2026 10:15:00']]]);
  });
});

describe.skipIf(skipReason !== null)(title('gspread: sheet management, and what the mock refuses'), () => {
  let out: any;
  beforeAll(async () => {
    out = (await resultOf('read-write')).out;
  }, 180_000);

  it('add_worksheet, update_title, add_rows, find, del_worksheet, batch_clear', () => {
    expect(out.manage).toEqual({
      added: ['Extra2', 7, 3],
      titles_after_add: ['Operaciones', 'Metadata', 'My Sheet', 'Extra2'],
      find: [3, 1, 'OT-002'],
      titles_after_delete: ['Operaciones', 'Metadata', 'My Sheet'],
      after_batch_clear: [[]], // no `values` key, as Google: gspread's get() then returns [[]]
    });
  });

  it('Drive (open by title) and insert_row (insertDimension) are APIErrors that say so, nothing reaches Google', () => {
    expect(out.refused.open_by_title).toMatchObject({ class: 'APIError', code: 404 });
    expect(out.refused.insert_row).toMatchObject({ class: 'APIError', code: 400, status: 'INVALID_ARGUMENT' });
    expect(out.refused.insert_row.message).toContain("does not support 'insertDimension'");
  });
});

describe.skipIf(skipReason !== null)(title('gspread and the per-user quota'), () => {
  it('a 429 is raised as gspread’s APIError with code 429 and Google’s message', async () => {
    // A virtual clock: the quota minute does not roll over while the script runs.
    const mock = await startMock('quota', { quota: { readPerUser: 2, writePerUser: 2, readPerProject: 300, writePerProject: 300, projectNumber: '587604721042' }, clock: 'virtual' });
    const out = await runScript('quota.py', mock);
    expect(out.write_statuses).toEqual([200, 200, 429]);
    expect(out.write_error).toEqual({
      class: 'APIError',
      code: 429,
      http_status: 429,
      status: 'RESOURCE_EXHAUSTED',
      message:
        "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per minute per user' of service 'sheets.googleapis.com' for consumer 'project_number:587604721042'.",
    });
    expect(out.read_error).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED' });
    expect(out.read_error.message).toContain("'Read requests per minute per user'");
  }, 180_000);
});

describe.skipIf(skipReason !== null)(title('gspread and Google’s size limits'), () => {
  it('an 11 MB body and a 50,001-character cell are 400 APIErrors (not EPIPE), a 100 KB URL the 414 page', async () => {
    const out = await runScript('limits.py', await startMock('limits'));
    expect(out.body_11mb).toEqual({
      class: 'APIError',
      code: 400,
      http_status: 400,
      status: 'INVALID_ARGUMENT',
      message: 'Request payload size exceeds the limit: 10485760 bytes.',
    });
    expect(out.cell_50001).toMatchObject({ code: 400, message: 'Your input contains more than the maximum of 50000 characters in a single cell.' });
    // Google's front end answers HTML here, so gspread reports code -1 with the page as the message.
    expect(out.url_100kb).toMatchObject({ class: 'APIError', code: -1, http_status: 414 });
    expect(out.url_100kb.message).toContain('The requested URL is too large to process.');
    expect(out.still_serving).toEqual([['ID']]);
  }, 180_000);
});

describe.skipIf(skipReason !== null)(title('the Python adapter (adapters/python/sitecustomize.py)'), () => {
  it('forwards each inbound traceparent and x-sheetsim-time on that request’s Sheets calls, sync and async endpoints', async () => {
    const seen: { path: string; traceparent?: string; time?: string }[] = [];
    const mock = await startMock('adapter', {}, (app) => {
      app.addHook('onRequest', async (req) => {
        if (!req.url.startsWith('/v4/')) return;
        const h = req.headers;
        seen.push({
          path: req.url.split('?', 1)[0]!,
          ...(typeof h.traceparent === 'string' ? { traceparent: h.traceparent } : {}),
          ...(typeof h['x-sheetsim-time'] === 'string' ? { time: h['x-sheetsim-time'] } : {}),
        });
      });
      // Stands in for the modelled latency the mock reports in exact mode: the adapter adds it to the time it forwards.
      app.addHook('onSend', async (req, reply) => {
        if (req.url.startsWith('/v4/')) reply.header('x-sheetsim-latency-ms', '250');
      });
    });
    const out = await runScript('adapter_asgi.py', mock);
    expect(out.statuses).toEqual([200, 200, 200]);
    expect(out.send_patched).toBe(true);
    expect(out.sitecustomize).toBe(join(PYTHON_ADAPTER_DIR, 'sitecustomize.py'));
    const meta = `/v4/spreadsheets/${SPREADSHEET_ID}`;
    const first = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const second = '00-1af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    expect(seen).toEqual([
      { path: meta }, // open_by_key at boot: no inbound request
      { path: meta, traceparent: first, time: '1772449200000' }, // /sync: worksheet() fetches the metadata
      { path: `${meta}/values/%27Operaciones%27%21A1`, traceparent: first, time: '1772449200250' },
      { path: `${meta}/values/%27Operaciones%27%21A2`, traceparent: first, time: '1772449200500' },
      { path: `${meta}/values/Metadata%21A1`, traceparent: second }, // /async, no x-sheetsim-time inbound
      { path: meta }, // /sync without headers: nothing forwarded, nothing left over from the first request
      { path: `${meta}/values/%27Operaciones%27%21A1` },
      { path: `${meta}/values/%27Operaciones%27%21A2` },
    ]);
    const traced = mock.app.sheetsim.calls.page(0, 10_000).calls.filter((c) => c.traceId !== undefined && c.traceId !== null);
    expect(traced.map((c) => c.traceId)).toEqual([first, first, first, second].map((t) => t.split('-')[1]));
  }, 180_000);

  it('does nothing when SHEETSIM_SHEETS_URL is unset, but still runs the sitecustomize it shadows', async () => {
    const mock = mocks[0] ?? (await startMock('off'));
    const shadowed = join(dir, 'shadowed');
    mkdirSync(shadowed);
    writeFileSync(join(shadowed, 'sitecustomize.py'), 'import builtins\nbuiltins.SHEETSIM_COMPAT_SHADOWED = True\n');
    const out = await runScript('adapter_off.py', mock, false, [shadowed]);
    expect(out).toEqual({ sitecustomize: join(PYTHON_ADAPTER_DIR, 'sitecustomize.py'), send_patched: false, starlette_patched: false, shadowed_ran: true });
  }, 60_000);
});
