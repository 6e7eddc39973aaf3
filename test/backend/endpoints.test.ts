import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPair } from './harness.ts';
import type { Pair } from './harness.ts';

let pair: Pair;
beforeAll(async () => {
  pair = await startPair();
});
afterAll(async () => {
  await pair?.close();
});

const iniciar = (body: Record<string, unknown>) => pair.send('POST', '/api/v4/occupation/iniciar', body);
const finalizar = (body: Record<string, unknown>) => pair.send('POST', '/api/v4/occupation/finalizar', body);

describe('read endpoints', () => {
  it('GET /api/health is healthy with the sheets connection ok', async () => {
    const res = await pair.send('GET', '/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'healthy', operational: true, sheets_connection: 'ok', version: '3.0.0' });
  });
  it('GET /api/workers lists active workers with their active roles and INICIALES(ID)', async () => {
    const res = await pair.send('GET', '/api/workers');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(62);
    expect(res.body.workers[1]).toEqual({ id: 2, nombre: 'Juan', apellido: 'Perez', rol: 'Soldador', roles: ['Soldador', 'Ayudante'], activo: true, nombre_completo: 'JP(2)' });
    expect(res.body.workers.some((w: { id: number }) => w.id === 3)).toBe(false);
  });
  it('GET /api/spools/iniciar lists free spools with materials, 400 for an unknown operation, 422 without one', async () => {
    const res = await pair.send('GET', '/api/spools/iniciar?operacion=ARM');
    expect(res.status).toBe(200);
    const tags = res.body.spools.map((s: { tag_spool: string }) => s.tag_spool);
    expect(tags).toContain('OT-001');
    expect(tags).not.toContain('OT-002');
    expect(tags).not.toContain('OT-004');
    expect(res.body.filtro_aplicado).toBe('ARM - Fecha_Materiales llena Y Armador vacío');
    expect(res.body.spools[0]).toMatchObject({ tag_spool: 'OT-001', nv: 'NV1000', arm: 'PENDIENTE', fecha_materiales: '2026-03-02', ocupado_por: null });
    expect((await pair.send('GET', '/api/spools/iniciar?operacion=PINTURA')).body).toEqual({ detail: "Operación inválida 'PINTURA'. Debe ser ARM, SOLD o METROLOGIA." });
    expect((await pair.send('GET', '/api/spools/iniciar')).status).toBe(422);
  });
  it('GET disponibles: ARM lists unions without ARM; SOLD lists armed unions without SOLD (no type filter)', async () => {
    const arm = await pair.send('GET', '/api/v4/uniones/OT-001/disponibles?operacion=ARM');
    expect(arm.status).toBe(200);
    expect(arm.body).toEqual({
      tag_spool: 'OT-001',
      operacion: 'ARM',
      unions: [
        { id: 'OT-001+1', n_union: 1, dn_union: 2, tipo_union: 'BW' },
        { id: 'OT-001+2', n_union: 2, dn_union: 3, tipo_union: 'BW' },
        { id: 'OT-001+3', n_union: 3, dn_union: 1.5, tipo_union: 'FW' },
        { id: 'OT-001+4', n_union: 4, dn_union: 0.5, tipo_union: 'SO' },
      ],
      count: 4,
    });
    const sold = await pair.send('GET', '/api/v4/uniones/OT-003/disponibles?operacion=SOLD');
    expect(sold.body.count).toBe(3);
  });
  it('GET disponibles: 422 for a missing or bad operacion, 404 for an unknown spool', async () => {
    const bad = await pair.send('GET', '/api/v4/uniones/OT-001/disponibles?operacion=METROLOGIA');
    expect(bad.status).toBe(422);
    expect(bad.body.detail[0]).toMatchObject({ type: 'string_pattern_mismatch', loc: ['query', 'operacion'] });
    expect((await pair.send('GET', '/api/v4/uniones/OT-001/disponibles')).status).toBe(422);
    const missing = await pair.send('GET', '/api/v4/uniones/OT-999/disponibles?operacion=ARM');
    expect(missing).toMatchObject({ status: 404, body: { detail: 'Spool OT-999 not found' } });
  });
  it('GET metricas: counts and inches; 404 for an unknown spool and for a spool without unions', async () => {
    const res = await pair.send('GET', '/api/v4/uniones/OT-003/metricas');
    expect(res.body).toEqual({ tag_spool: 'OT-003', total_uniones: 3, arm_completadas: 3, sold_completadas: 0, pulgadas_arm: 7, pulgadas_sold: 0 });
    expect(await pair.send('GET', '/api/v4/uniones/OT-999/metricas')).toMatchObject({ status: 404, body: { detail: 'Spool OT-999 not found' } });
    expect(await pair.send('GET', '/api/v4/uniones/OT-006/metricas')).toMatchObject({ status: 404, body: { detail: 'No unions found for spool OT-006' } });
  });
  it('unknown routes answer FastAPI’s 404', async () => {
    expect(await pair.send('GET', '/api/nope')).toMatchObject({ status: 404, body: { detail: 'Not Found' } });
  });
});

describe('INICIAR', () => {
  it('422 with field paths for a bad body, and for a body that is not JSON', async () => {
    const res = await iniciar({ tag_spool: 'OT-001', worker_id: -1, worker_nombre: 'X', operacion: 'ARM' });
    expect(res.status).toBe(422);
    expect(res.body.detail).toEqual([{ type: 'greater_than', loc: ['body', 'worker_id'], msg: 'Input should be greater than 0', input: -1, ctx: { gt: 0 } }]);
    const raw = await pair.backend.inject({ method: 'POST', url: '/api/v4/occupation/iniciar', headers: { 'content-type': 'application/json' }, payload: '{nope' });
    expect(raw.statusCode).toBe(422);
    expect(JSON.parse(raw.body).detail[0].type).toBe('json_invalid');
  });
  it('404 for an unknown spool, then for an unknown or inactive worker', async () => {
    expect(await iniciar({ tag_spool: 'OT-999', worker_id: 1, worker_nombre: 'AR(1)', operacion: 'ARM' })).toMatchObject({ status: 404, body: { detail: 'Spool OT-999 not found' } });
    expect(await iniciar({ tag_spool: 'OT-001', worker_id: 500, worker_nombre: 'X(500)', operacion: 'ARM' })).toMatchObject({ status: 404, body: { detail: 'Worker 500 not found' } });
    expect(await iniciar({ tag_spool: 'OT-001', worker_id: 3, worker_nombre: 'CV(3)', operacion: 'ARM' })).toMatchObject({ status: 404, body: { detail: 'Worker 3 not found' } });
  });
  it('400 for METROLOGIA/REPARACION and for a spool without materials', async () => {
    const op = await iniciar({ tag_spool: 'OT-001', worker_id: 1, worker_nombre: 'AR(1)', operacion: 'REPARACION' });
    expect(op.status).toBe(400);
    expect(op.body.detail.error).toBe('OPERACION_NO_SOPORTADA');
    const deps = await iniciar({ tag_spool: 'OT-002', worker_id: 1, worker_nombre: 'AR(1)', operacion: 'ARM' });
    expect(deps.status).toBe(400);
    expect(deps.body.detail.error).toBe('DEPENDENCIAS_NO_SATISFECHAS');
  });
  it('409 on an occupied spool, naming the occupant', async () => {
    const res = await iniciar({ tag_spool: 'OT-004', worker_id: 1, worker_nombre: 'AR(1)', operacion: 'ARM' });
    expect(res.status).toBe(409);
    expect(res.body.detail).toMatchObject({ error: 'SPOOL_OCCUPIED', occupied_by: 'JP(2)' });
  });
  it('403 ARM_PREREQUISITE for SOLD before any ARM', async () => {
    const res = await iniciar({ tag_spool: 'OT-001', worker_id: 2, worker_nombre: 'JP(2)', operacion: 'SOLD' });
    expect(res.status).toBe(403);
    expect(res.body.detail.error).toBe('ARM_PREREQUISITE');
  });
  it('200 occupies the spool, writes Operaciones and one INICIAR_SPOOL Metadata row; a second INICIAR is 409', async () => {
    const res = await iniciar({ tag_spool: 'OT-005', worker_id: 1, worker_nombre: 'AR(1)', operacion: 'ARM' });
    expect(res).toMatchObject({
      status: 200,
      body: { success: true, tag_spool: 'OT-005', message: 'Spool OT-005 iniciado por AR(1)', action_taken: null, unions_processed: null, pulgadas: null, metrologia_triggered: null, new_state: null },
    });
    const again = await iniciar({ tag_spool: 'OT-005', worker_id: 1, worker_nombre: 'AR(1)', operacion: 'ARM' });
    expect(again.status).toBe(409);
    const ops = await pair.read("'Operaciones'!BO6:BQ6");
    expect(ops[0]![0]).toBe('AR(1)');
    expect(ops[0]![1]).toMatch(/^\d{2}-\d{2}-\d{4} \d{2}:\d{2}:\d{2}$/);
    expect(ops[0]![2]).toMatch(/^[0-9a-f-]{36}$/);
    const meta = await pair.read("'Metadata'!A2:K");
    const row = meta.find((r) => r[3] === 'OT-005' && r[2] === 'INICIAR_SPOOL')!;
    expect(row.slice(2, 8)).toEqual(['INICIAR_SPOOL', 'OT-005', '1', 'AR(1)', 'ARM', 'INICIAR']);
    expect(JSON.parse(row[9]!)).toMatchObject({ v4_operation: 'INICIAR', lock_token: ops[0]![2] });
  });
});

describe('FINALIZAR', () => {
  it('403 NO_AUTORIZADO for a free spool and for another worker’s spool', async () => {
    expect((await finalizar({ tag_spool: 'OT-001', worker_id: 1, operacion: 'ARM', selected_unions: [] })).body.detail.error).toBe('NO_AUTORIZADO');
    const other = await finalizar({ tag_spool: 'OT-004', worker_id: 1, operacion: 'ARM', selected_unions: [] });
    expect(other.status).toBe(403);
  });
  it('422 for integer union ids; 404 unknown spool/worker; 400 unsupported operation', async () => {
    const bad = await finalizar({ tag_spool: 'OT-004', worker_id: 2, operacion: 'ARM', selected_unions: [1] });
    expect(bad.body).toEqual({ detail: [{ type: 'string_type', loc: ['body', 'selected_unions', 0], msg: 'Input should be a valid string', input: 1 }] });
    expect((await finalizar({ tag_spool: 'OT-999', worker_id: 2, operacion: 'ARM' })).body).toEqual({ detail: 'Spool OT-999 not found' });
    expect((await finalizar({ tag_spool: 'OT-004', worker_id: 77, operacion: 'ARM' })).body).toEqual({ detail: 'Worker 77 not found' });
    const op = await finalizar({ tag_spool: 'OT-004', worker_id: 2, operacion: 'METROLOGIA' });
    expect(op.status).toBe(400);
    expect(op.body.detail.error).toBe('OPERACION_NO_SOPORTADA');
  });
  it('no unions → CANCELADO: frees the spool and logs SPOOL_CANCELADO (extra locust keys ignored)', async () => {
    const res = await finalizar({ tag_spool: 'OT-004', worker_id: 2, operacion: 'ARM', union_ids: ['OT-004+1'], worker_nombre: 'W', fecha_operacion: '2026-01-01' });
    expect(res.body).toEqual({ success: true, tag_spool: 'OT-004', message: 'Trabajo cancelado - sin uniones seleccionadas', action_taken: 'CANCELADO', unions_processed: 0, pulgadas: null, metrologia_triggered: false, new_state: null });
    expect((await pair.read("'Operaciones'!BO5:BP5"))[0] ?? []).toEqual([]);
    const meta = await pair.read("'Metadata'!A2:K");
    expect(meta.find((r) => r[3] === 'OT-004')!.slice(2, 10)).toEqual(['SPOOL_CANCELADO', 'OT-004', '2', 'JP(2)', 'ARM', 'CANCELAR', expect.stringMatching(/^\d{2}-\d{2}-\d{4}$/), '{"reason": "zero_unions_selected"}']);
  });
  it('ARM PAUSAR then COMPLETAR; SOLD PAUSAR then COMPLETAR with metrología; unions written with INICIALES(ID)', async () => {
    const take = async (worker: number, name: string, op: string) => expect((await iniciar({ tag_spool: 'OT-001', worker_id: worker, worker_nombre: name, operacion: op })).status).toBe(200);
    await take(1, 'AR(1)', 'ARM');
    const pausar = await finalizar({ tag_spool: 'OT-001', worker_id: 1, operacion: 'ARM', selected_unions: ['OT-001+1', 'OT-001+3'] });
    expect(pausar.body).toMatchObject({ action_taken: 'PAUSAR', unions_processed: 2, pulgadas: 3.5, metrologia_triggered: false, message: 'Trabajo pausado - 2 uniones procesadas' });
    const unions = await pair.read("'Uniones'!A2:L5");
    expect(unions[0]![7]).toMatch(/^\d{2}-\d{2}-\d{4} \d{2}:\d{2}:\d{2}$/);
    expect(unions[0]![8]).toBe('AR(1)');
    expect(unions[1]![7] ?? '').toBe('');
    // Selecting an already completed union is 409 and writes nothing.
    await take(1, 'AR(1)', 'ARM');
    const dup = await finalizar({ tag_spool: 'OT-001', worker_id: 1, operacion: 'ARM', selected_unions: ['OT-001+1', 'OT-001+2'] });
    expect(dup.status).toBe(409);
    expect(dup.body.detail).toMatchObject({ error: 'UNIONS_UNAVAILABLE', unavailable: ['OT-001+1'] });
    const completar = await finalizar({ tag_spool: 'OT-001', worker_id: 1, operacion: 'ARM', selected_unions: ['OT-001+2', 'OT-001+4'] });
    expect(completar.body).toMatchObject({ action_taken: 'COMPLETAR', unions_processed: 2, pulgadas: 7, metrologia_triggered: false, new_state: null });
    await take(2, 'JP(2)', 'SOLD');
    const soldPause = await finalizar({ tag_spool: 'OT-001', worker_id: 2, operacion: 'SOLD', selected_unions: ['OT-001+1'] });
    expect(soldPause.body).toMatchObject({ action_taken: 'PAUSAR', pulgadas: 2 });
    await take(2, 'JP(2)', 'SOLD');
    const fw = await finalizar({ tag_spool: 'OT-001', worker_id: 2, operacion: 'SOLD', selected_unions: ['OT-001+3'] });
    expect(fw.body.detail.unavailable).toEqual(['OT-001+3']);
    const soldDone = await finalizar({ tag_spool: 'OT-001', worker_id: 2, operacion: 'SOLD', selected_unions: ['OT-001+2', 'OT-001+4'] });
    expect(soldDone.body).toEqual({ success: true, tag_spool: 'OT-001', message: 'Operación completada - 2 uniones procesadas (Listo para metrología)', action_taken: 'COMPLETAR', unions_processed: 2, pulgadas: 5.5, metrologia_triggered: true, new_state: 'pendiente' });
    expect((await pair.read("'Operaciones'!BR2"))[0]).toEqual(['En Cola Metrología']);
    const metricas = await pair.send('GET', '/api/v4/uniones/OT-001/metricas');
    expect(metricas.body).toMatchObject({ arm_completadas: 4, sold_completadas: 3, pulgadas_arm: 7, pulgadas_sold: 5.5 });
  });
  it('writes 1 + N Metadata rows with columns A–K as the real backend does', async () => {
    await iniciar({ tag_spool: 'OT-005', worker_id: 1, worker_nombre: 'AR(1)', operacion: 'ARM' }).catch(() => undefined);
    const before = (await pair.read("'Metadata'!A2:K")).length;
    // OT-005 was taken by AR(1) in the INICIAR suite; FW-only: ARM COMPLETAR triggers metrología at once.
    const res = await finalizar({ tag_spool: 'OT-005', worker_id: 1, operacion: 'ARM', selected_unions: ['OT-005+1', 'OT-005+2'] });
    expect(res.body).toMatchObject({ action_taken: 'COMPLETAR', metrologia_triggered: true, pulgadas: 3 });
    const rows = (await pair.read("'Metadata'!A2:K")).slice(before);
    expect(rows).toHaveLength(3);
    expect(rows[0]!.slice(2, 9)).toEqual(['UNION_ARM_REGISTRADA', 'OT-005', '1', 'AR(1)', 'ARM', 'COMPLETAR', expect.stringMatching(/^\d{2}-\d{2}-\d{4}$/)]);
    expect(JSON.parse(rows[0]![9]!)).toEqual({ union_count: 2, pulgadas: 3, union_ids: ['OT-005+1', 'OT-005+2'] });
    expect(rows[0]![10] ?? '').toBe('');
    expect(rows.slice(1).map((r) => [r[9], r[10]])).toEqual([
      ['{"union_id": "OT-005+1"}', '1'],
      ['{"union_id": "OT-005+2"}', '2'],
    ]);
    expect(rows.every((r) => /^[0-9a-f-]{36}$/.test(r[0]!) && /^\d{2}-\d{2}-\d{4} \d{2}:\d{2}:\d{2}$/.test(r[1]!))).toBe(true);
  });
});
