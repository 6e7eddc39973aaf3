/**
 * The report model: what `sheetsim run` writes to reports/<run-id>/report.json and what every renderer
 * (terminal, JSON, CSV, HTML), the PERF gates and `sheetsim diff` read. Documented in docs/report.md,
 * validated by docs/report.schema.json. All times are milliseconds unless a field name says otherwise.
 */

import type { TraceHeader } from '../trace/types.ts';

export const REPORT_SCHEMA_VERSION = 2;

/** Summary of one HDR histogram. Values in ms (recorded in microseconds, reported with 3 decimals). */
export interface LatencySummary {
  count: number;
  mean: number;
  stddev: number;
  min: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
}

/** HDR histograms, encoded with hdr-histogram-js `encodeIntoCompressedBase64` (values in microseconds). */
export interface EncodedHistograms {
  responseTime: string;
  serviceTime: string;
  lateness: string;
}

export interface SheetsCallsPerOperation {
  /** Mean Sheets calls per event of this scenario (attributed from the mock's call log). */
  mean: number;
  max: number;
  total: number;
  /** Google method name → calls, e.g. `values.append`. */
  byMethod: Record<string, number>;
  /** Largest number of rows written by one values.append made for this scenario (PERF-04). */
  maxAppendRows: number;
}

export type StatusClass = '2xx' | '3xx' | '4xx' | '5xx' | 'error';

/** Summary of one part of the service time over a scenario's events (ms). */
export interface PartSummary {
  mean: number;
  p50: number;
  p95: number;
  max: number;
}

/**
 * Where a scenario's service time went: modelled Sheets latency of its calls, the backend's reported waits
 * (backoff, Retry-After) and the rest (compute; in realtime also queueing inside the backend).
 */
export interface ResponseParts {
  sheets: PartSummary;
  waits: PartSummary;
  compute: PartSummary;
}

export interface ScenarioReport {
  /** Events of this scenario that were sent. */
  count: number;
  /** HTTP status → count; transport failures are keyed `error`. */
  statuses: Record<string, number>;
  /** Transport error type → count: `ECONNREFUSED`, `ECONNRESET`, `TIMEOUT`, `OTHER`. */
  errors: Record<string, number>;
  /** Share of events with a 2xx status, 0..1. */
  successRate: number;
  responseTime: LatencySummary;
  serviceTime: LatencySummary;
  lateness: LatencySummary;
  /** Response time by status class. */
  byStatusClass: Partial<Record<StatusClass, LatencySummary>>;
  histograms: EncodedHistograms;
  /** null when the Sheets call log was not available (an external target without --sheets). */
  sheetsCalls: SheetsCallsPerOperation | null;
  /** Events whose status or action_taken differed from the trace's `expect`. */
  expectMismatches: number;
  /** Parts of the service time; null when no event's Sheets time is known. */
  responseParts?: ResponseParts | null;
}

export interface RateWindow {
  /** Highest count in any sliding 60 s window of simulated time. */
  peakPerMinute: number;
  /** Total divided by simulated minutes. */
  meanPerMinute: number;
  total: number;
}

export interface SheetsReport {
  /** False when the call log could not be read; the fields below are then zero. */
  available: boolean;
  calls: number;
  /** Google method name → {count, errors (status >= 400), status429}. */
  byMethod: Record<string, { count: number; errors: number; status429: number }>;
  reads: RateWindow;
  /**
   * ATTEMPTED writes: every write call the mock received, 429'd ones included — the demand the backend puts on
   * Sheets. PERF-05 reads this one: admitted writes can never exceed the quota, so they cannot tell a backend
   * needing 400 writes/min from one needing 61.
   */
  writes: RateWindow;
  /** Admitted writes: the calls the quota counted (served, 2xx). What Google's per-minute quota sees. */
  writesAdmitted?: RateWindow;
  /** Admitted reads (served, 2xx). */
  readsAdmitted?: RateWindow;
  /** Per-user per-minute quota the utilisation is measured against (60). */
  quotaPerMinute: number;
  /** peakPerMinute / quotaPerMinute, 0..n. */
  writeUtilisation: number;
  readUtilisation: number;
  /** 10 s windows with more than 20 Sheets requests. */
  bursts: number;
  /** 429s the mock answered. */
  status429: number;
  /** Largest values.append in rows (PERF-04). */
  maxAppendRows: number;
}

export interface MemorySample {
  /** Seconds since the run started (wall). */
  s: number;
  rssMb: number;
}

export interface MemoryReport {
  baselineMb: number;
  peakMb: number;
  increaseMb: number;
  samples: MemorySample[];
}

/** One second of simulated (trace) time. */
export interface TimelinePoint {
  /** Simulated second since the trace start. */
  s: number;
  requests: number;
  errors: number;
  /** p95 response time of the requests intended in this second, ms (0 when none). */
  p95: number;
  statusClasses: Partial<Record<StatusClass, number>>;
  /** Write calls attempted in this second (429'd included). */
  sheetsWrites: number;
  sheetsReads: number;
  /** Write and read calls admitted (served) in this second: what the quota counted. */
  sheetsWritesAdmitted?: number;
  sheetsReadsAdmitted?: number;
  status429: number;
}

