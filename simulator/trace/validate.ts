import { TraceError } from './error.ts';
import {
  type ActionTaken, type HttpMethod, TRACE_FORMAT, TRACE_VERSION, type TraceEvent, type TraceFooter, type TraceHeader,
  type TraceOp, type WorkloadProfile,
} from './types.ts';

const OPS: readonly TraceOp[] = ['iniciar', 'finalizar', 'disponibles', 'metricas', 'workers', 'health', 'spools'];
const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const ACTIONS: readonly ActionTaken[] = ['PAUSAR', 'COMPLETAR', 'CANCELADO'];
const PROFILES: readonly WorkloadProfile[] = ['zeues', 'locust'];

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Checker {
  constructor(readonly file: string, readonly line: number) {}

  fail(field: string | undefined, detail: string): never {
    throw new TraceError(this.file, this.line, field, field === undefined ? detail : `field '${field}' ${detail}`);
  }

  object(obj: Record<string, unknown>, key: string, path: string): Record<string, unknown> {
    const v = obj[key];
    if (v === undefined) this.fail(path, 'is missing');
    if (!isObject(v)) this.fail(path, `must be an object, got ${show(v)}`);
    return v;
  }

  int(obj: Record<string, unknown>, key: string, path: string, min = 0): number {
    const v = obj[key];
    if (v === undefined) this.fail(path, 'is missing');
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) {
      this.fail(path, `must be ${min === 0 ? 'a non-negative integer' : `an integer >= ${min}`}, got ${show(v)}`);
    }
    return v;
  }

  string(obj: Record<string, unknown>, key: string, path: string): string {
    const v = obj[key];
    if (v === undefined) this.fail(path, 'is missing');
    if (typeof v !== 'string' || v === '') this.fail(path, `must be a non-empty string, got ${show(v)}`);
    return v;
  }

  oneOf<T extends string>(obj: Record<string, unknown>, key: string, path: string, allowed: readonly T[]): T {
    const v = obj[key];
    if (v === undefined) this.fail(path, 'is missing');
    if (!(allowed as readonly unknown[]).includes(v)) this.fail(path, `must be one of ${allowed.join(', ')}, got ${show(v)}`);
    return v as T;
  }

  isoDate(obj: Record<string, unknown>, key: string, path: string): string {
    const v = this.string(obj, key, path);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) this.fail(path, `must be a date YYYY-MM-DD, got ${show(v)}`);
    return v;
  }
}

/** Check a parsed header line and return it typed; throws a TraceError naming the line and field. */
export function validateHeader(obj: unknown, line: number, file = 'trace'): TraceHeader {
  const c: Checker = new Checker(file, line);
  if (!isObject(obj)) c.fail(undefined, `the header must be a JSON object, got ${show(obj)}`);
  if (obj.format !== TRACE_FORMAT) c.fail('format', `must be "${TRACE_FORMAT}", got ${show(obj.format)} (is this a sheetsim trace?)`);
  if (obj.version !== TRACE_VERSION) c.fail('version', `must be ${TRACE_VERSION} (this sheetsim reads trace format v${TRACE_VERSION}), got ${show(obj.version)}`);
  const seed = c.int(obj, 'seed', 'seed');
  const profile = c.oneOf(obj, 'profile', 'profile', PROFILES);
  const p = c.object(obj, 'params', 'params');
  const params = {
    workers: c.int(p, 'workers', 'params.workers', 1),
    durationMs: c.int(p, 'durationMs', 'params.durationMs', 1),
    conflicts: (() => {
      const v = p.conflicts;
      if (typeof v !== 'number' || !(v >= 0 && v <= 1)) c.fail('params.conflicts', `must be a number between 0 and 1, got ${show(v)}`);
      return v;
    })(),
    thinkMinMs: c.int(p, 'thinkMinMs', 'params.thinkMinMs'),
    thinkMaxMs: c.int(p, 'thinkMaxMs', 'params.thinkMaxMs'),
    startDate: c.isoDate(p, 'startDate', 'params.startDate'),
  };
  if (params.thinkMaxMs < params.thinkMinMs) c.fail('params.thinkMaxMs', `must be >= params.thinkMinMs (${params.thinkMinMs}), got ${params.thinkMaxMs}`);
  const w = c.object(obj, 'world', 'world');
  const world = {
    seed: c.int(w, 'seed', 'world.seed'),
    spools: c.int(w, 'spools', 'world.spools', 1),
    workers: c.int(w, 'workers', 'world.workers', 1),
    startDate: c.isoDate(w, 'startDate', 'world.startDate'),
  };
  return { format: TRACE_FORMAT, version: TRACE_VERSION, seed, profile, params, world };
}

/**
 * Check one parsed event line and return it typed (the replayer reuses this). Ordering against the previous event
 * (`seq` increasing, `t` non-decreasing) is the reader's job, since it needs the previous line.
 */
export function validateEvent(obj: unknown, line: number, file = 'trace'): TraceEvent {
  const c: Checker = new Checker(file, line);
  if (!isObject(obj)) c.fail(undefined, `an event must be a JSON object, got ${show(obj)}`);
  const seq = c.int(obj, 'seq', 'seq');
  const t = c.int(obj, 't', 't');
  const worker = c.int(obj, 'worker', 'worker', 1);
  const op = c.oneOf(obj, 'op', 'op', OPS);
  const scenario = c.string(obj, 'scenario', 'scenario');
  const r = c.object(obj, 'req', 'req');
  const method = c.oneOf(r, 'method', 'req.method', METHODS);
  const path = c.string(r, 'path', 'req.path');
  if (path[0] !== '/') c.fail('req.path', `must start with '/', got ${show(path)}`);
  const event: TraceEvent = { seq, t, worker, op, scenario, req: r.body === undefined ? { method, path } : { method, path, body: r.body } };
  if (obj.expect !== undefined) {
    const x = c.object(obj, 'expect', 'expect');
    const status = c.int(x, 'status', 'expect.status', 100);
    if (status > 599) c.fail('expect.status', `must be an HTTP status 100..599, got ${status}`);
    event.expect = x.action_taken === undefined
      ? { status }
      : { status, action_taken: c.oneOf(x, 'action_taken', 'expect.action_taken', ACTIONS) };
  }
  return event;
}

/** Check a parsed footer line and return it typed. */
export function validateFooter(obj: unknown, line: number, file = 'trace'): TraceFooter {
  const c: Checker = new Checker(file, line);
  if (!isObject(obj) || obj.end !== true) c.fail('end', `must be true in the footer, got ${show(isObject(obj) ? obj.end : obj)}`);
  const events = c.int(obj, 'events', 'events');
  const sha256 = c.string(obj, 'sha256', 'sha256');
  if (!/^[0-9a-f]{64}$/.test(sha256)) c.fail('sha256', `must be 64 lower-case hex digits, got ${show(sha256)}`);
  return { end: true, events, sha256 };
}

/** True when a parsed line is the footer (it carries `end`). */
export function isFooter(obj: unknown): boolean {
  return isObject(obj) && 'end' in obj;
}
