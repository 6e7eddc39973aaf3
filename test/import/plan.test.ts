import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../simulator/import/csv.ts';
import { metadataRows } from '../../simulator/import/metadata-table.ts';
import { planImport } from '../../simulator/import/plan.ts';
import { WallClock } from '../../simulator/import/wall-time.ts';
import { generateWorld } from '../../simulator/workload/world.ts';

const HEADER = 'ID,Timestamp,Evento_Tipo,TAG_SPOOL,Worker_ID,Worker_Nombre,Operacion,Accion,Fecha_Operacion,Metadata_JSON,N_UNION';
const csv = (lines: string[]) => [HEADER, ...lines].join('\r\n') + '\r\n';
const q = (json: unknown) => `"${JSON.stringify(json).replace(/"/g, '""')}"`;
const clock = new WallClock('America/Santiago');
const plan = (text: string, over: Partial<Parameters<typeof planImport>[1]> = {}) =>
  planImport(metadataRows(parseCsv(text, 'm.csv')).rows, { clock, fromMs: null, toMs: null, scale: 1, source: 'm.csv', sha256: 'x'.repeat(64), seed: 0, ...over });

// One INICIAR, one FINALIZAR of two unions (summary + union rows), a cancel, in the reference backend's spelling.
const BASIC = csv([
  'a1,02-03-2026 08:00:03,TOMAR_SPOOL,OT-007,4,MR(4),ARM,TOMAR,02-03-2026,{},',
  `a2,02-03-2026 08:00:12,UNION_ARM_REGISTRADA,OT-007,4,Rojas(4),ARM,COMPLETAR,02-03-2026,${q({ union_count: 2, pulgadas: 3.0, union_ids: ['OT-007+1', 'OT-007+3'] })},`,
  `a3,02-03-2026 08:00:12,UNION_ARM_REGISTRADA,OT-007,4,Rojas(4),ARM,COMPLETAR,02-03-2026,${q({ union_id: 'OT-007+1' })},1`,
  `a4,02-03-2026 08:00:12,UNION_ARM_REGISTRADA,OT-007,4,Rojas(4),ARM,COMPLETAR,02-03-2026,${q({ union_id: 'OT-007+3' })},3`,
  'a5,02-03-2026 08:01:00,TOMAR_SPOOL,OT-009,2,JP(2),SOLD,TOMAR,02-03-2026,{},',
  `a6,02-03-2026 08:01:30,SPOOL_CANCELADO,OT-009,2,Perez(2),SOLD,CANCELAR,02-03-2026,${q({ reason: 'zero_unions_selected' })},`,
]);

