/**
 * Metadata rows grouped into the requests that wrote them: an INICIAR row, a FINALIZAR's summary row plus its
 * per-union rows, a cancel. Rows that map to no request are counted by reason in an UnmappedLog.
 */
import type { MetadataRow } from './metadata-table.ts';
import type { WallClock } from './wall-time.ts';

// Event types by the request that writes them. The reference backend writes TOMAR_SPOOL / SPOOL_CANCELADO (the
// 81f5cf9 names); the production backend at HEAD writes INICIAR_SPOOL / FINALIZAR_SPOOL. Both spellings import.
const INICIAR_EVENTS = new Set(['TOMAR_SPOOL', 'INICIAR_SPOOL', 'INICIAR']);
const UNION_EVENTS = new Set(['UNION_ARM_REGISTRADA', 'UNION_SOLD_REGISTRADA', 'FINALIZAR_SPOOL', 'FINALIZAR']);
const CANCEL_EVENTS = new Set(['SPOOL_CANCELADO', 'CANCELAR_SPOOL', 'CANCELAR']);

/** The event types `import` maps to requests (for messages and docs). */
export const MAPPED_EVENT_TYPES: readonly string[] = [...INICIAR_EVENTS, ...UNION_EVENTS, ...CANCEL_EVENTS];

/** What could not be mapped: one entry per reason, with a count and the first line numbers. */
export interface Unmapped {
  reason: string;
  count: number;
  lines: number[];
}

type Kind = 'iniciar' | 'finalizar' | 'cancel';

export interface Action {
  kind: Kind;
  line: number;
  atMs: number;
  tag: string;
  workerId: number;
  /** INICIAR: the token written to Ocupado_Por; FINALIZAR: the name the row carries (`Apellido(ID)`). */
  nombre: string;
  operacion: string;
  unions: string[];
  /** From the summary row's json when it had the ids (the granular rows then only confirm them). */
  idsFromJson: boolean;
  /** Σ DN of the selection (the summary row's `pulgadas`), to give the unions plausible sizes. */
  pulgadas: number | null;
}

/** Rows that mapped to no request (or were mapped with a caveat), by reason, with the first line numbers. */
export class UnmappedLog {
  private readonly by = new Map<string, Unmapped>();
  /** Count one row under `reason`. */
  add(reason: string, line: number): void {
    let u = this.by.get(reason);
    if (!u) this.by.set(reason, (u = { reason, count: 0, lines: [] }));
    u.count += 1;
    if (u.lines.length < 10) u.lines.push(line);
  }
  /** The reasons, most frequent first. */
  list(): Unmapped[] {
    return [...this.by.values()].sort((a, b) => b.count - a.count || a.lines[0]! - b.lines[0]!);
  }
}

function positiveInt(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

function parseJson(text: string): Record<string, unknown> | null {
  if (text === '' || text[0] !== '{') return null;
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function unionIdsOf(json: Record<string, unknown> | null): string[] | null {
  const v = json?.union_ids ?? json?.selected_unions;
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : null;
}

function operacionOf(row: MetadataRow): string {
  if (row.operacion === 'ARM' || row.operacion === 'SOLD') return row.operacion;
  if (row.evento.includes('ARM')) return 'ARM';
  if (row.evento.includes('SOLD')) return 'SOLD';
  return row.operacion;
}

/** Group rows into the requests that wrote them (a FINALIZAR writes one summary row plus one row per union). */
export function actionsOf(rows: readonly MetadataRow[], clock: WallClock, log: UnmappedLog): Action[] {
  const actions: Action[] = [];
  let open: (Action & { key: string }) | null = null;
  for (const row of rows) {
    const isIniciar = INICIAR_EVENTS.has(row.evento);
    const isUnion = UNION_EVENTS.has(row.evento);
    const isCancel = CANCEL_EVENTS.has(row.evento);
    if (!isIniciar && !isUnion && !isCancel) {
      log.add(row.evento === '' ? 'empty evento_tipo' : `unknown event type ${row.evento}`, row.line);
      open = null;
      continue;
    }
    const atMs = clock.parse(row.timestamp);
    if (atMs === null) {
      log.add(`timestamp not readable (${JSON.stringify(row.timestamp ?? '')})`, row.line);
      continue;
    }
    if (row.tag === '') {
      log.add('tag_spool empty', row.line);
      continue;
    }
    const workerId = positiveInt(row.workerId);
    if (workerId === null) {
      log.add('worker_id not a positive whole number', row.line);
      continue;
    }
    const operacion = operacionOf(row);
    const base = { line: row.line, atMs, tag: row.tag, workerId, nombre: row.workerNombre, operacion, idsFromJson: false, pulgadas: null };
    if (isIniciar) {
      open = null;
      if (row.workerNombre === '') log.add('INICIAR without worker_nombre (the request needs it)', row.line);
      else actions.push({ ...base, kind: 'iniciar', unions: [] });
      continue;
    }
    const json = parseJson(row.json);
    if (isCancel || row.accion === 'CANCELAR') {
      open = null;
      actions.push({ ...base, kind: 'cancel', unions: [] });
      continue;
    }
    const key = `${String(row.timestamp)}\u0000${row.tag}\u0000${workerId}\u0000${operacion}`;
    const n = positiveInt(row.nUnion);
    if (n === null) {
      // The summary row of a FINALIZAR: its json lists the selected unions (the reference backend and 81f5cf9).
      const ids = unionIdsOf(json);
      const pulgadas = typeof json?.pulgadas === 'number' ? json.pulgadas : null;
      open = { ...base, kind: ids !== null && ids.length === 0 ? 'cancel' : 'finalizar', unions: ids ?? [], idsFromJson: ids !== null, pulgadas, key };
      actions.push(open);
      continue;
    }
    const id = typeof json?.union_id === 'string' ? json.union_id : `${row.tag}+${n}`;
    if (open && open.key === key && open.kind === 'finalizar') {
      if (!open.idsFromJson && !open.unions.includes(id)) open.unions.push(id);
      continue;
    }
    // Union rows without a summary row: one FINALIZAR per run of rows with the same time, spool, worker, operation.
    open = { ...base, kind: 'finalizar', unions: [id], key };
    actions.push(open);
  }
  return actions;
}
