/** The contract's decisions (docs/contract.md), pure: records and request in, answer and write plan out. */
import { HttpError, codedError, detailError } from './http-error.ts';
import { PyFloat, pyJsonDumps } from './py-json.ts';
import { SOLD_REQUIRED_TYPES } from './records.ts';
import type { SpoolRecord, UnionRecord, WorkerRecord } from './records.ts';
import { isBlank } from './sheet-table.ts';
import type { WritePlan } from './store.ts';
import type { FinalizarRequest, IniciarRequest } from './validation.ts';

/** The time and ids a write uses, drawn by the caller (clock and random source are not ours to read). */
export interface Stamp {
  /** `DD-MM-YYYY HH:MM:SS`, Santiago. */
  timestamp: string;
  /** `DD-MM-YYYY`, Santiago. */
  date: string;
  /** A fresh uuid4 on every call. */
  uuid: () => string;
}

/** 200 body of the occupation endpoints (OccupationResponse / FinalizarResponseV4, in that field order). */
export interface OccupationBody {
  success: true;
  tag_spool: string;
  message: string;
  action_taken: 'PAUSAR' | 'COMPLETAR' | 'CANCELADO' | null;
  unions_processed: number | null;
  pulgadas: number | null;
  metrologia_triggered: boolean | null;
  new_state: string | null;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;
const round1 = (x: number): number => Math.round(x * 10) / 10;

/** 404 for an unknown spool. */
export function spoolNotFound(tag: string): HttpError {
  return detailError(404, `Spool ${tag} not found`);
}

/** 404 for an unknown or inactive worker. */
export function workerNotFound(id: number): HttpError {
  return detailError(404, `Worker ${id} not found`);
}

/** `INICIALES(ID)`: first letter of the first given name and of the first surname (`MR(93)`). */
export function workerInitials(w: Pick<WorkerRecord, 'id' | 'nombre' | 'apellido'>): string {
  const first = (s: string): string => (s.trim().split(/\s+/)[0] ?? '').charAt(0).toUpperCase();
  return `${first(w.nombre)}${first(w.apellido)}(${w.id})`;
}

/** The worker id an `Ocupado_Por` value ends with (`MR(93)` → 93), or null. */
export function occupantId(ocupadoPor: string): number | null {
  const m = /\((\d+)\)\s*$/.exec(ocupadoPor);
  return m ? Number(m[1]) : null;
}

function unsupported(op: string): HttpError {
  return codedError(400, 'OPERACION_NO_SOPORTADA', `Operación ${op} no soportada en v4.0: solo ARM y SOLD`);
}

/** INICIAR steps 4–6: unsupported operation, missing materials, occupied spool. */
export function checkIniciar(req: IniciarRequest, spool: SpoolRecord): void {
  if (req.operacion !== 'ARM' && req.operacion !== 'SOLD') throw unsupported(req.operacion);
  if (isBlank(spool.fechaMateriales)) {
    throw codedError(400, 'DEPENDENCIAS_NO_SATISFECHAS', `El spool '${spool.tag}' no tiene Fecha_Materiales: faltan materiales para iniciar ${req.operacion}`);
  }
  if (spool.ocupadoPor !== '') {
    throw codedError(409, 'SPOOL_OCCUPIED', `El spool '${spool.tag}' ya está ocupado por ${spool.ocupadoPor}. Espera a que termine o elige otro spool.`, {
      occupied_by: spool.ocupadoPor,
    });
  }
}

/** INICIAR step 7: SOLD needs at least one union of the OT with ARM done. */
export function checkArmPrerequisite(tag: string, unions: UnionRecord[]): void {
  if (!unions.some((u) => u.armDone)) {
    throw codedError(403, 'ARM_PREREQUISITE', `Cannot start SOLD: No ARM unions completed for spool '${tag}'`, { tag_spool: tag, operacion: 'SOLD' });
  }
}

function metadataRow(stamp: Stamp, evento: string, tag: string, workerId: number, workerNombre: string, operacion: string, accion: string, json: unknown, nUnion: number | ''): (string | number)[] {
  return [stamp.uuid(), stamp.timestamp, evento, tag, String(workerId), workerNombre, operacion, accion, stamp.date, pyJsonDumps(json), nUnion];
}

/** INICIAR step 8: occupy the spool and log INICIAR_SPOOL (the event type and accion the HEAD backend writes). */
export function planIniciar(req: IniciarRequest, spool: SpoolRecord, stamp: Stamp): { plan: WritePlan; body: OccupationBody } {
  const version = stamp.uuid();
  const plan: WritePlan = {
    kind: 'iniciar',
    tag: spool.tag,
    spoolRow: spool.row,
    spoolCells: [
      ['Ocupado_Por', req.worker_nombre],
      ['Fecha_Ocupacion', stamp.timestamp],
      ['version', version],
    ],
    unionCells: [],
    metadataRows: [
      metadataRow(stamp, 'INICIAR_SPOOL', spool.tag, req.worker_id, req.worker_nombre, req.operacion, 'INICIAR', { lock_token: version, fecha_ocupacion: stamp.timestamp, v4_operation: 'INICIAR' }, ''),
    ],
  };
  const body: OccupationBody = {
    success: true,
    tag_spool: spool.tag,
    message: `Spool ${spool.tag} iniciado por ${req.worker_nombre}`,
    action_taken: null,
    unions_processed: null,
    pulgadas: null,
    metrologia_triggered: null,
    new_state: null,
  };
  return { plan, body };
}

/** FINALIZAR steps 4–5: unsupported operation, then ownership through `Ocupado_Por`'s `(ID)`. */
export function checkFinalizar(req: FinalizarRequest, spool: SpoolRecord): void {
  if (req.operacion !== 'ARM' && req.operacion !== 'SOLD') throw unsupported(req.operacion);
  if (spool.ocupadoPor === '' || occupantId(spool.ocupadoPor) !== req.worker_id) {
    throw codedError(403, 'NO_AUTORIZADO', "Worker doesn't own this spool");
  }
}

function clearOccupation(stamp: Stamp): [string, string][] {
  return [
    ['Ocupado_Por', ''],
    ['Fecha_Ocupacion', ''],
    ['version', stamp.uuid()],
  ];
}

/** FINALIZAR step 6: no unions selected → CANCELADO. */
export function planCancel(req: FinalizarRequest, spool: SpoolRecord, worker: WorkerRecord, stamp: Stamp): { plan: WritePlan; body: OccupationBody } {
  const plan: WritePlan = {
    kind: 'cancelar',
    tag: spool.tag,
    spoolRow: spool.row,
    spoolCells: clearOccupation(stamp),
    unionCells: [],
    metadataRows: [metadataRow(stamp, 'SPOOL_CANCELADO', spool.tag, req.worker_id, workerInitials(worker), req.operacion, 'CANCELAR', { reason: 'zero_unions_selected' }, '')],
  };
  const body: OccupationBody = {
    success: true,
    tag_spool: spool.tag,
    message: 'Trabajo cancelado - sin uniones seleccionadas',
    action_taken: 'CANCELADO',
    unions_processed: 0,
    pulgadas: null,
    metrologia_triggered: false,
    new_state: null,
  };
  return { plan, body };
}

/** Unions a worker may complete now: ARM — ARM not done; SOLD — ARM done, SOLD not done, SOLD-required type. */
export function availableForFinalizar(op: 'ARM' | 'SOLD', unions: UnionRecord[]): UnionRecord[] {
  return op === 'ARM' ? unions.filter((u) => !u.armDone) : unions.filter((u) => u.armDone && !u.solDone && SOLD_REQUIRED_TYPES.has(u.tipo));
}

/** FINALIZAR steps 7–10: check the selection, complete the unions, decide PAUSAR/COMPLETAR and metrología. */
export function planFinalizar(
  req: FinalizarRequest & { operacion: 'ARM' | 'SOLD' },
  spool: SpoolRecord,
  worker: WorkerRecord,
  unions: UnionRecord[],
  stamp: Stamp,
): { plan: WritePlan; body: OccupationBody } {
  const op = req.operacion;
  const selectedIds = [...new Set(req.selected_unions)];
  const available = new Map(availableForFinalizar(op, unions).map((u) => [u.id, u]));
  const unavailable = selectedIds.filter((id) => !available.has(id));
  if (unavailable.length) {
    throw codedError(409, 'UNIONS_UNAVAILABLE', `${unavailable.length} de ${selectedIds.length} uniones seleccionadas no están disponibles para ${op} en el spool ${spool.tag}`, { unavailable });
  }
  const selected = selectedIds.map((id) => available.get(id)!);
  const token = workerInitials(worker);
  const [dateCol, workerCol] = op === 'ARM' ? ['ARM_FECHA_FIN', 'ARM_WORKER'] : ['SOL_FECHA_FIN', 'SOL_WORKER'];
  const unionCells = selected.flatMap((u) => [
    { row: u.row, column: dateCol, value: stamp.timestamp },
    { row: u.row, column: workerCol, value: token },
  ]);

  const doneIds = new Set(selected.map((u) => u.id));
  const after = unions.map((u) => (doneIds.has(u.id) ? { ...u, armDone: op === 'ARM' ? true : u.armDone, solDone: op === 'SOLD' ? true : u.solDone } : u));
  const inScope = op === 'ARM' ? after : after.filter((u) => SOLD_REQUIRED_TYPES.has(u.tipo));
  const completar = inScope.every((u) => (op === 'ARM' ? u.armDone : u.solDone));
  const metrologia = completar && after.every((u) => (SOLD_REQUIRED_TYPES.has(u.tipo) ? u.solDone : u.armDone));
  const pulgadas = round2(after.filter((u) => (op === 'ARM' ? u.armDone : u.solDone)).reduce((s, u) => s + (u.dn ?? 0), 0));

  const evento = op === 'ARM' ? 'UNION_ARM_REGISTRADA' : 'UNION_SOLD_REGISTRADA';
  const processedInches = round1(selected.reduce((s, u) => s + (u.dn ?? 0), 0));
  const metadataRows = [
    metadataRow(stamp, evento, spool.tag, req.worker_id, token, op, 'COMPLETAR', { union_count: selected.length, pulgadas: new PyFloat(processedInches), union_ids: selectedIds }, ''),
    ...selected.map((u) => metadataRow(stamp, evento, spool.tag, req.worker_id, token, op, 'COMPLETAR', { union_id: u.id }, u.nUnion)),
  ];
  const plan: WritePlan = {
    kind: 'finalizar',
    tag: spool.tag,
    spoolRow: spool.row,
    spoolCells: clearOccupation(stamp),
    unionCells,
    metadataRows,
    ...(metrologia ? { estadoDetalle: 'En Cola Metrología' } : {}),
  };
  const n = selected.length;
  const body: OccupationBody = {
    success: true,
    tag_spool: spool.tag,
    message: completar ? `Operación completada - ${n} uniones procesadas${metrologia ? ' (Listo para metrología)' : ''}` : `Trabajo pausado - ${n} uniones procesadas`,
    action_taken: completar ? 'COMPLETAR' : 'PAUSAR',
    unions_processed: n,
    pulgadas,
    metrologia_triggered: metrologia,
    new_state: metrologia ? 'pendiente' : null,
  };
  return { plan, body };
}

/** GET disponibles: ARM — ARM not done; SOLD — ARM done and SOLD not done (no type filter, as the spec says). */
export function disponibles(tag: string, op: 'ARM' | 'SOLD', unions: UnionRecord[]): unknown {
  const list = unions.filter((u) => (op === 'ARM' ? !u.armDone : u.armDone && !u.solDone));
  return {
    tag_spool: tag,
    operacion: op,
    unions: list.map((u) => ({ id: u.id, n_union: u.nUnion, dn_union: u.dn, tipo_union: u.tipo })),
    count: list.length,
  };
}

/** GET metricas: counts and inch totals of the OT's unions (rows with a non-numeric DN are skipped). */
export function metricas(tag: string, unions: UnionRecord[]): unknown {
  const rows = unions.filter((u) => u.dn !== null);
  if (rows.length === 0) throw detailError(404, `No unions found for spool ${tag}`);
  return {
    tag_spool: tag,
    total_uniones: rows.length,
    arm_completadas: rows.filter((u) => u.armDone).length,
    sold_completadas: rows.filter((u) => u.solDone).length,
    pulgadas_arm: round2(rows.filter((u) => u.armDone).reduce((s, u) => s + u.dn!, 0)),
    pulgadas_sold: round2(rows.filter((u) => u.solDone).reduce((s, u) => s + u.dn!, 0)),
  };
}

const SPOOL_FILTERS: Record<string, { text: string; eligible: (s: SpoolRecord) => boolean }> = {
  ARM: { text: 'ARM - Fecha_Materiales llena Y Armador vacío', eligible: (s) => !isBlank(s.fechaMateriales) && s.ocupadoPor === '' },
  SOLD: { text: 'SOLD - Fecha_Armado llena Y Soldador vacío', eligible: (s) => !isBlank(s.fechaArmado) && s.ocupadoPor === '' },
  METROLOGIA: { text: 'METROLOGIA - Fecha_Soldadura llena Y Fecha_QC_Metrología vacía', eligible: (s) => !isBlank(s.fechaSoldadura) && isBlank(s.fechaQcMetrologia) },
};

/** The eligibility rule of `GET /api/spools/iniciar?operacion=…`, or a 400 for an unknown operation. */
export function spoolFilter(op: string): { text: string; eligible: (s: SpoolRecord) => boolean } {
  const f = SPOOL_FILTERS[op];
  if (!f) throw detailError(400, `Operación inválida '${op}'. Debe ser ARM, SOLD o METROLOGIA.`);
  return f;
}
