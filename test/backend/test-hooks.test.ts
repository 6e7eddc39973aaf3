// The test-only backend hooks: an extra values.get and an added wait on the operations named in the environment.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseTestHooks, routeOperation } from '../../backend/test-hooks.ts';
import { countByMethod, startPair } from './harness.ts';
import type { Pair } from './harness.ts';

let pair: Pair | undefined;
afterEach(async () => {
  vi.unstubAllEnvs();
  await pair?.close();
  pair = undefined;
});

const sim = { 'x-sheetsim-time': String(Date.UTC(2026, 2, 2, 12, 0, 0)) };

describe('parseTestHooks', () => {
  it('is off when neither variable is set', () => {
    expect(parseTestHooks({})).toBeNull();
  });
  it('reads op=ms pairs and a list of operations', () => {
    const h = parseTestHooks({ SHEETSIM_BACKEND_DELAY: 'finalizar=200, metricas=40', SHEETSIM_BACKEND_EXTRA_READ: 'finalizar' })!;
    expect(h.delayMs).toEqual({ finalizar: 200, metricas: 40 });
    expect([...h.extraRead]).toEqual(['finalizar']);
  });
  it('names the variable and the bad part', () => {
    expect(() => parseTestHooks({ SHEETSIM_BACKEND_DELAY: 'finalise=200' })).toThrow(/SHEETSIM_BACKEND_DELAY.*'finalise=200'/);
    expect(() => parseTestHooks({ SHEETSIM_BACKEND_EXTRA_READ: 'fin' })).toThrow(/SHEETSIM_BACKEND_EXTRA_READ.*'fin'/);
  });
  it('maps routes to operations', () => {
    expect(routeOperation('/api/v4/occupation/finalizar')).toBe('finalizar');
    expect(routeOperation('/api/v4/uniones/:tag/metricas')).toBe('metricas');
    expect(routeOperation('/api/health')).toBeNull();
  });
});

describe('SHEETSIM_BACKEND_EXTRA_READ', () => {
  it('adds exactly one values.get to each FINALIZAR and nothing to INICIAR', async () => {
    vi.stubEnv('SHEETSIM_BACKEND_EXTRA_READ', 'finalizar');
    pair = await startPair({ backend: { profile: 'lean', simClock: true } });
    const p = pair;
    await p.send('GET', '/api/health');
    let before = await p.lastCallId();
    await p.send('POST', '/api/v4/occupation/iniciar', { tag_spool: 'OT-001', worker_id: 1, worker_nombre: 'AR(1)', operacion: 'ARM' }, sim);
    const ini = countByMethod(await p.calls(before));
    expect(ini['values.get']).toBeUndefined();
    before = await p.lastCallId();
    const res = await p.send('POST', '/api/v4/occupation/finalizar', { tag_spool: 'OT-001', worker_id: 1, operacion: 'ARM', selected_unions: ['OT-001+1'] }, sim);
    expect(res.status).toBe(200);
    expect(countByMethod(await p.calls(before))).toEqual({ 'values.batchUpdate': 1, 'values.append': 1, 'values.get': 1 });
  });
});
