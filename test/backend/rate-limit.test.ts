import { afterEach, describe, expect, it } from 'vitest';
import { startPair } from './harness.ts';
import type { Pair } from './harness.ts';

let pair: Pair | undefined;
afterEach(async () => {
  await pair?.close();
  pair = undefined;
});

const sim = { 'x-sheetsim-time': String(Date.UTC(2026, 2, 2, 12, 0, 0)) };
/** A quota the tests exhaust on purpose; the mock's virtual clock never refills it. */
const quota = (reads: number, writes: number) => ({ quota: { readPerUser: reads, writePerUser: writes, readPerProject: 10_000, writePerProject: 10_000 } });
const iniciar = (p: Pair, tag: string) => p.send('POST', '/api/v4/occupation/iniciar', { tag_spool: tag, worker_id: 1, worker_nombre: 'AR(1)', operacion: 'ARM' }, sim);

describe('lean profile under injected 429s', () => {
  it('backs off 4 attempts and answers 503 SHEETS_RATE_LIMIT with Retry-After; a 429 keeps the cache, a 503 reloads it', async () => {
    pair = await startPair({ backend: { profile: 'lean', simClock: true } });
    const p = pair;
    await p.send('GET', '/api/health');
    await p.configure(quota(1000, 2));
    expect((await iniciar(p, 'OT-001')).status).toBe(200); // uses the 2 writes
    const before = await p.lastCallId();
    const res = await iniciar(p, 'OT-005');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('60');
    expect(res.body.detail.error).toBe('SHEETS_RATE_LIMIT');
    const attempts = await p.calls(before);
    expect(attempts.map((c) => [c.method, c.status])).toEqual(Array.from({ length: 4 }, () => ['values.batchUpdate', 429]));
    const stats = (await p.send('GET', '/__backend/stats')).body;
    expect(stats.retries).toBe(3);
    expect(stats.sleptMs).toBe(0);
    expect(stats.skippedSleepMs).toBeGreaterThan(0);
    // A 429 is a definite rejection: the cache is still right (OT-005 free) and is not re-read.
    const list = await p.send('GET', '/api/spools/iniciar?operacion=ARM', undefined, sim);
    expect(list.body.spools.map((s: { tag_spool: string }) => s.tag_spool)).toContain('OT-005');
    expect((await p.send('GET', '/__backend/stats')).body.cacheLoads).toBe(1);
    // A 503 may have landed after all: after giving up on one, the next request re-reads the workbook.
    await p.configure({ quota: 'off', faults: { rules: [{ methods: ['values.batchUpdate'], error503: 1 }] } });
    const unavailable = await iniciar(p, 'OT-006');
    expect(unavailable.status).toBe(503);
    await p.configure({ faults: { rules: [] } });
    const again = await p.send('GET', '/api/spools/iniciar?operacion=ARM', undefined, sim);
    expect(again.body.spools.map((s: { tag_spool: string }) => s.tag_spool)).toContain('OT-006');
    expect((await p.send('GET', '/__backend/stats')).body.cacheLoads).toBe(2);
  });

  it('gives the same 503 when every read is over quota before the cache is loaded', async () => {
    pair = await startPair({ backend: { profile: 'lean', simClock: true } });
    const p = pair;
    await p.configure(quota(0, 1000));
    const res = await p.send('GET', '/api/v4/uniones/OT-001/metricas', undefined, sim);
    expect(res.status).toBe(503);
    expect(res.body.detail.error).toBe('SHEETS_RATE_LIMIT');
    expect((await p.send('GET', '/api/health')).body).toMatchObject({ status: 'unhealthy', sheets_connection: 'error' });
  });
});

describe('zeues profile under injected 429s', () => {
  it('INICIAR: a 429 on the Metadata append is swallowed (200, event lost)', async () => {
    pair = await startPair({ backend: { profile: 'zeues', simClock: true } });
    const p = pair;
    await p.configure(quota(1000, 1));
    const res = await iniciar(p, 'OT-001');
    expect(res.status).toBe(200);
    expect((await p.read("'Metadata'!A2:K")).length).toBe(0);
  });

  it('FINALIZAR: the Uniones write is retried 3 times (1 s + 2 s, counted in sim-clock mode), then 500', async () => {
    pair = await startPair({ backend: { profile: 'zeues', simClock: true } });
    const p = pair;
    await p.configure(quota(1000, 2));
    expect((await iniciar(p, 'OT-001')).status).toBe(200);
    const before = await p.lastCallId();
    const res = await p.send('POST', '/api/v4/occupation/finalizar', { tag_spool: 'OT-001', worker_id: 1, operacion: 'ARM', selected_unions: ['OT-001+1'] }, sim);
    expect(res.status).toBe(500);
    expect(res.body.detail).toMatch(/^Internal server error: APIError: \[429\]: Quota exceeded/);
    const writes = (await p.calls(before)).filter((c) => c.kind === 'write');
    expect(writes.map((c) => [c.method, c.status])).toEqual([
      ['values.batchUpdate', 429],
      ['values.batchUpdate', 429],
      ['values.batchUpdate', 429],
    ]);
    expect((await p.send('GET', '/__backend/stats')).body).toMatchObject({ retries: 2, skippedSleepMs: 3000, sleptMs: 0 });
  });

  it('spool lists answer 503 SHEETS_CONNECTION_ERROR when the Operaciones read is rejected', async () => {
    pair = await startPair({ backend: { profile: 'zeues', simClock: true } });
    const p = pair;
    await p.configure(quota(0, 1000));
    const res = await p.send('GET', '/api/spools/iniciar?operacion=ARM', undefined, sim);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ success: false, error: 'SHEETS_CONNECTION_ERROR', data: null });
    const v4 = await p.send('GET', '/api/v4/uniones/OT-001/metricas', undefined, sim);
    expect(v4.status).toBe(500);
  });
});
