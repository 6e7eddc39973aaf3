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
  /** Transport error type → count: `ECONNREFUSED`, `ECONNRESET`, `KEEPALIVE_CLOSED` (an idle keep-alive socket closed by the server as the request was written; never resent), `TIMEOUT`, `OTHER`. */
  errors: Record<string, number>;
  /** Share of events with a 2xx status, 0..1. */
  successRate: number;
  responseTime: LatencySummary;
  serviceTime: LatencySummary;
  lateness: LatencySummary;
  /** Response time by status class. */
  byStatusClass: Partial<Record<StatusClass, LatencySummary>>;
  histograms: EncodedHistograms;
  /**
   * null when the Sheets call log was not available (an external target without --sheets), or when none of the
   * scenario's events could be attributed; then its calls per operation are unknown (never shown as 0).
   */
  sheetsCalls: SheetsCallsPerOperation | null;
  /**
   * Events whose Sheets calls could not be attributed: the backend forwarded no `traceparent` and other events were in
   * flight at the call's time. `sheetsCalls` counts only the attributed ones. Absent when the call log was unavailable.
   */
  sheetsUnattributed?: number;
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
  /** Calls of this run that no event could be attributed (no traceparent, several events in flight). */
  unattributedCalls?: number;
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
  /** Replay threads of a realtime run (`--threads`); 1 in exact mode. Absent in reports written before the flag. */
  threads?: number;
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
  /** Whether the run may be judged at all (docs/report.md#validity); an invalid run's gates are not evaluated. */
  validity?: RunValidity;
  /** Whether the target kept up with the schedule (realtime; null in exact mode). */
  overload?: RunOverload | null;
  /** The replayer's own health: when its event loop lagged, lateness is the replayer's, not the target's. */
  replayer?: ReplayerHealth;
}

/** report.json `run.validity`. */
export interface RunValidity {
  valid: boolean;
  /** One line per broken rule, e.g. `target unreachable from s = 30: ECONNREFUSED ×412`. */
  reasons: string[];
  /** Transport error kind → count over the whole run (ECONNREFUSED, ECONNRESET, TIMEOUT, OTHER). */
  transportErrors: Record<string, number>;
  /** Simulated second from which the target stopped answering or its process exited, else null. */
  unreachableFromS: number | null;
}

/** report.json `run.overload`. */
export interface RunOverload {
  saturated: boolean;
  /** Simulated second from which the target could not keep up, or null. */
  fromS: number | null;
  /** Deepest backlog: events due and not answered (in flight, or waiting behind their worker's previous request). */
  maxInFlight: number;
  /** Longest lateness seen (wall ms): a due event's wait before it was sent, or the wait of one never sent. */
  maxLatenessMs: number;
  /** Events not sent by the deadline (status null, error NOT_SENT in events.jsonl); counted as failures. */
  notSent: number;
  /** Wall ms after t0 when the run stops sending: trace duration ÷ speed + the grace. */
  deadlineMs: number;
}

/** report.json `run.replayer`. */
export interface ReplayerHealth {
  /** The replayer's event-loop delay (perf_hooks.monitorEventLoopDelay), wall ms. */
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  /**
   * Share of the replay's wall time its event loop was busy (performance.eventLoopUtilization), 0–1. This and
   * `saturatedShare` are absent in reports written before they were added (the schema does not require them).
   */
  eventLoopUtilization?: number;
  /** Share of the replay's wall time in quarter-second windows where the loop was ≥ 95 % busy (saturated), 0–1. */
  saturatedShare?: number;
  /**
   * The replayer's own send lag, wall ms: how late it sent the events whose virtual worker was free when they were
   * due (none of that lateness is the target's). Absent in older reports and when no such event was sent.
   */
  sendLagP99Ms?: number;
  sendLagMaxMs?: number;
  /**
   * Wall ms the replayer spent before t = 0 warming its own hot path against a loopback server of its own (realtime
   * runs whose first second is dense, docs/report.md#the-replayers-own-health); absent when it did not.
   */
  warmupMs?: number;
  /**
   * True when the replayer itself was the bottleneck: event-loop delay p99, saturated share or send-lag p99 past the bounds in
   * docs/report.md#the-replayers-own-health. With --threads, the worst of its threads.
   */
  bottleneck: boolean;
}

/** One thing a reader should know about the run, derived by a tested rule (simulator/report/findings.ts). */
export interface Finding {
  /** Rule id, e.g. `quota-saturation`. */
  id: string;
  severity: 'critical' | 'warning' | 'info';
  /** One sentence with the figures in it. */
  text: string;
  /** The figures the text quotes, machine-readable. */
  figures: Record<string, number | string>;
  /** Fragment of the report.html element that shows it, e.g. `#chart-writes`. */
  anchor: string;
}

export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  /** sheetsim's version and the runtime's: `--reproduce` warns when Node, tz or ICU differ (runtime-versions.ts). */
  sheetsim: { version: string; node: string; tz: string; icu: string };
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
  /** What the run shows, most severe first; derived when the report is written (writeReportFiles). */
  findings: Finding[];
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
  /** HTTP status, or null on a transport error or when the run gave up on the event. */
  status: number | null;
  /** When status is null: the transport error type, `NOT_SENT` (not sent by the deadline) or `ABANDONED` (in flight at the deadline). */
  error: string | null;
  action_taken: string | null;
  /** Whether status and action matched the trace's expect (null when there was none). */
  expectOk: boolean | null;
  /** Parts of serviceMs (simulated ms, null when unknown): modelled Sheets latency of the event's calls. */
  sheetsMs?: number | null;
  /** The backend's waits (backoff, Retry-After) it reported in `x-sheetsim-wait-ms`; exact mode adds the modelled queue of a serial backend. */
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
