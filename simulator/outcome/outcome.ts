/**
 * What happened to one replayed event, and its events.jsonl line. Below both replay/ (which produces outcomes) and
 * metrics/ (which folds them), so neither imports the other's internals.
 */
import { hash } from 'node:crypto';
import type { CallRecord } from '../../mock-sheets/admin-types.ts';
import type { EventRecord } from '../report/model.ts';
import type { TraceEvent } from '../trace/types.ts';

/** Why a request got no HTTP answer (the replayer's HTTP driver classifies it). */
/**
 * `KEEPALIVE_CLOSED`: the server closed an idle keep-alive socket as the request was written to it (no response
 * byte; not resent). Counted apart from `ECONNRESET`, which is a connection lost on a fresh or busy socket.
 */
export type TransportError = 'ECONNREFUSED' | 'ECONNRESET' | 'KEEPALIVE_CLOSED' | 'TIMEOUT' | 'OTHER';

/**
 * Why an event has no HTTP status: a transport error, or overload — never sent before the run's deadline
 * (NOT_SENT) or still in flight at the deadline (ABANDONED).
 */
export type EventError = TransportError | 'NOT_SENT' | 'ABANDONED';

/** Errors that mean the run gave up on the event (overload), not that the target failed to answer. */
export const OVERLOAD_ERRORS: ReadonlySet<string> = new Set(['NOT_SENT', 'ABANDONED']);

/** What happened to one event; the timings mean what they mean in its events.jsonl line. */
export interface EventOutcome extends Pick<EventRecord, 'intendedMs' | 'startMs' | 'responseMs' | 'serviceMs' | 'latenessMs'> {
  /**
   * Parts of the service time (simulated ms), null where unknown: modelled Sheets latency of the event's calls,
   * the backend's waits (`x-sheetsim-wait-ms`), and the rest (the backend's compute, and in realtime its queueing).
   * Realtime fills sheets and compute once the event's calls are attributed.
   */
  sheetsMs?: number | null;
  waitMs?: number | null;
  computeMs?: number | null;
  event: TraceEvent;
  status: number | null;
  error: EventError | null;
  /** Normalised body: JSON with sorted keys, or the raw text. */
  body: string;
  action_taken: string | null;
}

/** The Sheets calls attributed to one event, folded. */
export interface EventCalls {
  count: number;
  byMethod: Record<string, number>;
  maxAppendRows: number;
  /** Summed modelled latency of the calls (simulated ms): the event's Sheets time. */
  latencyMs?: number;
  /** Summed real time the mock spent handling them (ms). */
  realMs?: number;
}

/** JSON with object keys sorted at every level, so equal values always serialise the same way. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

// Load tests repeat the same answer many times in a row (a health check, the same list): the last body's normalised
// form and hash are kept, so a repeat costs one string comparison instead of a sort-and-stringify or a sha256.
let lastText = '';
let lastNormalised = '';
let lastHashed = '';
let lastHash = '';

/** The normalised body of a response: sorted-key JSON when it parsed, else the text as is. */
export function normaliseBody(text: string, json: unknown): string {
  if (json === undefined) return text;
  // The same text parses to the same value, so it normalises the same way.
  if (text === lastText && text.length > 0) return lastNormalised;
  const normalised = stableStringify(json);
  lastText = text;
  lastNormalised = normalised;
  return normalised;
}

/** The first 16 hex digits of the body's sha256 (events.jsonl `bodyHash`). */
export function bodyHash(body: string): string {
  if (body === lastHashed && body.length > 0) return lastHash;
  // One-shot hash: a third of createHash's cost.
  const h = hash('sha256', body, 'hex').slice(0, 16);
  lastHashed = body;
  lastHash = h;
  return h;
}

/** `action_taken` of a JSON body, or null. */
export function actionTaken(json: unknown): string | null {
  if (json && typeof json === 'object' && 'action_taken' in json) {
    const a = (json as { action_taken: unknown }).action_taken;
    return typeof a === 'string' ? a : null;
  }
  return null;
}

/** Whether the outcome matches the trace's `expect` (null when the event has none). */
export function expectOk(o: EventOutcome): boolean | null {
  const ex = o.event.expect;
  if (!ex) return null;
  if (o.status !== ex.status) return false;
  if (ex.action_taken !== undefined && o.action_taken !== ex.action_taken) return false;
  return true;
}

/** Fold a list of calls into counts by method. */
export function foldCalls(calls: CallRecord[]): EventCalls {
  const byMethod: Record<string, number> = {};
  let maxAppendRows = 0;
  let latencyMs = 0;
  let realMs = 0;
  for (const c of calls) {
    byMethod[c.method] = (byMethod[c.method] ?? 0) + 1;
    if (c.method === 'values.append') maxAppendRows = Math.max(maxAppendRows, c.rows);
    latencyMs += c.latencyMs;
    realMs += c.realMs ?? 0;
  }
  return { count: calls.length, byMethod, maxAppendRows, latencyMs, realMs };
}

const BODY_LIMIT = 2048;
const round3 = (n: number): number => Math.round(n * 1000) / 1000;

