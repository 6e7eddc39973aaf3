import { afterEach, describe, expect, it } from 'vitest';
import type { CallRecord } from '../../mock-sheets/admin-types.ts';
import { countByMethod, startPair } from './harness.ts';
import type { Pair } from './harness.ts';

let pair: Pair | undefined;
afterEach(async () => {
  await pair?.close();
  pair = undefined;
});

const T0 = Date.UTC(2026, 2, 2, 12, 0, 0);
const sim = { 'x-sheetsim-time': String(T0) };

/** The Sheets calls one backend request made, read from the mock's call log. */
async function callsOf(p: Pair, fn: () => Promise<unknown>): Promise<CallRecord[]> {
  const before = await p.lastCallId();
  await fn();
  return p.calls(before);
}
const kinds = (calls: CallRecord[]) => ({ reads: calls.filter((c) => c.kind === 'read').length, writes: calls.filter((c) => c.kind === 'write').length });

describe('lean profile: ≤ 2 Sheets calls per write, 0 per warm read', () => {
  it('loads once with one values.batchGet, then serves reads from the cache', async () => {
    pair = await startPair({ backend: { profile: 'lean', simClock: true } });
    const p = pair;
    const first = await callsOf(p, () => p.send('GET', '/api/v4/uniones/OT-001/disponibles?operacion=ARM', undefined, sim));
    expect(countByMethod(first)).toEqual({ 'values.batchGet': 1 });
    const warm = await callsOf(p, async () => {
      for (const url of ['/api/v4/uniones/OT-001/disponibles?operacion=ARM', '/api/v4/uniones/OT-003/metricas', '/api/workers', '/api/spools/iniciar?operacion=ARM', '/api/health']) {
        expect((await p.send('GET', url, undefined, sim)).status).toBe(200);
      }
    });
    expect(warm).toEqual([]);
  });

  it('INICIAR, FINALIZAR (PAUSAR, 50-union COMPLETAR) and CANCELADO each make one batchUpdate and one append', async () => {
    pair = await startPair({ backend: { profile: 'lean', simClock: true } });
    const p = pair;
    await p.send('GET', '/api/health');
    const ini = await callsOf(p, () => p.send('POST', '/api/v4/occupation/iniciar', { tag_spool: 'OT-001', worker_id: 1, worker_nombre: 'AR(1)', operacion: 'ARM' }, sim));
    expect(ini.map((c) => c.method)).toEqual(['values.batchUpdate', 'values.append']);
    const pause = await callsOf(p, () => p.send('POST', '/api/v4/occupation/finalizar', { tag_spool: 'OT-001', worker_id: 1, operacion: 'ARM', selected_unions: ['OT-001+1', 'OT-001+2'] }, sim));
    expect(pause.map((c) => c.method)).toEqual(['values.batchUpdate', 'values.append']);
    // One batchUpdate spans both tabs: 2 cells per union plus the 3 occupation cells.
    expect(pause[0]!.ranges.filter((r) => r.startsWith('Uniones!'))).toHaveLength(4);
    expect(pause[0]!.ranges.filter((r) => r.startsWith('Operaciones!'))).toHaveLength(3);
    expect(pause[1]!.rows).toBe(3);

    await p.send('POST', '/api/v4/occupation/iniciar', { tag_spool: 'OT-007', worker_id: 1, worker_nombre: 'AR(1)', operacion: 'ARM' }, sim);
    const ids = Array.from({ length: 50 }, (_, i) => `OT-007+${i + 1}`);
    let body: any;
    const stress = await callsOf(p, async () => {
      body = (await p.send('POST', '/api/v4/occupation/finalizar', { tag_spool: 'OT-007', worker_id: 1, operacion: 'ARM', selected_unions: ids }, sim)).body;
    });
    expect(body).toMatchObject({ action_taken: 'COMPLETAR', unions_processed: 50, pulgadas: 25 });
    expect(stress.map((c) => c.method)).toEqual(['values.batchUpdate', 'values.append']);
    expect(stress[1]!.rows).toBe(51); // 1 + 50 rows stay one append (chunks are 900 rows)

    await p.send('POST', '/api/v4/occupation/iniciar', { tag_spool: 'OT-003', worker_id: 2, worker_nombre: 'JP(2)', operacion: 'SOLD' }, sim);
    const cancel = await callsOf(p, () => p.send('POST', '/api/v4/occupation/finalizar', { tag_spool: 'OT-003', worker_id: 2, operacion: 'SOLD' }, sim));
    expect(cancel.map((c) => c.method)).toEqual(['values.batchUpdate', 'values.append']);
    // Errors decided from the cache cost nothing.
    const rejected = await callsOf(p, () => p.send('POST', '/api/v4/occupation/iniciar', { tag_spool: 'OT-004', worker_id: 1, worker_nombre: 'AR(1)', operacion: 'ARM' }, sim));
    expect(rejected).toEqual([]);
  });
});

