import { describe, expect, it } from 'vitest';
import { HttpError } from '../../backend/http-error.ts';
import type { SpoolRecord, UnionRecord, WorkerRecord } from '../../backend/records.ts';
import { checkArmPrerequisite, checkFinalizar, checkIniciar, metricas, occupantId, planFinalizar, workerInitials } from '../../backend/rules.ts';
import type { Stamp } from '../../backend/rules.ts';
import { parseFinalizar, parseIniciar } from '../../backend/validation.ts';

const spool = (over: Partial<SpoolRecord> = {}): SpoolRecord => ({
  row: 2, tag: 'OT-001', ot: '1', nv: 'NV1', fechaMateriales: 46000, fechaArmado: '', armador: null, fechaSoldadura: '', soldador: null,
  fechaQcMetrologia: '', ocupadoPor: '', fechaOcupacion: '', version: '', estadoDetalle: null, ...over,
});
const union = (n: number, tipo: string, armDone = false, solDone = false): UnionRecord => ({ row: n + 1, id: `OT-001+${n}`, ot: '1', tag: 'OT-001', nUnion: n, dn: n, tipo, armDone, solDone });
const worker: WorkerRecord = { id: 93, nombre: 'Mauricio', apellido: 'Rodriguez', rol: 'Armador', activo: true, roles: ['Armador'] };
let counter = 0;
const stamp: Stamp = { timestamp: '13-05-2026 11:33:48', date: '13-05-2026', uuid: () => `uuid-${++counter}` };

function httpError(fn: () => unknown): HttpError {
  try {
    fn();
  } catch (err) {
    if (err instanceof HttpError) return err;
    throw err;
  }
  throw new Error('expected an HttpError');
}

describe('ownership and tokens', () => {
  it('reads the owner id from NAME(ID) and builds the initials token', () => {
    expect(occupantId('MR(93)')).toBe(93);
    expect(occupantId('WORKER17')).toBeNull();
    expect(workerInitials({ id: 93, nombre: 'Mauricio Andrés', apellido: 'Rodriguez Soto' })).toBe('MR(93)');
  });
  it('INICIAR: occupied by anyone (the same worker too) is 409 with the occupant', () => {
    const req = parseIniciar({ tag_spool: 'OT-001', worker_id: 93, worker_nombre: 'MR(93)', operacion: 'ARM' });
    const err = httpError(() => checkIniciar(req, spool({ ocupadoPor: 'MR(93)' })));
    expect(err.status).toBe(409);
    expect(err.body).toEqual({ detail: { error: 'SPOOL_OCCUPIED', message: "El spool 'OT-001' ya está ocupado por MR(93). Espera a que termine o elige otro spool.", occupied_by: 'MR(93)' } });
  });
  it('INICIAR: unsupported operation before missing materials before occupation', () => {
    const base = { tag_spool: 'OT-001', worker_id: 93, worker_nombre: 'MR(93)' };
    expect(httpError(() => checkIniciar(parseIniciar({ ...base, operacion: 'METROLOGIA' }), spool({ fechaMateriales: '', ocupadoPor: 'X(1)' }))).status).toBe(400);
    const deps = httpError(() => checkIniciar(parseIniciar({ ...base, operacion: 'ARM' }), spool({ fechaMateriales: '', ocupadoPor: 'X(1)' })));
    expect((deps.body as { detail: { error: string } }).detail.error).toBe('DEPENDENCIAS_NO_SATISFECHAS');
  });
  it('SOLD needs one ARM-done union', () => {
    const err = httpError(() => checkArmPrerequisite('OT-001', [union(1, 'BW')]));
    expect(err.status).toBe(403);
    expect(err.body).toEqual({ detail: { error: 'ARM_PREREQUISITE', message: "Cannot start SOLD: No ARM unions completed for spool 'OT-001'", tag_spool: 'OT-001', operacion: 'SOLD' } });
    expect(() => checkArmPrerequisite('OT-001', [union(1, 'BW', true)])).not.toThrow();
  });
  it('FINALIZAR: a free spool or another owner is 403 NO_AUTORIZADO', () => {
    const req = parseFinalizar({ tag_spool: 'OT-001', worker_id: 93, operacion: 'ARM' });
    for (const ocupadoPor of ['', 'JP(12)', 'WORKER93']) {
      const err = httpError(() => checkFinalizar(req, spool({ ocupadoPor })));
      expect(err.status).toBe(403);
      expect(err.body).toEqual({ detail: { error: 'NO_AUTORIZADO', message: "Worker doesn't own this spool" } });
    }
    expect(() => checkFinalizar(req, spool({ ocupadoPor: 'MR(93)' }))).not.toThrow();
  });
});

