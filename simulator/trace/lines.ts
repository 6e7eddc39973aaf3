import { jsonString, jsonValue } from './json.ts';
import type { TraceEvent, TraceFooter, TraceHeader, TraceParams, WorldParams } from './types.ts';

// Every line is JSON.stringify of an object rebuilt here with a fixed key order, so the bytes (and the hash)
// never depend on how a caller happened to build its objects.

function paramsOf(p: TraceParams): TraceParams {
  return {
    workers: p.workers, durationMs: p.durationMs, conflicts: p.conflicts,
    thinkMinMs: p.thinkMinMs, thinkMaxMs: p.thinkMaxMs, startDate: p.startDate,
  };
}

function worldOf(w: WorldParams): WorldParams {
  return { seed: w.seed, spools: w.spools, workers: w.workers, startDate: w.startDate };
}

/** The header line (without its newline). */
export function headerLine(h: TraceHeader): string {
  return JSON.stringify({
    format: h.format, version: h.version, seed: h.seed, profile: h.profile, params: paramsOf(h.params), world: worldOf(h.world),
  });
}

/** One event line (without its newline). Concatenated by hand, with output identical to JSON.stringify of
 *  {seq, t, worker, op, scenario, req: {method, path, body?}, expect?}; this is the generator's hottest function. */
export function eventLine(e: TraceEvent): string {
  const req = e.req;
  let line = `{"seq":${num(e.seq)},"t":${num(e.t)},"worker":${num(e.worker)},"op":${str(e.op)},"scenario":${str(e.scenario)},"req":{"method":${str(req.method)},"path":${str(req.path)}`;
  if (req.body !== undefined) line += `,"body":${jsonValue(req.body)}`;
  const x = e.expect;
  if (x) {
    line += x.action_taken === undefined ? `},"expect":{"status":${num(x.status)}}}` : `},"expect":{"status":${num(x.status)},"action_taken":${str(x.action_taken)}}}`;
    return line;
  }
  return `${line}}}`;
}

// The fields are typed, but a caller may still pass anything: what is not a finite number or a string goes to
// JSON.stringify, so the line is what it always was.
function num(n: number): string {
  return typeof n === 'number' && Number.isFinite(n) ? `${n}` : String(JSON.stringify(n));
}

function str(s: string): string {
  return typeof s === 'string' ? jsonString(s) : String(JSON.stringify(s));
}

/** The footer line (without its newline). */
export function footerLine(f: TraceFooter): string {
  return JSON.stringify({ end: true, events: f.events, sha256: f.sha256 });
}
