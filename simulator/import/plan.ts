/**
 * From Metadata rows to a trace (pure): which request produced each audit event, when, by which worker, and the
 * world those requests need — the spools, unions and workers they touch, in the state they had when the window
 * opened. Everything the rows cannot tell is reported, never guessed silently.
 */
import { TRACE_FORMAT, TRACE_VERSION, type ImportSource, type TraceEvent, type TraceHeader, type WorldSnapshot } from '../trace/types.ts';
import { WorldModel } from '../workload/model.ts';
import { generateWorld } from '../workload/world.ts';
import type { MetadataRow } from './metadata-table.ts';
import type { WallClock } from './wall-time.ts';

// Event types by the request that writes them. The reference backend writes TOMAR_SPOOL / SPOOL_CANCELADO (the
// 81f5cf9 names); the production backend at HEAD writes INICIAR_SPOOL / FINALIZAR_SPOOL. Both spellings import.
const INICIAR_EVENTS = new Set(['TOMAR_SPOOL', 'INICIAR_SPOOL', 'INICIAR']);
const UNION_EVENTS = new Set(['UNION_ARM_REGISTRADA', 'UNION_SOLD_REGISTRADA', 'FINALIZAR_SPOOL', 'FINALIZAR']);
const CANCEL_EVENTS = new Set(['SPOOL_CANCELADO', 'CANCELAR_SPOOL', 'CANCELAR']);

/** The event types `import` maps to requests (for messages and docs). */
export const MAPPED_EVENT_TYPES: readonly string[] = [...INICIAR_EVENTS, ...UNION_EVENTS, ...CANCEL_EVENTS];

const INICIAR_PATH = '/api/v4/occupation/iniciar';
const FINALIZAR_PATH = '/api/v4/occupation/finalizar';

/** Options that decide the trace (same rows and options → same trace). */
export interface ImportOptions {
  clock: WallClock;
  /** Window [fromMs, toMs), epoch ms; rows before it only set the starting state, rows after it are left out. */
  fromMs: number | null;
  toMs: number | null;
  /** Every recorded time gap is multiplied by this (0.5 = twice as fast). */
  scale: number;
  source: string;
  sha256: string;
  /** Seed of the workbook's filler columns (NV, weights...). */
  seed: number;
}

/** What could not be mapped: one entry per reason, with a count and the first line numbers. */
export interface Unmapped {
  reason: string;
  count: number;
  lines: number[];
}

export interface ImportReport {
  rows: number;
  /** Requests in the trace, by scenario. */
  events: number;
  scenarios: Record<string, number>;
  /** Rows used before the window (state only) and left after it. */
  beforeWindow: number;
  afterWindow: number;
  unmapped: Unmapped[];
  /** Requests the rebuilt world predicts to fail (a missing row, an inconsistent export): status → count. */
  predictedFailures: Record<string, number>;
  firstPredictedFailureLine: number | null;
  spools: number;
  unions: number;
  workers: number;
  /** Spools held at trace time 0 (their INICIAR was before the window or missing from the export). */
  occupiedAtStart: number;
}

export interface ImportPlan {
  header: TraceHeader;
  events: TraceEvent[];
  report: ImportReport;
}

type Kind = 'iniciar' | 'finalizar' | 'cancel';