describe('PAUSAR / COMPLETAR / metrología decisions', () => {
  const unions = [union(1, 'BW'), union(2, 'BW'), union(3, 'FW'), union(4, 'SO')];
  const req = (operacion: 'ARM' | 'SOLD', selected: string[]) => ({ tag_spool: 'OT-001', worker_id: 93, operacion, selected_unions: selected });

  it('some available unions → PAUSAR with cumulative inches, 1 + N Metadata rows and 2N union cells', () => {
    const { plan, body } = planFinalizar(req('ARM', ['OT-001+1', 'OT-001+2', 'OT-001+1']), spool({ ocupadoPor: 'MR(93)' }), worker, unions, stamp);
    expect(body).toMatchObject({ action_taken: 'PAUSAR', unions_processed: 2, pulgadas: 3, metrologia_triggered: false, new_state: null, message: 'Trabajo pausado - 2 uniones procesadas' });
    expect(plan.unionCells).toHaveLength(4);
    expect(plan.unionCells[1]).toEqual({ row: 2, column: 'ARM_WORKER', value: 'MR(93)' });
    expect(plan.metadataRows).toHaveLength(3);
    expect(plan.metadataRows[0]!.slice(1, 11)).toEqual(['13-05-2026 11:33:48', 'UNION_ARM_REGISTRADA', 'OT-001', '93', 'MR(93)', 'ARM', 'COMPLETAR', '13-05-2026', '{"union_count": 2, "pulgadas": 3.0, "union_ids": ["OT-001+1", "OT-001+2"]}', '']);
    expect(plan.metadataRows[2]![10]).toBe(2);
    expect(plan.estadoDetalle).toBeUndefined();
  });
  it('all ARM unions → COMPLETAR; no metrología while SOLD-required unions lack SOLD', () => {
    const { body } = planFinalizar(req('ARM', unions.map((u) => u.id)), spool(), worker, unions, stamp);
    expect(body).toMatchObject({ action_taken: 'COMPLETAR', unions_processed: 4, pulgadas: 10, metrologia_triggered: false, message: 'Operación completada - 4 uniones procesadas' });
  });
  it('SOLD scope is SOLD-required unions only; finishing them triggers metrología when FW is ARM-done', () => {
    const armed = [union(1, 'BW', true), union(2, 'BW', true), union(3, 'FW', true), union(4, 'SO', true)];
    const partial = planFinalizar(req('SOLD', ['OT-001+1']), spool(), worker, armed, stamp);
    expect(partial.body).toMatchObject({ action_taken: 'PAUSAR', pulgadas: 1 });
    const done = planFinalizar(req('SOLD', ['OT-001+1', 'OT-001+2', 'OT-001+4']), spool(), worker, armed, stamp);
    expect(done.body).toMatchObject({ action_taken: 'COMPLETAR', metrologia_triggered: true, new_state: 'pendiente', pulgadas: 7, message: 'Operación completada - 3 uniones procesadas (Listo para metrología)' });
    expect(done.plan.estadoDetalle).toBe('En Cola Metrología');
    expect(done.plan.unionCells[0]!.column).toBe('SOL_FECHA_FIN');
  });
  it('COMPLETAR of SOLD is decided on all SOLD-required unions, not the available batch (HEAD fix T-021)', () => {
    const mixed = [union(1, 'BW', true), union(2, 'BW', false)];
    const { body } = planFinalizar(req('SOLD', ['OT-001+1']), spool(), worker, mixed, stamp);
    expect(body.action_taken).toBe('PAUSAR');
  });
  it('unknown, already done, FW-for-SOLD or not-yet-armed unions → 409 UNIONS_UNAVAILABLE listing them', () => {
    const armed = [union(1, 'BW', true, true), union(2, 'BW', false), union(3, 'FW', true), union(4, 'SO', true)];
    const err = httpError(() => planFinalizar(req('SOLD', ['OT-001+1', 'OT-001+2', 'OT-001+3', 'OT-001+4', 'OT-009+1']), spool(), worker, armed, stamp));
    expect(err.status).toBe(409);
    expect((err.body as { detail: { error: string; unavailable: string[] } }).detail).toMatchObject({ error: 'UNIONS_UNAVAILABLE', unavailable: ['OT-001+1', 'OT-001+2', 'OT-001+3', 'OT-009+1'] });
  });
  it('metricas counts and sums with 2 decimals; no unions is 404', () => {
    expect(metricas('OT-001', [union(1, 'BW', true, true), union(2, 'FW', true)])).toEqual({ tag_spool: 'OT-001', total_uniones: 2, arm_completadas: 2, sold_completadas: 1, pulgadas_arm: 3, pulgadas_sold: 1 });
    expect(httpError(() => metricas('OT-001', [])).body).toEqual({ detail: 'No unions found for spool OT-001' });
  });
});

describe('request validation (FastAPI 422 shape)', () => {
  it('integers in selected_unions are string_type errors at their index', () => {
    const err = httpError(() => parseFinalizar({ tag_spool: 'OT-001', worker_id: 1, operacion: 'ARM', selected_unions: ['a', 1] }));
    expect(err.status).toBe(422);
    expect(err.body).toEqual({ detail: [{ type: 'string_type', loc: ['body', 'selected_unions', 1], msg: 'Input should be a valid string', input: 1 }] });
  });
  it('reports every field error, and ignores extra keys', () => {
    const err = httpError(() => parseIniciar({ tag_spool: '', worker_id: 0, operacion: 'X', extra: true }));
    expect((err.body as { detail: { type: string; loc: unknown[] }[] }).detail.map((d) => [d.type, d.loc.join('.')])).toEqual([
      ['string_too_short', 'body.tag_spool'],
      ['greater_than', 'body.worker_id'],
      ['missing', 'body.worker_nombre'],
      ['enum', 'body.operacion'],
    ]);
    expect(parseFinalizar({ tag_spool: 'T', worker_id: '7', operacion: 'SOLD', union_ids: ['x'], worker_nombre: 'W' })).toEqual({ tag_spool: 'T', worker_id: 7, operacion: 'SOLD', selected_unions: [] });
  });
});
