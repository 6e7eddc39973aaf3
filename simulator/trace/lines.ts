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

/** One event line (without its newline), identical to JSON.stringify of {seq, t, worker, op, scenario,
 *  req: {method, path, body?}, expect?}. The reference for line-encoder.ts, which the writers use instead. */
export function eventLine(e: TraceEvent): string {
  const q = JSON.stringify;
  let line = `{"seq":${q(e.seq)},"t":${q(e.t)},"worker":${q(e.worker)},"op":${q(e.op)},"scenario":${q(e.scenario)},"req":{"method":${q(e.req.method)},"path":${q(e.req.path)}`;
  if (e.req.body !== undefined) line += `,"body":${q(e.req.body)}`;
  line += '}';
  if (e.expect) {
    line += `,"expect":{"status":${q(e.expect.status)}`;
    if (e.expect.action_taken !== undefined) line += `,"action_taken":${q(e.expect.action_taken)}`;
    line += '}';
  }
  return line + '}';
}

/** The footer line (without its newline). */
export function footerLine(f: TraceFooter): string {
  return JSON.stringify({ end: true, events: f.events, sha256: f.sha256 });
}