describe('planImport', () => {
  it('rebuilds the requests, their times from 08:00 (-03:00), the workers and the world they need', () => {
    const p = plan(BASIC);
    expect(p.events.map((e) => [e.t, e.worker, e.op, e.scenario])).toEqual([
      [3000, 2, 'iniciar', 'iniciar'],
      [12000, 2, 'finalizar', 'finalizar_arm_10'],
      [60000, 1, 'iniciar', 'iniciar'],
      [90000, 1, 'finalizar', 'finalizar_cancel'],
    ]);
    expect(p.events[0]!.req.body).toEqual({ tag_spool: 'OT-007', worker_id: 4, worker_nombre: 'MR(4)', operacion: 'ARM' });
    expect(p.events[1]!.req.body).toEqual({ tag_spool: 'OT-007', worker_id: 4, operacion: 'ARM', selected_unions: ['OT-007+1', 'OT-007+3'] });
    expect(p.events[3]!.req.body).toEqual({ tag_spool: 'OT-009', worker_id: 2, operacion: 'SOLD', selected_unions: [] });
    expect(p.report.unmapped).toEqual([]);
    expect(p.report.predictedFailures).toEqual({});
    // Unions finished in the window start not done; union 2 (never mentioned) is taken as done, so this completes ARM.
    const spool = p.header.world.snapshot!.spools[0]!;
    expect(spool.unions.map((u) => [u.id, u.arm, u.dn])).toEqual([['OT-007+1', false, 1.5], ['OT-007+2', true, 1], ['OT-007+3', false, 1.5]]);
    expect(p.events[1]!.expect).toEqual({ status: 200, action_taken: 'COMPLETAR' });
    // Workers keep their ids and names, so the backend writes the same tokens.
    const world = generateWorld(p.header.world);
    expect(world.workers.map((w) => [w.id, w.token])).toEqual([[2, 'JP(2)'], [4, 'MR(4)']]);
    expect(p.header.profile).toBe('import');
    expect(p.header.params.startDate).toBe('2026-03-02');
  });

  it('accepts the production spellings (INICIAR_SPOOL, union rows without a summary row, serial timestamps)', () => {
    const serial = (text: string) => {
      const [d, m, y, h, mi, s] = text.split(/[- :]/).map(Number);
      return (Date.UTC(y!, m! - 1, d!, h!, mi!, s!) - Date.UTC(1899, 11, 30)) / 86_400_000;
    };
    const text = csv([
      `b1,${serial('02-03-2026 08:00:03')},INICIAR_SPOOL,OT-007,4,MR(4),ARM,INICIAR,02-03-2026,{},`,
      `b2,02-03-2026 08:00:12,FINALIZAR_SPOOL,OT-007,4,MR(4),ARM,PAUSAR,02-03-2026,{},1`,
      `b3,02-03-2026 08:00:12,FINALIZAR_SPOOL,OT-007,4,MR(4),ARM,PAUSAR,02-03-2026,{},2`,
    ]);
    const p = plan(text);
    expect(p.events.map((e) => e.t)).toEqual([3000, 12000]);
    expect(p.events[1]!.req.body).toEqual({ tag_spool: 'OT-007', worker_id: 4, operacion: 'ARM', selected_unions: ['OT-007+1', 'OT-007+2'] });
    expect(p.report.unmapped).toEqual([]);
  });

  it('reports what it cannot map, with line numbers, and a FINALIZAR whose INICIAR is missing', () => {
    const text = csv([
      's1,01-03-2026 10:00:00,SEED_LOAD_TEST,OT-001,,,ARM,,01-03-2026,{},',
      'x1,not a time,TOMAR_SPOOL,OT-002,3,AB(3),ARM,TOMAR,02-03-2026,{},',
      'x2,02-03-2026 08:00:05,TOMAR_SPOOL,OT-002,zero,AB(3),ARM,TOMAR,02-03-2026,{},',
      `x3,02-03-2026 08:00:09,UNION_ARM_REGISTRADA,OT-005,3,Baeza(3),ARM,COMPLETAR,02-03-2026,${q({ union_ids: ['OT-005+1'] })},`,
      'x4,02-03-2026 08:00:09,METROLOGIA_AUTO_TRIGGERED,OT-005,3,Baeza(3),ARM,AUTO_TRIGGER,02-03-2026,{},',
    ]);
    const p = plan(text);
    const reasons = Object.fromEntries(p.report.unmapped.map((u) => [u.reason, u.lines]));
    expect(reasons['unknown event type SEED_LOAD_TEST']).toEqual([2]);
    expect(reasons['unknown event type METROLOGIA_AUTO_TRIGGERED']).toEqual([6]);
    expect(reasons['timestamp not readable ("not a time")']).toEqual([3]);
    expect(reasons['worker_id not a positive whole number']).toEqual([4]);
    expect(reasons['FINALIZAR without an INICIAR before it: the spool starts held by its worker']).toEqual([5]);
    // The spool starts held by worker 3, so the FINALIZAR succeeds in the rebuilt world.
    expect(p.header.world.snapshot!.spools[0]!.occupiedBy).toBe('W(3)');
    expect(p.events).toHaveLength(1);
    expect(p.events[0]!.expect?.status).toBe(200);
  });

  it('windows with --from/--to: earlier rows set the starting state, later rows are left out, times scale', () => {
    const text = csv([
      'c1,02-03-2026 08:00:00,TOMAR_SPOOL,OT-003,5,LV(5),ARM,TOMAR,02-03-2026,{},',
      `c2,02-03-2026 09:10:00,UNION_ARM_REGISTRADA,OT-003,5,Vera(5),ARM,COMPLETAR,02-03-2026,${q({ union_ids: ['OT-003+1'] })},`,
      'c3,02-03-2026 09:20:00,TOMAR_SPOOL,OT-003,5,LV(5),SOLD,TOMAR,02-03-2026,{},',
      'c4,02-03-2026 11:00:00,TOMAR_SPOOL,OT-004,5,LV(5),ARM,TOMAR,02-03-2026,{},',
    ]);
    const from = clock.parse('02-03-2026 09:00:00')!;
    const to = clock.parse('02-03-2026 10:00:00')!;
    const p = plan(text, { fromMs: from, toMs: to, scale: 0.5 });
    expect(p.events.map((e) => e.t)).toEqual([300_000, 600_000]);
    expect(p.report.beforeWindow).toBe(1);
    expect(p.report.afterWindow).toBe(1);
    expect(p.header.world.snapshot!.spools.map((s) => [s.tag, s.occupiedBy])).toEqual([['OT-003', 'LV(5)']]);
    expect(p.report.predictedFailures).toEqual({});
    expect(p.header.params.import).toMatchObject({ originMs: from, scale: 0.5, fromMs: from, toMs: to });
  });

  it('refuses an export with nothing to import', () => {
    expect(() => plan(csv(['s1,01-03-2026 10:00:00,SEED_LOAD_TEST,OT-001,,,ARM,,01-03-2026,{},']))).toThrow(/nothing to import/);
  });
});

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, and names the line of an open quote', () => {
    expect(parseCsv('a,"b,c","d""e"\n"x\ny",z\n').map((r) => [r.line, r.cells])).toEqual([[1, ['a', 'b,c', 'd"e']], [2, ['x\ny', 'z']]]);
    expect(() => parseCsv('a,b\n"open,c\n', 'm.csv')).toThrow('m.csv:2: a quoted field is never closed');
  });
});