export interface ExpectMismatch {
  seq: number;
  scenario: string;
  expected: { status: number; action_taken?: string };
  actual: { status: number | null; action_taken?: string | null };
}

export interface GateResult {
  /** `PERF-01` … */
  id: string;
  description: string;
  value: number | null;
  threshold: number;
  /** How value is compared with threshold: `<`, `<=`. */
  comparator: '<' | '<=';
  unit: string;
  pass: boolean;
  /** Why value is null, or what the value measures. */
  note?: string;
}

export type TargetKind = 'embedded' | 'url' | 'command';

export interface RunInfo {
  /** Folder name under reports/, e.g. `20261126-203000-zeues-seed42-realtime`. */
  id: string;
  mode: 'realtime' | 'exact';
  /** Wall-clock ISO start; not part of any digest. */
  startedAt: string;
  /** Wall-clock duration of the replay. */
  wallDurationMs: number;
  /** Simulated time covered from trace t = 0: realtime, the later of the last event's t and the last response; exact, the virtual end of the last event. */
  simulatedDurationMs: number;
  speed: number;
  /**
   * The explicit warm-up before trace t = 0 (one `GET /api/health`): simulated ms, Sheets calls, status. Not part
   * of the experiment: its calls are in no rate, quota minute or scenario. null when none was sent (merged reports).
   */
  warmup?: { ms: number; sheetsCalls: number; status: number | null } | null;
  /**
   * True when the target's own clock, backoff and cache TTLs run at --speed (the embedded reference backend);
   * null when unknown (an external or command target).
   */
  targetTimersScaled?: boolean | null;
  /** True when the run was interrupted (Ctrl-C) or its target died. */
  partial: boolean;
  shard: { index: number; count: number } | null;
  /** Reports merged into this one (`sheetsim merge`). */
  mergedFrom?: string[];
  label: string | null;
  target: {
    kind: TargetKind;
    url: string | null;
    sheetsUrl: string | null;
    command: string | null;
    backendProfile: string | null;
    /** Git commit of the target (its checkout for --target-cmd) or null. */
    commit: string | null;
  };
  /** The flags the run was started with, so `--reproduce` can repeat it. */
  options: Record<string, string | number | boolean | null>;
}

export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  sheetsim: { version: string; node: string };
  run: RunInfo;
  trace: { path: string; sha256: string; events: number; header: TraceHeader };
  /** Outcome digest (exact mode only): sha256 over statuses, normalised bodies, Sheets calls and the final workbook. */
  digest: string | null;
  /** Final workbook digest from the mock (exact mode), or null. */
  workbookDigest: string | null;
  totals: {
    requests: number;
    ok: number;
    failed: number;
    successRate: number;
    responseTime: LatencySummary;
    serviceTime: LatencySummary;
    lateness: LatencySummary;
    histograms: EncodedHistograms;
    statuses: Record<string, number>;
    errors: Record<string, number>;
  };
  /** Keyed by scenario name (`finalizar_arm_10`, `iniciar`, ...). */
  scenarios: Record<string, ScenarioReport>;
  sheets: SheetsReport;
  expectations: { checked: number; mismatches: number; examples: ExpectMismatch[] };
  memory: { target: MemoryReport | null; sheetsim: MemoryReport };
  timeline: TimelinePoint[];
  /** Filled by the PERF gates (empty with --no-gates). */
  gates: GateResult[];
}

/** One line of events.jsonl. */
export interface EventRecord {
  seq: number;
  scenario: string;
  op: string;
  worker: number;
  /** Trace time of the event (ms). */
  t: number;
  /** Intended and actual send, ms since the run's t0 (realtime: wall; exact: virtual). */
  intendedMs: number;
  startMs: number;
  responseMs: number;
  serviceMs: number;
  latenessMs: number;
  /** HTTP status, or null on a transport error. */
  status: number | null;
  /** Transport error type when status is null. */
  error: string | null;
  action_taken: string | null;
  /** Whether status and action matched the trace's expect (null when there was none). */
  expectOk: boolean | null;
  /** Parts of serviceMs (simulated ms, null when unknown): modelled Sheets latency of the event's calls. */
  sheetsMs?: number | null;
  /** The backend's waits (backoff, Retry-After) it reported in `x-sheetsim-wait-ms`. */
  waitMs?: number | null;
  /** The rest: the backend's compute (exact: measured, wall); in realtime also its queueing. */
  computeMs?: number | null;
  /** Sheets calls attributed to this event (null when the call log is unavailable or, in realtime, overlapping). */
  sheetsCalls: number | null;
  sheetsByMethod: Record<string, number> | null;
  /** sha256 (hex, first 16) of the normalised response body. */
  bodyHash: string | null;
  /** The response body, normalised, cut at 2 KB (for the diff's first divergent event). */
  body: string | null;
}
