/**
 * From Metadata rows to a trace (pure): which request produced each audit event, when, by which worker, and the
 * world those requests need — the spools, unions and workers they touch, in the state they had when the window
 * opened. Everything the rows cannot tell is reported, never guessed silently. Rows → requests is actions.ts, the
 * world is world-at-window.ts; here: the window, the events and their predicted outcomes.
 */
import { TRACE_FORMAT, TRACE_VERSION, type ImportSource, type TraceEvent, type TraceHeader } from '../trace/types.ts';
import { WorldModel } from '../workload/model.ts';
import { generateWorld } from '../workload/world.ts';
import { type Action, type Unmapped, UnmappedLog, actionsOf } from './actions.ts';
import type { MetadataRow } from './metadata-table.ts';
import type { WallClock } from './wall-time.ts';
import { type WindowWorld, worldAtWindow } from './world-at-window.ts';

export { MAPPED_EVENT_TYPES, type Unmapped } from './actions.ts';

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

/** Build the trace from Metadata rows. */
export function planImport(rows: readonly MetadataRow[], o: ImportOptions): ImportPlan {
  const log = new UnmappedLog();
  const { sorted, before, inside } = windowOf(rows, o, log);
  const { snapshot, held, workerIds } = worldAtWindow(before, inside, log);

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
  const { predictedFailures, firstPredictedFailureLine } = predictOutcomes(header, held, events, inside);

  return {
    header,
    events,
    report: {
      rows: rows.length,
      events: events.length,
      scenarios,
      beforeWindow: before.length,
      afterWindow: sorted.length - before.length - inside.length,
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

/** The rows' requests in time order (`sorted`), split into those before the window and those inside it. */
function windowOf(rows: readonly MetadataRow[], o: ImportOptions, log: UnmappedLog) {
  const all = actionsOf(rows, o.clock, log);
  for (const a of all) if (a.kind === 'finalizar' && a.unions.length === 0) log.add('FINALIZAR row with no union ids (json union_ids missing, no union rows)', a.line);
  // Rows are appended in the order requests finished; a stable sort by time keeps that order within a second.
  const sorted = all.filter((a) => !(a.kind === 'finalizar' && a.unions.length === 0)).map((a, i) => ({ a, i }))
    .sort((x, y) => x.a.atMs - y.a.atMs || x.i - y.i).map((x) => x.a);
  const before = sorted.filter((a) => o.fromMs !== null && a.atMs < o.fromMs);
  const inside = sorted.filter((a) => (o.fromMs === null || a.atMs >= o.fromMs) && (o.toMs === null || a.atMs < o.toMs));
  if (inside.length === 0) {
    throw new Error(`nothing to import: ${rows.length} rows, ${sorted.length} mapped to requests, none inside the window`);
  }
  return { sorted, before, inside };
}

/** What the contract answers in the rebuilt world, request by request: sets each event's `expect`, counts failures. */
function predictOutcomes(header: TraceHeader, held: WindowWorld['held'], events: TraceEvent[], inside: readonly Action[]) {
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
  return { predictedFailures, firstPredictedFailureLine };
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