interface Action {
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

class UnmappedLog {
  private readonly by = new Map<string, Unmapped>();
  add(reason: string, line: number): void {
    let u = this.by.get(reason);
    if (!u) this.by.set(reason, (u = { reason, count: 0, lines: [] }));
    u.count += 1;
    if (u.lines.length < 10) u.lines.push(line);
  }
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
function actionsOf(rows: readonly MetadataRow[], clock: WallClock, log: UnmappedLog): Action[] {
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

interface UnionFacts {
  id: string;
  dn: number | null;
  armBefore: boolean;
  soldBefore: boolean;
  armIn: boolean;
  soldIn: boolean;
}

const unionNumber = (id: string): number | null => {
  const m = /\+(\d+)$/.exec(id);
  return m ? Number(m[1]) : null;
};

/** Build the trace from Metadata rows. */
export function planImport(rows: readonly MetadataRow[], o: ImportOptions): ImportPlan {
  const log = new UnmappedLog();
  const all = actionsOf(rows, o.clock, log);
  for (const a of all) if (a.kind === 'finalizar' && a.unions.length === 0) log.add('FINALIZAR row with no union ids (json union_ids missing, no union rows)', a.line);
  // Rows are appended in the order requests finished; a stable sort by time keeps that order within a second.
  const sorted = all.filter((a) => !(a.kind === 'finalizar' && a.unions.length === 0)).map((a, i) => ({ a, i }))
    .sort((x, y) => x.a.atMs - y.a.atMs || x.i - y.i).map((x) => x.a);
  const before = sorted.filter((a) => o.fromMs !== null && a.atMs < o.fromMs);
  const inside = sorted.filter((a) => (o.fromMs === null || a.atMs >= o.fromMs) && (o.toMs === null || a.atMs < o.toMs));
  const after = sorted.length - before.length - inside.length;
  if (inside.length === 0) {
    throw new Error(`nothing to import: ${rows.length} rows, ${sorted.length} mapped to requests, none inside the window`);
  }

  // --- the world: spools and unions the window touches, in their state when it opens --------------------------
  const spoolOrder: string[] = [];
  const unionsBySpool = new Map<string, Map<string, UnionFacts>>();
  const touch = (tag: string) => {
    if (!unionsBySpool.has(tag)) {
      unionsBySpool.set(tag, new Map());
      spoolOrder.push(tag);
    }
    return unionsBySpool.get(tag)!;
  };
  for (const a of inside) touch(a.tag);
  const occupiedAtStart = new Map<string, { token: string; workerId: number }>();
  const record = (a: Action, inWindow: boolean) => {
    const unions = unionsBySpool.get(a.tag);
    if (!unions) return;
    if (a.kind === 'iniciar') {
      if (!inWindow) occupiedAtStart.set(a.tag, { token: a.nombre, workerId: a.workerId });
      return;
    }
    if (!inWindow) occupiedAtStart.delete(a.tag);
    const dn = a.pulgadas !== null && a.unions.length > 0 ? Math.round((a.pulgadas / a.unions.length) * 100) / 100 : null;
    for (const id of a.unions) {
      let u = unions.get(id);
      if (!u) unions.set(id, (u = { id, dn: null, armBefore: false, soldBefore: false, armIn: false, soldIn: false }));
      if (u.dn === null && dn !== null && dn > 0) u.dn = dn;
      if (a.kind !== 'finalizar') continue;
      if (a.operacion === 'SOLD') {
        if (inWindow) u.soldIn = true;
        else u.soldBefore = true;
      } else if (inWindow) u.armIn = true;
      else u.armBefore = true;
    }
  };
  for (const a of before) record(a, false);
  for (const a of inside) record(a, true);

  // A FINALIZAR whose spool nobody holds (its INICIAR is missing from the export or before an open window): the
  // spool starts held by that worker, as production must have had it.
  const tokenOf = new Map<number, string>();
  for (const a of [...before, ...inside]) if (a.kind === 'iniciar' && !tokenOf.has(a.workerId)) tokenOf.set(a.workerId, a.nombre);
  const surnameOf = new Map<number, string>();
  for (const a of [...before, ...inside]) {
    const m = /^(.*\S)\((\d+)\)$/.exec(a.nombre);
    if (a.kind !== 'iniciar' && m && Number(m[2]) === a.workerId && !/^\p{Lu}{1,3}$/u.test(m[1]!) && !surnameOf.has(a.workerId)) surnameOf.set(a.workerId, m[1]!);
  }
  const held = new Map(occupiedAtStart);
  const firstSeen = new Set<string>();
  for (const a of inside) {
    if (firstSeen.has(a.tag)) continue;
    firstSeen.add(a.tag);
    if (a.kind !== 'iniciar' && !held.has(a.tag)) {
      held.set(a.tag, { token: tokenOf.get(a.workerId) ?? `W(${a.workerId})`, workerId: a.workerId });
      log.add('FINALIZAR without an INICIAR before it: the spool starts held by its worker', a.line);
    }
  }

  const workerIds = [...new Set(inside.map((a) => a.workerId))].sort((x, y) => x - y);
  const payrollIds = [...new Set([...workerIds, ...[...held.values()].map((h) => h.workerId)])].sort((x, y) => x - y);
  const snapshot: WorldSnapshot = {
    spools: spoolOrder.map((tag) => {
      const facts = unionsBySpool.get(tag)!;
      const numbered = new Map<number, UnionFacts>();
      const unnumbered: UnionFacts[] = [];
      for (const u of facts.values()) {
        const n = unionNumber(u.id);
        if (n === null || numbered.has(n)) unnumbered.push(u);
        else numbered.set(n, u);
      }
      const maxN = numbered.size > 0 ? Math.max(...numbered.keys()) : unnumbered.length > 0 ? 0 : 1;
      const sample = [...facts.values()][0]?.id;
      const prefix = sample && sample.includes('+') ? sample.slice(0, sample.lastIndexOf('+') + 1) : `${tag}+`;
      const state = (n: number, u: UnionFacts) => ({
        n, id: u.id, dn: u.dn ?? 1, tipo: 'BW',
        // Done before the window, or never done inside it (SOLD needs ARM done; a union never finished here stays as it was).
        arm: u.armBefore || !u.armIn,
        sold: u.soldBefore || (!u.soldIn && !u.armIn),
      });
      const unions = [];
      for (let n = 1; n <= maxN; n++) {
        const u = numbered.get(n);
        // A union the export never mentions is taken as done: it changes no request, only PAUSAR vs COMPLETAR.
        unions.push(u ? state(n, u) : { n, id: `${prefix}${n}`, dn: 1, tipo: 'BW', arm: true, sold: true });
      }
      for (const u of unnumbered) unions.push(state(unions.length + 1, u));
      return { tag, unions, occupiedBy: held.get(tag)?.token ?? '' };
    }),
    workers: payrollIds.map((id) => {
      const token = tokenOf.get(id) ?? '';
      const m = /^(\p{Lu})(\p{Lu})\(\d+\)$/u.exec(token);
      const surname = surnameOf.get(id);
      return { id, nombre: m?.[1] ?? 'X', apellido: surname ?? m?.[2] ?? 'X' };
    }),
  };

  // --- times and events -----------------------------------------------------------------------------------------
  const firstMs = inside[0]!.atMs;
  const originMs = o.fromMs ?? defaultOrigin(firstMs, o.clock);
  const startDate = o.clock.dateOf(originMs);
  const virtual = new Map(workerIds.map((id, i) => [id, i + 1]));
  const scenarios: Record<string, number> = {};
  const events: TraceEvent[] = inside.map((a, seq) => {
    const t = Math.max(0, Math.round((a.atMs - originMs) * o.scale));
    const scenario = scenarioOf(a);
    scenarios[scenario] = (scenarios[scenario] ?? 0) + 1;
    const body = a.kind === 'iniciar'
      ? { tag_spool: a.tag, worker_id: a.workerId, worker_nombre: a.nombre, operacion: a.operacion }
      : { tag_spool: a.tag, worker_id: a.workerId, operacion: a.operacion, selected_unions: a.kind === 'cancel' ? [] : a.unions };
    return { seq, t, worker: virtual.get(a.workerId)!, op: a.kind === 'iniciar' ? 'iniciar' : 'finalizar', scenario, req: { method: 'POST', path: a.kind === 'iniciar' ? INICIAR_PATH : FINALIZAR_PATH, body } };
  });

  const importSource: ImportSource = { source: o.source, sha256: o.sha256, originMs, scale: o.scale, fromMs: o.fromMs, toMs: o.toMs };
  const header: TraceHeader = {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    seed: o.seed,
    profile: 'import',
    params: { workers: workerIds.length, durationMs: events[events.length - 1]!.t + 1, conflicts: 0, thinkMinMs: 0, thinkMaxMs: 0, startDate, import: importSource },
    world: { seed: o.seed, spools: snapshot.spools.length, workers: snapshot.workers.length, startDate, snapshot },
  };

  // What the contract answers in the rebuilt world, request by request: the trace's `expect`.
  const model = new WorldModel(generateWorld(header.world));
  // The model's spools start free: take the held ones the way production did, with an INICIAR by their holder.
  for (const [tag, h] of held) model.iniciar({ tag_spool: tag, worker_id: h.workerId, worker_nombre: h.token, operacion: 'ARM' });
  const predictedFailures: Record<string, number> = {};
  let firstPredictedFailureLine: number | null = null;
  events.forEach((e, i) => {
    const outcome = e.op === 'iniciar' ? model.iniciar(e.req.body) : model.finalizar(e.req.body);
    e.expect = outcome.action_taken === undefined ? { status: outcome.status } : { status: outcome.status, action_taken: outcome.action_taken };
    if (outcome.status !== 200) {
      predictedFailures[String(outcome.status)] = (predictedFailures[String(outcome.status)] ?? 0) + 1;
      firstPredictedFailureLine ??= inside[i]!.line;
    }
  });

  return {
    header,
    events,
    report: {
      rows: rows.length,
      events: events.length,
      scenarios,
      beforeWindow: before.length,
      afterWindow: after,
      unmapped: log.list(),
      predictedFailures,
      firstPredictedFailureLine,
      spools: snapshot.spools.length,
      unions: snapshot.spools.reduce((s, sp) => s + sp.unions.length, 0),
      workers: snapshot.workers.length,
      occupiedAtStart: snapshot.spools.filter((s) => s.occupiedBy !== '').length,
    },
  };
}

/** Scenario label: the original suite's names where the selection fits them, so its gates apply. */
function scenarioOf(a: Action): string {
  if (a.kind === 'iniciar') return 'iniciar';
  if (a.kind === 'cancel') return 'finalizar_cancel';
  if (a.operacion === 'SOLD') return a.unions.length <= 5 ? 'finalizar_sold_5' : 'finalizar_sold';
  return a.unions.length <= 10 ? 'finalizar_arm_10' : 'finalizar_arm_50';
}

/**
 * Trace time 0 when no window is given: 08:00 (-03:00) of the first event's day, as every generated trace starts
 * (so a generated trace's Metadata imports back to the same `t`), or the first event's minute when it is earlier.
 */
function defaultOrigin(firstMs: number, clock: WallClock): number {
  const day = Date.parse(`${clock.dateOf(firstMs)}T08:00:00-03:00`);
  return firstMs >= day ? day : Math.floor(firstMs / 60_000) * 60_000;
}