/** The events.jsonl line of an outcome. */
export function toEventRecord(o: EventOutcome, calls: EventCalls | null): EventRecord {
  const hasBody = o.status !== null;
  return {
    seq: o.event.seq,
    scenario: o.event.scenario,
    op: o.event.op,
    worker: o.event.worker,
    t: o.event.t,
    intendedMs: round3(o.intendedMs),
    startMs: round3(o.startMs),
    responseMs: round3(o.responseMs),
    serviceMs: round3(o.serviceMs),
    latenessMs: round3(o.latenessMs),
    status: o.status,
    error: o.error,
    action_taken: o.action_taken,
    expectOk: expectOk(o),
    sheetsMs: o.sheetsMs === undefined || o.sheetsMs === null ? null : round3(o.sheetsMs),
    waitMs: o.waitMs === undefined || o.waitMs === null ? null : round3(o.waitMs),
    computeMs: o.computeMs === undefined || o.computeMs === null ? null : round3(o.computeMs),
    sheetsCalls: calls ? calls.count : null,
    sheetsByMethod: calls ? calls.byMethod : null,
    bodyHash: hasBody ? bodyHash(o.body) : null,
    body: hasBody ? o.body.slice(0, BODY_LIMIT) : null,
  };
}

// JSON of a number as JSON.stringify writes it (NaN and ±Infinity become null).
const num = (n: number): string => (Number.isFinite(n) ? String(n) : 'null');

/**
 * `num(round3(n))` from integers: the shortest decimal of k/1000 is k's digits with the point put back, so a
 * timing is written as two integer conversions instead of V8's double-to-shortest-string (a third of its cost; a
 * line has up to eight timings). Outside ±1e15, where that no longer holds (exponent notation, lost digits), and
 * for NaN and ±Infinity, it defers to num().
 */
export function ms3(n: number): string {
  const k = Math.round(n * 1000);
  if (!(k > -1e15 && k < 1e15)) return num(k / 1000);
  const a = k < 0 ? -k : k;
  const whole = Math.floor(a / 1000);
  let frac = a - whole * 1000;
  // -0 and values that round to it are written "0", as String(-0) is.
  const sign = k < 0 ? '-' : '';
  if (frac === 0) return `${sign}${whole}`;
  let digits = 3;
  while (frac % 10 === 0) {
    frac /= 10;
    digits -= 1;
  }
  const f = `${frac}`;
  return `${sign}${whole}.${'00'.slice(0, digits - f.length)}${f}`;
}
const numOrNull = (n: number | null | undefined): string => (n === undefined || n === null ? 'null' : ms3(n));
// The last scenario and op seen, quoted: a trace repeats a handful of them, so most lines reuse the quoted form.
let lastScenario = '';
let lastScenarioJson = '""';
let lastOp = '';
let lastOpJson = '""';

/**
 * The events.jsonl line of an outcome (without the newline): byte for byte `JSON.stringify(toEventRecord(o, calls))`,
 * written without building the record object first (at thousands of events per second the object and its
 * generic serialisation were most of the line's cost). An event whose fields are not of the usual types takes the
 * generic path, so the output is the same whatever it holds.
 */
export function eventLine(o: EventOutcome, calls: EventCalls | null): string {
  const e = o.event;
  if (
    typeof e.scenario !== 'string' || typeof e.op !== 'string' || typeof e.seq !== 'number' || typeof e.worker !== 'number' ||
    typeof e.t !== 'number' || (o.status !== null && typeof o.status !== 'number') || (o.action_taken !== null && typeof o.action_taken !== 'string') ||
    (o.error !== null && typeof o.error !== 'string') || (o.status !== null && typeof o.body !== 'string') ||
    (calls !== null && (typeof calls.count !== 'number' || typeof calls.byMethod !== 'object'))
  ) {
    return JSON.stringify(toEventRecord(o, calls));
  }
  if (e.scenario !== lastScenario) {
    lastScenario = e.scenario;
    lastScenarioJson = JSON.stringify(e.scenario);
  }
  if (e.op !== lastOp) {
    lastOp = e.op;
    lastOpJson = JSON.stringify(e.op);
  }
  const ok = expectOk(o);
  const hasBody = o.status !== null;
  return (
    `{"seq":${num(e.seq)},"scenario":${lastScenarioJson},"op":${lastOpJson},"worker":${num(e.worker)},"t":${num(e.t)}` +
    `,"intendedMs":${ms3(o.intendedMs)},"startMs":${ms3(o.startMs)},"responseMs":${ms3(o.responseMs)}` +
    `,"serviceMs":${ms3(o.serviceMs)},"latenessMs":${ms3(o.latenessMs)}` +
    `,"status":${o.status === null ? 'null' : num(o.status)},"error":${o.error === null ? 'null' : JSON.stringify(o.error)}` +
    `,"action_taken":${o.action_taken === null ? 'null' : JSON.stringify(o.action_taken)},"expectOk":${ok === null ? 'null' : ok ? 'true' : 'false'}` +
    `,"sheetsMs":${numOrNull(o.sheetsMs)},"waitMs":${numOrNull(o.waitMs)},"computeMs":${numOrNull(o.computeMs)}` +
    `,"sheetsCalls":${calls ? num(calls.count) : 'null'},"sheetsByMethod":${calls ? JSON.stringify(calls.byMethod) : 'null'}` +
    `,"bodyHash":${hasBody ? JSON.stringify(bodyHash(o.body)) : 'null'},"body":${hasBody ? JSON.stringify(o.body.slice(0, BODY_LIMIT)) : 'null'}}`
  );
}
