/** The trace format v1: one header line, one line per event, one footer line (docs/trace-format.md). */

export const TRACE_FORMAT = 'sheetsim-trace';
export const TRACE_VERSION = 1;

export type WorkloadProfile = 'zeues' | 'locust';

/** What the world workbook was generated from; the mock rebuilds the same workbook from it. */
export interface WorldParams {
  seed: number;
  /** Number of spools (Operaciones rows). */
  spools: number;
  /** Workers on payroll (Trabajadores rows). */
  workers: number;
  /** `YYYY-MM-DD`; the world's dates are derived from it, never from today's date. */
  startDate: string;
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
