/** A small workbook and request helpers shared by the mock's route tests (app.inject, no socket). */
import type { FastifyInstance } from 'fastify';
import { buildMockSheets, type MockSheetsOptions } from '../../mock-sheets/app.ts';
import type { StoredCell } from '../../mock-sheets/values.ts';
import type { WorkbookSpec } from '../../mock-sheets/workbook.ts';

export const SPREADSHEET_ID = 'SPREADSHEET_TEST_1';

/** Operaciones carries production's formats: a date-time Fecha_Ocupacion and a date-formatted Total_Uniones. */
export function testWorkbook(): WorkbookSpec {
  return {
    spreadsheetId: SPREADSHEET_ID,
    title: 'ZEUES test',
    sheets: [
      {
        title: 'Operaciones',
        rows: [
          ['TAG_SPOOL', 'Fecha_Ocupacion', 'Total_Uniones', 'Ocupado_Por'],
          ['OT-001', '13-05-2026 11:33:48', 7, ''],
          ['OT-002', '', 3, 'MR(93)'],
        ],
        columnFormats: { 1: { type: 'DATE_TIME', pattern: 'dd-mm-yyyy hh:mm:ss' }, 2: { type: 'DATE', pattern: 'dd-mm-yyyy' } },
      },
      { title: 'Metadata', rows: [['ID', 'Timestamp', 'Evento', 'Tag']] },
      { title: 'My Sheet', rows: [['a', 'b']], rowCount: 10, columnCount: 5 },
    ],
  };
}

/** A mock seeded with the test workbook, latency and quota off. */
export function buildTestMock(options: MockSheetsOptions = {}): Promise<FastifyInstance> {
  return buildMockSheets({ workbook: testWorkbook(), ...options });
}

export interface Answer {
  status: number;
  json: any;
  headers: Record<string, unknown>;
}

/** Small client over app.inject that adds an API key unless told not to. */
export function client(app: FastifyInstance, auth: string | null = 'key=test-key') {
  const withAuth = (path: string): string => (auth === null ? path : `${path}${path.includes('?') ? '&' : '?'}${auth}`);
  const send = async (method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, raw?: string): Promise<Answer> => {
    const res = await app.inject({
      method,
      url: withAuth(path),
      ...(raw !== undefined ? { payload: raw, headers: { 'content-type': 'application/json' } } : body !== undefined ? { payload: body as object } : {}),
    });
    return { status: res.statusCode, json: res.body === '' ? undefined : JSON.parse(res.body), headers: res.headers };
  };
  return {
    get: (path: string) => send('GET', path),
    put: (path: string, body: unknown) => send('PUT', path, body),
    post: (path: string, body?: unknown) => send('POST', path, body ?? {}),
    postRaw: (path: string, raw: string) => send('POST', path, undefined, raw),
    putRaw: (path: string, raw: string) => send('PUT', path, undefined, raw),
    values: (range: string) => `/v4/spreadsheets/${SPREADSHEET_ID}/values/${encodeURIComponent(range)}`,
    digest: async (): Promise<string> => (await app.inject({ url: '/__sheetsim/state' })).json().digest,
  };
}

/** A random cell: numbers, strings, booleans, formulas, own formats, value-less formatted cells, and deletions. */
export function randomCell(r: () => number): StoredCell | null {
  const u = r();
  if (u < 0.05) return null;
  if (u < 0.08) return { value: null };
  if (u < 0.12) return { value: null, format: { type: 'DATE', pattern: 'dd-mm-yyyy' } };
  const value = u < 0.4 ? Math.round(r() * 1e6) / 100 : u < 0.5 ? r() < 0.5 : u < 0.55 ? '' : `t${Math.floor(r() * 1000)}`;
  const cell: StoredCell = { value };
  if (r() < 0.1) cell.formula = '=SUM(A1:A3)';
  if (r() < 0.1) cell.format = { type: 'PERCENT' };
  return cell;
}
