import type { TraceEvent, TraceFooter, TraceHeader, TraceParams, WorldParams, WorldSnapshot } from './types.ts';

// Every line is JSON.stringify of an object rebuilt here with a fixed key order, so the bytes (and the hash)
// never depend on how a caller happened to build its objects.

function paramsOf(p: TraceParams): TraceParams {
  const out: TraceParams = {
    workers: p.workers, durationMs: p.durationMs, conflicts: p.conflicts,
    thinkMinMs: p.thinkMinMs, thinkMaxMs: p.thinkMaxMs, startDate: p.startDate,
  };
  if (p.import) {
    const i = p.import;
    out.import = { source: i.source, sha256: i.sha256, originMs: i.originMs, scale: i.scale, fromMs: i.fromMs, toMs: i.toMs };
  }
  return out;
}

function snapshotOf(s: WorldSnapshot): WorldSnapshot {
  return {
    spools: s.spools.map((sp) => ({
      tag: sp.tag,
      unions: sp.unions.map((u) => ({ n: u.n, id: u.id, dn: u.dn, tipo: u.tipo, arm: u.arm, sold: u.sold })),
      occupiedBy: sp.occupiedBy,
    })),
    workers: s.workers.map((w) => ({ id: w.id, nombre: w.nombre, apellido: w.apellido })),
  };
}

function worldOf(w: WorldParams): WorldParams {
  const out: WorldParams = { seed: w.seed, spools: w.spools, workers: w.workers, startDate: w.startDate };
  if (w.snapshot) out.snapshot = snapshotOf(w.snapshot);
  return out;
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
