import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ServiceAccountTokens, readServiceAccountFile } from '../../backend/service-account.ts';
import { fakeServiceAccount } from '../../mock-sheets/credentials.ts';
import { startPair } from './harness.ts';
import type { Pair } from './harness.ts';

let dir: string;
let pair: Pair | undefined;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sheetsim-backend-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await pair?.close();
  pair = undefined;
});

describe('service-account token flow against the mock token endpoint', () => {
  it('signs a JWT, gets a token from token_uri, caches it, and the mock attributes calls to the account', async () => {
    pair = await startPair({ mock: { auth: 'required' }, backend: { profile: 'lean' } });
    const file = join(dir, 'creds.json');
    writeFileSync(file, JSON.stringify(fakeServiceAccount(pair.mockUrl.replace(/\/$/, ''), 'robot@proj.iam.gserviceaccount.com')));
    const key = readServiceAccountFile(file);
    const tokens = new ServiceAccountTokens(key);
    const a = await tokens.token();
    expect(await tokens.token()).toBe(a);
    expect(tokens.fetches).toBe(1);

    // A backend without credentials is refused by the mock; with the file it works.
    expect((await pair.send('GET', '/api/v4/uniones/OT-001/metricas')).status).toBe(500);
    await pair.backend.close();
    const { buildBackend } = await import('../../backend/app.ts');
    pair.backend = await buildBackend({ sheetsUrl: pair.mockUrl, spreadsheetId: 'backend-test', credentialsFile: file });
    const before = await pair.lastCallId();
    expect((await pair.send('GET', '/api/v4/uniones/OT-001/metricas')).status).toBe(200);
    const calls = await pair.calls(before);
    expect(calls.map((c) => [c.method, c.status, c.quotaUser])).toEqual([['values.batchGet', 200, 'robot@proj.iam.gserviceaccount.com']]);
  });

  it('names the file and field when the key file is incomplete', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ client_email: 'x@y' }));
    expect(() => readServiceAccountFile(file)).toThrow(/bad\.json: field 'private_key' must be a non-empty string/);
  });
});

describe('traceparent propagation', () => {
  it.each(['lean', 'zeues'] as const)('%s: every Sheets call made for a request carries its trace id', async (profile) => {
    pair = await startPair({ backend: { profile } });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const traceparent = `00-${traceId}-00f067aa0ba902b7-01`;
    const before = await pair.lastCallId();
    const res = await pair.send('POST', '/api/v4/occupation/iniciar', { tag_spool: 'OT-001', worker_id: 1, worker_nombre: 'AR(1)', operacion: 'ARM' }, { traceparent });
    expect(res.status).toBe(200);
    const calls = await pair.calls(before);
    expect(calls.length).toBeGreaterThanOrEqual(3);
    expect(calls.every((c) => c.traceId === traceId)).toBe(true);
    const other = await pair.lastCallId();
    await pair.send('POST', '/api/v4/occupation/finalizar', { tag_spool: 'OT-001', worker_id: 1, operacion: 'ARM' });
    expect((await pair.calls(other)).every((c) => c.traceId === undefined)).toBe(true);
  });
});

describe('sim clock', () => {
  it('requires x-sheetsim-time, writes the time it carries, and seeds uuids so a replay writes the same cells', async () => {
    const run = async () => {
      const p = await startPair({ backend: { profile: 'lean', simClock: true, seed: 7 } });
      try {
        expect((await p.send('POST', '/api/v4/occupation/iniciar', { tag_spool: 'OT-001', worker_id: 1, worker_nombre: 'AR(1)', operacion: 'ARM' })).status).toBe(400);
        const at = { 'x-sheetsim-time': String(Date.UTC(2026, 4, 13, 15, 33, 48)) };
        await p.send('POST', '/api/v4/occupation/iniciar', { tag_spool: 'OT-001', worker_id: 1, worker_nombre: 'AR(1)', operacion: 'ARM' }, at);
        await p.send('POST', '/api/v4/occupation/finalizar', { tag_spool: 'OT-001', worker_id: 1, operacion: 'ARM', selected_unions: ['OT-001+1'] }, at);
        return { meta: await p.read("'Metadata'!A2:K"), ops: await p.read("'Operaciones'!BO2:BQ2"), uniones: await p.read("'Uniones'!H2:I2") };
      } finally {
        await p.close();
      }
    };
    const first = await run();
    expect(first.uniones[0]).toEqual(['13-05-2026 11:33:48', 'AR(1)']);
    expect(first.meta[0]![1]).toBe('13-05-2026 11:33:48');
    expect(await run()).toEqual(first);
  });
});
