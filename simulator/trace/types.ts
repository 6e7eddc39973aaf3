/** The trace format v1: one header line, one line per event, one footer line (docs/trace-format.md). */

export const TRACE_FORMAT = 'sheetsim-trace';
export const TRACE_VERSION = 1;

/** `import` traces come from a production Metadata export (`sheetsim import`) and cannot be regenerated. */
export type WorkloadProfile = 'zeues' | 'locust' | 'import';

/** What the world workbook was generated from; the mock rebuilds the same workbook from it. */
export interface WorldParams {
  seed: number;
  /** Number of spools (Operaciones rows). */
  spools: number;
  /** Workers on payroll (Trabajadores rows). */
  workers: number;
  /** `YYYY-MM-DD`; the world's dates are derived from it, never from today's date. */
  startDate: string;
  /** An explicit world (imported traces): when present it replaces the seeded spools and workers. */
  snapshot?: WorldSnapshot;
}

/** One union of an explicit world, as it stands at trace time 0. */
export interface SnapshotUnion {
  /** N_UNION, 1-based. */
  n: number;
  /** Union ID as the workbook holds it (`OT-042+7`). */
  id: string;
  dn: number;
  tipo: string;
  arm: boolean;
  sold: boolean;
}

/** One spool of an explicit world; `occupiedBy` is its `Ocupado_Por` at trace time 0 (empty = free). */
export interface SnapshotSpool {
  tag: string;
  unions: SnapshotUnion[];
  occupiedBy: string;
}

/** One payroll worker of an explicit world (active, with Armador and Soldador roles). */
export interface SnapshotWorker {
  id: number;
  nombre: string;
  apellido: string;
}

/** The spools, unions and workers a trace touches, in the state they had before the trace's window. */
export interface WorldSnapshot {
  spools: SnapshotSpool[];
  workers: SnapshotWorker[];
}

/** Where an imported trace came from (`sheetsim import`), so it can be traced back and re-made. */
export interface ImportSource {
  /** The CSV file's path as given, or `sheets:<url>#<spreadsheet id>`. */
  source: string;
  /** sha256 of the CSV bytes, or of the JSON of the Sheets values response. */
  sha256: string;
  /** Epoch ms that trace time 0 stands for. */
  originMs: number;
  /** Every recorded time gap was multiplied by this. */
  scale: number;
  /** The window, epoch ms (null = open). */
  fromMs: number | null;
  toMs: number | null;
}

/** Generation parameters recorded in the header, so a trace can be regenerated and explained. */
export interface TraceParams {
  /** Concurrent virtual workers. */
  workers: number;
  durationMs: number;
  /** Share of deliberately wrong requests (zeues profile). */
  conflicts: number;
  thinkMinMs: number;
  thinkMaxMs: number;
  startDate: string;
  /** Present on imported traces (profile `import`). */
  import?: ImportSource;
}

export interface TraceHeader {
  format: typeof TRACE_FORMAT;
  version: typeof TRACE_VERSION;
  seed: number;
  profile: WorkloadProfile;
  params: TraceParams;
  world: WorldParams;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The complete HTTP request, so any backend can be driven without knowing the profile. */
export interface TraceRequest {
  method: HttpMethod;
  /** Path and query, e.g. `/api/v4/uniones/OT-042/disponibles?operacion=ARM`. */
  path: string;
  body?: unknown;
}

export type ActionTaken = 'PAUSAR' | 'COMPLETAR' | 'CANCELADO';

/** What the generator's world model predicts; a mismatch is a finding, not an error. */
export interface TraceExpect {
  status: number;
  action_taken?: ActionTaken;
}

/** The operation an event performs (the endpoint), independent of the scenario that chose it. */
export type TraceOp = 'iniciar' | 'finalizar' | 'disponibles' | 'metricas' | 'workers' | 'health' | 'spools';

export interface TraceEvent {
  seq: number;
  /** Integer milliseconds from the start of the trace. Events are sorted by (t, seq). */
  t: number;
  worker: number;
  op: TraceOp;
  /** Scenario label, e.g. `finalizar_arm_10`, `finalizar_sold_5`, `finalizar_arm_50`, `iniciar`, `disponibles_arm`, `metricas`. */
  scenario: string;
  req: TraceRequest;
  expect?: TraceExpect;
}

export interface TraceFooter {
  end: true;
  events: number;
  /** sha256 (hex) over the header line and every event line, each with its trailing newline. */
  sha256: string;
}
