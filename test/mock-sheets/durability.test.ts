import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { type MockProcess, startMockSheets } from '../cli/mock-sheets-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'sheetsim-durability-'));
const db = join(dir, 'mock.db');
const started: MockProcess[] = [];
const args = ['--db', db, '--latency', 'off', '--quota', 'off', '--auth', 'none', '--port', '0', '--spools', '20', '--payroll', '10'];

afterAll(async () => {
  for (const p of started) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await Promise.all(started.map((p) => p.exited));
  rmSync(dir, { recursive: true, force: true });
});

async function call(url: string, method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown) {
  const res = await request(`${url}${path}`, {
    method,
    ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
  });
  return { status: res.statusCode, json: (await res.body.json()) as Record<string, unknown> };
}

describe('durability of the SQLite file', () => {
  it('keeps acknowledged writes across kill -9, and a restart does not reload the world over them', async () => {
    const first = await startMockSheets(args);
    started.push(first);
    const id = first.spreadsheetId;
    const before = await call(first.url, 'GET', `/v4/spreadsheets/${id}/values/Operaciones!A:A`);
    expect(before.status).toBe(200);
    const rowsBefore = (before.json.values as unknown[][]).length;

    const appended: string[][] = [];
    for (let i = 0; i < 5; i++) {
      const row = [`OT-DUR-${i}`, `written before kill ${i}`];
      const res = await call(first.url, 'POST', `/v4/spreadsheets/${id}/values/Operaciones!A1:B1:append?valueInputOption=RAW&insertDataOption=INSERT_ROWS`, {
        values: [row],
      });
      expect(res.status).toBe(200); // acknowledged
      appended.push(row);
    }
    const update = await call(first.url, 'PUT', `/v4/spreadsheets/${id}/values/Operaciones!A2?valueInputOption=RAW`, { values: [['EDITED']] });
    expect(update.status).toBe(200);
    const digestBefore = (await call(first.url, 'GET', '/__sheetsim/state')).json.digest;

    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');

    const second = await startMockSheets(args);
    started.push(second);
    expect(second.spreadsheetId).toBe(id);
    const after = await call(second.url, 'GET', `/v4/spreadsheets/${id}/values/Operaciones!A:B`);
    const values = after.json.values as string[][];
    expect(values).toHaveLength(rowsBefore + appended.length);
    expect(values.slice(-appended.length)).toEqual(appended);
    expect(values[1]![0]).toBe('EDITED');
    expect((await call(second.url, 'GET', '/__sheetsim/state')).json.digest).toBe(digestBefore);

    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  });
});