describe('zeues profile: the real backend’s call pattern (spec §5.3)', () => {
  it('warm reads: disponibles/metricas/health 0 calls, /api/workers 2 reads (Roles is never cached)', async () => {
    pair = await startPair({ backend: { profile: 'zeues', simClock: true } });
    const p = pair;
    const cold = await callsOf(p, () => p.send('GET', '/api/v4/uniones/OT-001/disponibles?operacion=ARM', undefined, sim));
    // O and U misses: spreadsheets.get + values.get each.
    expect(cold.map((c) => c.method)).toEqual(['spreadsheets.get', 'values.get', 'spreadsheets.get', 'values.get']);
    await p.send('GET', '/api/health', undefined, sim);
    expect(await callsOf(p, () => p.send('GET', '/api/v4/uniones/OT-001/disponibles?operacion=ARM', undefined, sim))).toEqual([]);
    expect(await callsOf(p, () => p.send('GET', '/api/v4/uniones/OT-001/metricas', undefined, sim))).toEqual([]);
    expect(await callsOf(p, () => p.send('GET', '/api/health', undefined, sim))).toEqual([]);
    const workers = await callsOf(p, () => p.send('GET', '/api/workers', undefined, sim));
    expect(workers.map((c) => c.method)).toEqual(['spreadsheets.get', 'values.get']);
    expect(workers[1]!.ranges[0]).toMatch(/^Roles!/);
  });

  it('INICIAR 2 writes + 2 reads; FINALIZAR PAUSAR 3 writes + 5 reads; CANCELADO 2 + 4; COMPLETAR with metrología 4 + 8', async () => {
    pair = await startPair({ backend: { profile: 'zeues', simClock: true } });
    const p = pair;
    const warmUp = async (tag: string) => {
      await p.send('GET', `/api/v4/uniones/${tag}/disponibles?operacion=ARM`, undefined, sim);
      await p.send('GET', '/api/health', undefined, sim);
    };
    await warmUp('OT-001');
    const ini = await callsOf(p, () => p.send('POST', '/api/v4/occupation/iniciar', { tag_spool: 'OT-001', worker_id: 1, worker_nombre: 'AR(1)', operacion: 'ARM' }, sim));
    expect(ini.map((c) => c.method)).toEqual(['spreadsheets.get', 'values.batchUpdate', 'spreadsheets.get', 'values.append']);

    await warmUp('OT-001'); // INICIAR invalidated Operaciones
    const pause = await callsOf(p, () => p.send('POST', '/api/v4/occupation/finalizar', { tag_spool: 'OT-001', worker_id: 1, operacion: 'ARM', selected_unions: ['OT-001+1'] }, sim));
    expect(kinds(pause)).toEqual({ reads: 5, writes: 3 });
    expect(pause.map((c) => c.method)).toEqual([
      'spreadsheets.get', 'values.get', // W(Roles) + Roles
      'spreadsheets.get', 'values.batchUpdate', // Uniones: 2N single cells
      'spreadsheets.get', 'values.append', // Metadata: 1 + N rows
      'spreadsheets.get', 'values.batchUpdate', // Operaciones: 3 cells
    ]);
    expect(pause[3]!.ranges).toHaveLength(2);
    expect(pause[5]!.rows).toBe(2);
    expect(pause[7]!.ranges).toHaveLength(3);

    await p.send('POST', '/api/v4/occupation/iniciar', { tag_spool: 'OT-001', worker_id: 1, worker_nombre: 'AR(1)', operacion: 'ARM' }, sim);
    await warmUp('OT-001');
    const cancel = await callsOf(p, () => p.send('POST', '/api/v4/occupation/finalizar', { tag_spool: 'OT-001', worker_id: 1, operacion: 'ARM', selected_unions: [] }, sim));
    expect(kinds(cancel)).toEqual({ reads: 4, writes: 2 });

    await p.send('POST', '/api/v4/occupation/iniciar', { tag_spool: 'OT-005', worker_id: 1, worker_nombre: 'AR(1)', operacion: 'ARM' }, sim);
    await warmUp('OT-005');
    let body: any;
    const complete = await callsOf(p, async () => {
      body = (await p.send('POST', '/api/v4/occupation/finalizar', { tag_spool: 'OT-005', worker_id: 1, operacion: 'ARM', selected_unions: ['OT-005+1', 'OT-005+2'] }, sim)).body;
    });
    expect(body).toMatchObject({ action_taken: 'COMPLETAR', metrologia_triggered: true });
    expect(kinds(complete)).toEqual({ reads: 8, writes: 4 });
    expect(complete.at(-1)!.method).toBe('values.update');
  });

  it('caches expire: Operaciones after 60 s, Trabajadores after 300 s', async () => {
    pair = await startPair({ backend: { profile: 'zeues', simClock: true } });
    const p = pair;
    const at = (ms: number) => ({ 'x-sheetsim-time': String(T0 + ms) });
    await p.send('GET', '/api/spools/iniciar?operacion=ARM', undefined, at(0));
    await p.send('GET', '/api/health', undefined, at(0));
    expect(await callsOf(p, () => p.send('GET', '/api/spools/iniciar?operacion=ARM', undefined, at(59_000)))).toEqual([]);
    expect((await callsOf(p, () => p.send('GET', '/api/spools/iniciar?operacion=ARM', undefined, at(61_000)))).length).toBe(2);
    expect(await callsOf(p, () => p.send('GET', '/api/health', undefined, at(200_000)))).toEqual([]);
  });
});
