import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { type MockProcess, runCli, startMockSheets } from './mock-sheets-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'sheetsim-cli-mock-'));
const started: MockProcess[] = [];

afterAll(async () => {
  for (const p of started) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await Promise.all(started.map((p) => p.exited));
  rmSync(dir, { recursive: true, force: true });
});

async function call(url: string, method: 'GET' | 'POST', path: string, options: { body?: unknown; token?: string } = {}) {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const res = await request(`${url}${path}`, { method, headers, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
  return { status: res.statusCode, json: (await res.body.json()) as any };
}

describe('sheetsim mock-sheets', () => {
  it('serves the seeded world: reads, appends, 429 after 60 writes in a minute, the call log, and stops on SIGINT', async () => {
    const mock = await startMockSheets(['--port', '0', '--latency', 'off', '--clock', 'virtual', '--spools', '10', '--payroll', '5', '--seed', '7']);
    started.push(mock);
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(mock.url).not.toMatch(/:0$/);
    expect(mock.spreadsheetId).toBe('zeues-seed-7');
    expect(mock.stdout()).toContain(`sheets({ version: 'v4', auth: 'any-key', rootUrl: '${mock.url}/' })`);
    expect(mock.stdout()).toContain('gspread.service_account(');

    const id = mock.spreadsheetId;
    // auth required by default
    const anonymous = await call(mock.url, 'GET', `/v4/spreadsheets/${id}/values/Operaciones!A1:C2`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.json.error.status).toBe('UNAUTHENTICATED');

    const read = await call(mock.url, 'GET', `/v4/spreadsheets/${id}/values/Operaciones!A1:C2`, { token: 'any-token' });
    expect(read.status).toBe(200);
    expect(read.json.values[0]).toHaveLength(3);

    // quota on by default: on the virtual clock all calls fall in one minute
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) {
      const res = await call(mock.url, 'POST', `/v4/spreadsheets/${id}/values/Operaciones!A:A:append?valueInputOption=RAW`, {
        body: { values: [[`OT-CLI-${i}`]] },
        token: 'any-token',
      });
      statuses.push(res.status);
      if (i === 60) {
        expect(res.json.error).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED' });
        expect(res.json.error.message).toContain("limit 'Write requests per minute per user'");
      }
    }
    expect(statuses.slice(0, 60).every((s) => s === 200)).toBe(true);
    expect(statuses[60]).toBe(429);

    const log = await call(mock.url, 'GET', '/__sheetsim/calls');
    expect(log.status).toBe(200);
    const methods = log.json.calls.map((c: { method: string; status: number }) => `${c.method} ${c.status}`);
    expect(methods).toContain('values.get 200');
    expect(methods).toContain('values.append 200');
    expect(methods).toContain('values.append 429');

    mock.child.kill('SIGINT');
    expect(await mock.exited).toBe(0);
    expect(mock.stderr()).toContain('stopped');
  });

  it('applies custom latency, quota and fault files', async () => {
    const quota = join(dir, 'quota.json');
    const faults = join(dir, 'faults.json');
    writeFileSync(quota, JSON.stringify({ readPerUser: 2 }));
    writeFileSync(faults, JSON.stringify({ rules: [{ methods: ['values.append'], error503: 1 }] }));
    const mock = await startMockSheets(['--port', '0', '--latency', 'off', '--quota', quota, '--faults', faults, '--auth', 'none', '--clock', 'virtual', '--spools', '5', '--payroll', '5']);
    started.push(mock);
    const get = () => call(mock.url, 'GET', `/v4/spreadsheets/${mock.spreadsheetId}/values/Operaciones!A1`);
    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(429);
    const append = await call(mock.url, 'POST', `/v4/spreadsheets/${mock.spreadsheetId}/values/Operaciones!A1:append?valueInputOption=RAW`, { body: { values: [['x']] } });
    expect(append.status).toBe(503);
    expect(append.json.error).toMatchObject({ status: 'UNAVAILABLE', message: 'The service is currently unavailable.' });
    mock.child.kill('SIGINT');
    expect(await mock.exited).toBe(0);
  });

  it('refuses a non-loopback host without an admin token (exit 2)', async () => {
    const res = await runCli(['mock-sheets', '--host', '0.0.0.0', '--port', '0']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/--admin-token/);
  });

  it('names the file and the field of a bad fault file (exit 2)', async () => {
    const bad = join(dir, 'bad-faults.json');
    writeFileSync(bad, JSON.stringify({ rules: [{ methods: ['values.append'], error503: 2 }] }));
    const res = await runCli(['mock-sheets', '--port', '0', '--faults', bad]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`${bad}: faults.rules[0].error503: expected a rate between 0 and 1, got 2`);
  });

  it('rejects bad flags with exit 2', async () => {
    const res = await runCli(['mock-sheets', '--latency', 'turbo']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/turbo/);
  });

  it('documents its options and defaults in --help', async () => {
    const res = await runCli(['mock-sheets', '--help']);
    expect(res.code).toBe(0);
    for (const text of ['--port N', '(default: 8090)', '--latency', '(default: realistic)', '--quota', '(default: on)', '--auth', '(default: required)', 'Examples:']) {
      expect(res.stdout).toContain(text);
    }
  });
});

describe('sheetsim credentials', () => {
  it('writes a fake service-account file and prints its path', async () => {
    const out = join(dir, 'sa.json');
    const res = await runCli(['credentials', '--url', 'http://127.0.0.1:8090', '--email', 'x@y.iam.gserviceaccount.com', '--out', out]);
    expect(res.code).toBe(0);
    expect(res.stdout.trim()).toBe(out);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ type: 'service_account', client_email: 'x@y.iam.gserviceaccount.com', token_uri: 'http://127.0.0.1:8090/token' });
  });

  it('requires --url (exit 2)', async () => {
    const res = await runCli(['credentials']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('--url is required');
  });
});
