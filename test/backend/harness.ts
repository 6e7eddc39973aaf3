/** Starts the mock Sheets API and the backend in-process for a test, and reads the mock's call log and cells. */
import type { FastifyInstance } from 'fastify';
import { buildBackend } from '../../backend/app.ts';
import type { BackendOptions } from '../../backend/app.ts';
import type { CallRecord, CallsPage } from '../../mock-sheets/admin-types.ts';
import { buildMockSheets } from '../../mock-sheets/app.ts';
import type { WorkbookSpec } from '../../mock-sheets/workbook.ts';
import { SPREADSHEET_ID, fixtureWorkbook } from './fixture.ts';

export interface Pair {
  mock: FastifyInstance;
  mockUrl: string;
  backend: FastifyInstance;
  /** Every call logged after `after` (all pages). */
  calls(after?: number): Promise<CallRecord[]>;
  /** Id of the last logged call (a cursor for `calls`). */
  lastCallId(): Promise<number>;
  /** Change the mock's quota/faults at run time. */
  configure(patch: unknown): Promise<void>;
  /** Read a range back from the mock (FORMATTED_VALUE, what a person sees). */
  read(range: string): Promise<string[][]>;
  /** Send a request to the backend. */
  send(method: 'GET' | 'POST', url: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Record<string, unknown> }>;
  close(): Promise<void>;
}

export interface PairOptions {
  workbook?: WorkbookSpec;
  backend?: Partial<BackendOptions>;
  mock?: Record<string, unknown>;
}

/** Mock (latency off, quota off, virtual clock) + backend (lean unless told) talking over loopback HTTP. */
export async function startPair(options: PairOptions = {}): Promise<Pair> {
  const mock = await buildMockSheets({ workbook: options.workbook ?? fixtureWorkbook(), auth: 'none', latency: 'off', quota: 'off', clock: 'virtual', ...options.mock } as Parameters<typeof buildMockSheets>[0]);
  await mock.listen({ port: 0, host: '127.0.0.1' });
  const address = mock.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const mockUrl = `http://127.0.0.1:${port}/`;
  const backend = await buildBackend({ sheetsUrl: mockUrl, spreadsheetId: SPREADSHEET_ID, profile: 'lean', ...options.backend });

  const calls = async (after = 0): Promise<CallRecord[]> => {
    const out: CallRecord[] = [];
    let cursor: number | null = after;
    while (cursor !== null) {
      const res = await fetch(`${mockUrl}__sheetsim/calls?after=${cursor}`);
      const page = (await res.json()) as CallsPage;
      out.push(...page.calls);
      cursor = page.next;
      if (page.calls.length === 0) break;
    }
    return out;
  };
  const self: Pair = {
    mock,
    mockUrl,
    backend,
    calls,
    async lastCallId() {
      const all = await calls(0);
      return all.length ? all[all.length - 1]!.id : 0;
    },
    async configure(patch) {
      const res = await fetch(`${mockUrl}__sheetsim/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(patch) });
      if (!res.ok) throw new Error(`config failed: ${res.status} ${await res.text()}`);
    },
    async read(range) {
      const res = await fetch(`${mockUrl}v4/spreadsheets/${SPREADSHEET_ID}/values/${encodeURIComponent(range)}`);
      const body = (await res.json()) as { values?: string[][] };
      return body.values ?? [];
    },
    async send(method, url, body, headers = {}) {
      const res = await self.backend.inject({ method, url, headers, ...(body !== undefined ? { payload: body as object } : {}) });
      return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined, headers: res.headers };
    },
    async close() {
      await self.backend.close();
      await mock.close();
    },
  };
  return self;
}

/** Count calls by method, e.g. `{ 'values.batchUpdate': 1, 'values.append': 1 }`. */
export function countByMethod(calls: CallRecord[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of calls) out[c.method] = (out[c.method] ?? 0) + 1;
  return out;
}
