/** Wire types of the admin API under /__sheetsim/ that the replayer and scripts depend on. */

export type SheetsMethod =
  | 'spreadsheets.get'
  | 'spreadsheets.create'
  | 'spreadsheets.batchUpdate'
  | 'values.get'
  | 'values.batchGet'
  | 'values.update'
  | 'values.batchUpdate'
  | 'values.append'
  | 'values.clear'
  | 'values.batchClear';

/** One entry of the call log (`GET /__sheetsim/calls`). */
export interface CallRecord {
  /** Increasing integer, 1-based; pages and event attribution use it as a cursor. */
  id: number;
  /**
   * The call's instant on the mock clock (epoch ms): when it arrived (wall clock), or under the virtual clock
   * its `x-sheetsim-time` header, else its trace's cursor, else the clock (mock-sheets/call-instant.ts).
   */
  clockMs: number;
  method: SheetsMethod;
  /** 'read' or 'write' for quota purposes. */
  kind: 'read' | 'write';
  spreadsheetId: string;
  /** A1 ranges the call named (resolved form, e.g. `Metadata!A1:K22`). */
  ranges: string[];
  /** Rows and cells read or written. */
  rows: number;
  cells: number;
  quotaUser: string;
  status: number;
  /**
   * Modelled latency in simulated ms (slept ms / speed under the wall clock, only accounted under the virtual
   * clock); rejected calls (429, injected 5xx) have a small one too.
   */
  latencyMs: number;
  /** Real time the mock spent handling the call, ms (wall sleep included); lets exact mode isolate backend compute. */
  realMs?: number;
  /** Short error reason when status >= 400, e.g. `RATE_LIMIT_EXCEEDED`, `fault:503`. */
  error?: string;
  /**
   * Trace id of the W3C `traceparent` header the call carried, if any. The replayer sends one per event and a
   * backend that propagates it (the reference backend does, as OpenTelemetry-instrumented services do) lets
   * realtime runs attribute every Sheets call to its event exactly.
   */
  traceId?: string;
}

export interface CallsPage {
  calls: CallRecord[];
  /** Cursor for the next page (`?after=<next>`), or null when this page reached the end. */
  next: number | null;
}

export interface HealthResponse {
  ok: true;
  spreadsheetId: string;
  clock: ClockState;
  calls: number;
}

export interface ClockState {
  mode: 'wall' | 'virtual';
  /** Current mock time, epoch ms. */
  nowMs: number;
  /** Wall clock speed-up (quota minute = 60 s / speed). */
  speed: number;
}
