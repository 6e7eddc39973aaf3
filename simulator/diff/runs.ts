/**
 * One side of a comparison: one or more report folders of the same trace (several runs of one build), read into
 * per-event arrays indexed by seq so the statistics can work across runs and events without holding EventRecords.
 */
import { InputError } from '../errors.ts';
import type { EventRecord, Report } from '../report/model.ts';
import { readEvents, readReport } from '../report/read.ts';
import { outcomeRank } from './pairs.ts';

/** One run of a side, per seq of the trace (NaN / undefined where the run did not send the event). */
export interface RunData {
  dir: string;
  report: Report;
  /** Response time (ms). */
  responseMs: Float64Array;
  /** Backend compute time (ms, events.jsonl `computeMs`), NaN when not recorded (older reports, realtime). */
  computeMs: Float64Array;
  /** Modelled time (ms): Sheets time plus waits in exact mode (`sheetsMs + waitMs`, else responseMs − computeMs). */
  modelledMs: Float64Array;
  /** `status|action_taken|bodyHash` of each event. */
  outcome: (string | undefined)[];
  rank: Int8Array;
  scenario: (string | undefined)[];
  /** Sheets calls attributed to the event (NaN when unknown). */
  calls: Float64Array;
  /** Did any event carry computeMs? */
  hasCompute: boolean;
}

export interface Side {
  runs: RunData[];
  /** The trace's event count (the arrays' length). */
  events: number;
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : NaN);

/** Read one run folder into per-seq arrays. */
export async function readRun(dir: string, report?: Report): Promise<RunData> {
  const r = report ?? (await readReport(dir));
  const n = r.trace.events;
  const run: RunData = {
    dir, report: r,
    responseMs: new Float64Array(n).fill(NaN), computeMs: new Float64Array(n).fill(NaN), modelledMs: new Float64Array(n).fill(NaN),
    outcome: new Array(n), rank: new Int8Array(n), scenario: new Array(n), calls: new Float64Array(n).fill(NaN), hasCompute: false,
  };
  for await (const e of readEvents(dir)) {
    if (e.seq < 0 || e.seq >= n) continue;
    // computeMs / sheetsMs / waitMs come with the exact-mode time model; older reports lack them.
    const x = e as EventRecord & { computeMs?: number | null; sheetsMs?: number | null; waitMs?: number | null };
    // An event the run could not send before its deadline (NOT_SENT) has no latency to compare.
    run.responseMs[e.seq] = e.error === 'NOT_SENT' ? NaN : e.responseMs;
    const compute = num(x.computeMs);
    run.computeMs[e.seq] = compute;
    if (!Number.isNaN(compute)) run.hasCompute = true;
    const sheets = num(x.sheetsMs);
    run.modelledMs[e.seq] = !Number.isNaN(sheets) ? sheets + (Number.isNaN(num(x.waitMs)) ? 0 : num(x.waitMs)) : !Number.isNaN(compute) ? e.responseMs - compute : e.responseMs;
    run.outcome[e.seq] = `${e.status ?? e.error}|${e.action_taken ?? ''}|${e.bodyHash ?? ''}`;
    run.rank[e.seq] = outcomeRank(e);
    run.scenario[e.seq] = e.scenario;
    run.calls[e.seq] = num(e.sheetsCalls);
  }
  return run;
}

/** Read every folder of a side. */
export async function readSide(dirs: string[]): Promise<Side> {
  if (dirs.length === 0) throw new InputError('a side of the comparison has no report folder');
  const runs: RunData[] = [];
  for (const d of dirs) runs.push(await readRun(d));
  return { runs, events: runs[0]!.report.trace.events };
}

/** The settings two runs must share to be compared, as `name → value` (value printed in messages). */
export function runSettings(r: Report): Record<string, string> {
  const o = r.run.options ?? {};
  const s = (v: unknown) => (v === undefined || v === null ? '—' : String(v));
  return {
    'trace sha256': r.trace.sha256,
    mode: r.run.mode,
    // exact runs record speed 1 (or 0 in old fixtures): time is virtual, the speed does not apply.
    speed: r.run.mode === 'exact' ? '—' : s(r.run.speed),
    latency: s(o.latency),
    quota: s(o.quota),
    'backend profile': s(o['backend-profile'] ?? r.run.target.backendProfile),
    shard: r.run.shard ? `${r.run.shard.index}/${r.run.shard.count}` : '—',
  };
}

/**
 * Why these runs cannot be compared, or null: every run of both sides must share the trace and the settings that
 * change what is measured (mode, speed, latency model, quota, backend profile). `force` accepts all but the trace.
 */
export function incompatibility(base: Side, head: Side, force: boolean): string | null {
  const all = [...base.runs.map((r) => ({ r, side: 'base' })), ...head.runs.map((r) => ({ r, side: 'head' }))];
  const ref = runSettings(all[0]!.r.report);
  for (const { r, side } of all.slice(1)) {
    const s = runSettings(r.report);
    for (const key of Object.keys(ref)) {
      if (s[key] === ref[key]) continue;
      if (key !== 'trace sha256' && force) continue;
      const what = key === 'trace sha256' ? 'replayed different traces' : `were made with different ${key}`;
      return `the runs ${what}: ${all[0]!.r.dir} has ${key} ${ref[key]}${key === 'trace sha256' ? ` (${all[0]!.r.report.trace.path})` : ''}, ${side} ${r.dir} has ${s[key]}${key === 'trace sha256' ? ` (${r.report.trace.path})` : ''}; ${key === 'trace sha256' ? 'diff compares runs of the same trace' : 'compare like with like, or pass --force'}`;
    }
  }
  return null;
}

/** Why a run cannot carry a verdict (interrupted, target died, marked invalid), or null. */
export function invalidRun(r: RunData): string | null {
  const validity = (r.report.run as { validity?: { valid: boolean; reasons: string[] } }).validity;
  if (validity && !validity.valid) return `${r.dir} is an invalid run: ${validity.reasons.join('; ') || 'no reason recorded'}`;
  if (r.report.run.partial) return `${r.dir} is a partial run (interrupted or its target died)`;
  return null;
}
