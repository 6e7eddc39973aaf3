import { TraceError } from './error.ts';
import {
  type ActionTaken, type HttpMethod, TRACE_FORMAT, TRACE_VERSION, type TraceEvent, type TraceFooter, type TraceHeader,
  type TraceOp, type WorkloadProfile, type ImportSource, type WorldSnapshot,
} from './types.ts';

const OPS: readonly TraceOp[] = ['iniciar', 'finalizar', 'disponibles', 'metricas', 'workers', 'health', 'spools'];
const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const ACTIONS: readonly ActionTaken[] = ['PAUSAR', 'COMPLETAR', 'CANCELADO'];
const PROFILES: readonly WorkloadProfile[] = ['zeues', 'locust', 'import'];

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
  } as TraceHeader['params'];
  if (p.import !== undefined) params.import = importSource(c, c.object(p, 'import', 'params.import'));
  if (params.thinkMaxMs < params.thinkMinMs) c.fail('params.thinkMaxMs', `must be >= params.thinkMinMs (${params.thinkMinMs}), got ${params.thinkMaxMs}`);
  const w = c.object(obj, 'world', 'world');
  const world = {
    seed: c.int(w, 'seed', 'world.seed'),
    spools: c.int(w, 'spools', 'world.spools', 1),
    workers: c.int(w, 'workers', 'world.workers', 1),
    startDate: c.isoDate(w, 'startDate', 'world.startDate'),
  } as TraceHeader['world'];
  if (w.snapshot !== undefined) world.snapshot = worldSnapshot(c, c.object(w, 'snapshot', 'world.snapshot'), world.spools, world.workers);
  return { format: TRACE_FORMAT, version: TRACE_VERSION, seed, profile, params, world };
}

function importSource(c: Checker, i: Record<string, unknown>): ImportSource {
  const nullableInt = (key: string): number | null => (i[key] === null ? null : c.int(i, key, `params.import.${key}`));
  const scale = i.scale;
  if (typeof scale !== 'number' || !(scale > 0) || !Number.isFinite(scale)) c.fail('params.import.scale', `must be a number > 0, got ${show(scale)}`);
  return {
    source: c.string(i, 'source', 'params.import.source'),
    sha256: c.string(i, 'sha256', 'params.import.sha256'),
    originMs: c.int(i, 'originMs', 'params.import.originMs'),
    scale,
    fromMs: nullableInt('fromMs'),
    toMs: nullableInt('toMs'),
  };
}

function array(c: Checker, obj: Record<string, unknown>, key: string, path: string): unknown[] {
  const v = obj[key];
  if (!Array.isArray(v)) c.fail(path, `must be an array, got ${show(v)}`);
  return v;
}

function bool(c: Checker, obj: Record<string, unknown>, key: string, path: string): boolean {
  const v = obj[key];
  if (typeof v !== 'boolean') c.fail(path, `must be true or false, got ${show(v)}`);
  return v;
}

// The snapshot is the world an imported trace carries; its counts must agree with world.spools/workers.
function worldSnapshot(c: Checker, s: Record<string, unknown>, spools: number, workers: number): WorldSnapshot {
  const spoolList = array(c, s, 'spools', 'world.snapshot.spools');
  const workerList = array(c, s, 'workers', 'world.snapshot.workers');
  if (spoolList.length !== spools) c.fail('world.snapshot.spools', `has ${spoolList.length} spools, world.spools says ${spools}`);
  if (workerList.length !== workers) c.fail('world.snapshot.workers', `has ${workerList.length} workers, world.workers says ${workers}`);
  const item = (v: unknown, path: string): Record<string, unknown> => {
    if (!isObject(v)) c.fail(path, `must be an object, got ${show(v)}`);
    return v;
  };
  return {
    spools: spoolList.map((raw, i) => {
      const sp = item(raw, `world.snapshot.spools[${i}]`);
      const at = `world.snapshot.spools[${i}]`;
      const ocupado = sp.occupiedBy;
      if (typeof ocupado !== 'string') c.fail(`${at}.occupiedBy`, `must be a string, got ${show(ocupado)}`);
      return {
        tag: c.string(sp, 'tag', `${at}.tag`),
        unions: array(c, sp, 'unions', `${at}.unions`).map((rawU, k) => {
          const u = item(rawU, `${at}.unions[${k}]`);
          const up = `${at}.unions[${k}]`;
          if (typeof u.dn !== 'number' || !Number.isFinite(u.dn)) c.fail(`${up}.dn`, `must be a number, got ${show(u.dn)}`);
          return {
            n: c.int(u, 'n', `${up}.n`, 1), id: c.string(u, 'id', `${up}.id`), dn: u.dn, tipo: c.string(u, 'tipo', `${up}.tipo`),
            arm: bool(c, u, 'arm', `${up}.arm`), sold: bool(c, u, 'sold', `${up}.sold`),
          };
        }),
        occupiedBy: ocupado,
      };
    }),
    workers: workerList.map((raw, i) => {
      const w = item(raw, `world.snapshot.workers[${i}]`);
      const at = `world.snapshot.workers[${i}]`;
      return { id: c.int(w, 'id', `${at}.id`, 1), nombre: c.string(w, 'nombre', `${at}.nombre`), apellido: c.string(w, 'apellido', `${at}.apellido`) };
    }),
  };
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
