/**
 * `sheetsim capacity`: the largest number of virtual workers a backend carries within the gates. Each probed
 * count is a generated trace (same seed, that many workers) replayed in exact mode through the ordinary run
 * machinery (`executeRun`), so every point is a full report folder and the whole search is deterministic for a
 * seed; the answer is then confirmed by one realtime run at `--speed`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { executeRun, type RunConfig, type TargetChoice } from '../replay/orchestrate.ts';
import type { Report } from '../report/model.ts';
import { generateTrace } from '../workload/generate.ts';
import { type TraceOptions, defaultTraceOptions } from '../workload/profiles.ts';
import { searchCapacity, sweepAnswer } from './search.ts';
import { type CapacityGates, type CapacityPoint, type Resource, judgePoint } from './verdict.ts';

export interface CapacityConfig {
  /** Embedded backend profile or a command target (a URL target cannot be reset between probes). */
  target: Extract<TargetChoice, { kind: 'embedded' } | { kind: 'command' }>;
  /** Name of the backend in the answer line (`lean`, `zeues`, or the command). */
  name: string;
  trace: Pick<TraceOptions, 'seed' | 'durationMs' | 'thinkMinMs' | 'thinkMaxMs' | 'conflicts' | 'spools' | 'payroll' | 'startDate'>;
  /** Search range, or an explicit list of counts to measure (a sweep: the answer is the largest passing count). */
  start: number;
  max: number;
  sweep: number[] | null;
  gates: CapacityGates;
  /** Realtime confirmation at the answer, or null to skip it. */
  confirm: { speed: number } | null;
  outDir: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  version: string;
  timeoutMs: number;
  readyTimeoutMs: number;
  signal?: AbortSignal;
  /** Called after every measured point (progress on stderr). */
  onPoint?: (point: CapacityPoint, mode: 'exact' | 'realtime') => void;
}

export interface CapacityResult {
  name: string;
  seed: number;
  durationMs: number;
  thinkMinMs: number;
  thinkMaxMs: number;
  gates: CapacityGates;
  /** Largest passing count (0 when none did). */
  answer: number;
  /** Every count up to the search maximum passed: the capacity is at least `answer`. */
  atMax: boolean;
  /** What gave out at the first failing count above the answer (null when none failed). */
  limitedBy: Resource | null;
  /** Every measured point, by worker count. */
  points: CapacityPoint[];
  probes: number[];
  nonMonotonic: number[];
  /**
   * The same search with the quota gates alone (no 429, success, validity; PERF-01/02 off), from the same runs:
   * what the service account's quota allows when latency is not the limit. Null when the latency gates are off.
   */
  quota: { gates: CapacityGates; answer: number; atMax: boolean; limitedBy: Resource | null; points: CapacityPoint[] } | null;
  /** The realtime run at the answer (at the quota answer, under the quota gates, when no count passed them all). */
  confirmation: (CapacityPoint & { speed: number; gatesKind: 'all' | 'quota' }) | null;
  wallMs: number;
}

/** Run the capacity search and the confirmation; every run's report lands under `outDir`. */
export async function findCapacity(cfg: CapacityConfig): Promise<CapacityResult> {
  const started = performance.now();
  mkdirSync(join(cfg.outDir, 'traces'), { recursive: true });
  const runs = new Map<number, { report: Report; dir: string; wallMs: number }>();
  const traceOf = async (workers: number): Promise<string> => {
    const path = join(cfg.outDir, 'traces', `w${workers}.jsonl`);
    await generateTrace({ ...defaultTraceOptions, ...cfg.trace, profile: 'zeues', workers }, path, cfg.signal);
    return path;
  };
  const run = async (workers: number, mode: 'exact' | 'realtime', speed: number, tracePath: string, outDir: string) => {
    const t0 = performance.now();
    const runCfg: RunConfig = {
      tracePath, mode, speed, target: cfg.target, latency: 'realistic', quota: 'on', timeoutMs: cfg.timeoutMs, readyTimeoutMs: cfg.readyTimeoutMs,
      shard: null, label: `capacity ${cfg.name} ${workers} workers`, outDir, gates: null,
      options: { capacity: true, workers, mode, speed, seed: cfg.trace.seed }, cwd: cfg.cwd, env: cfg.env, version: cfg.version,
      ...(cfg.signal ? { signal: cfg.signal } : {}),
    };
    const outcome = await executeRun(runCfg);
    return { report: outcome.report, dir: outcome.dir, wallMs: Math.round(performance.now() - t0) };
  };
  // One exact run per count, judged under any set of gates (the quota-only search reuses the runs it shares).
  const measured = async (workers: number) => {
    let r = runs.get(workers);
    if (!r) {
      if (cfg.signal?.aborted) throw new Error('interrupted');
      r = await run(workers, 'exact', 1, await traceOf(workers), join(cfg.outDir, 'runs', `w${workers}`));
      runs.set(workers, r);
      cfg.onPoint?.(judgePoint(r.report, workers, cfg.gates, r), 'exact');
    }
    return r;
  };
  const search = async (gates: CapacityGates) => {
    const probe = async (w: number) => {
      const r = await measured(w);
      return judgePoint(r.report, w, gates, r).pass;
    };
    if (!cfg.sweep) return searchCapacity(probe, cfg.start, cfg.max);
    const results = new Map<number, boolean>();
    for (const w of cfg.sweep) results.set(w, await probe(w));
    return sweepAnswer(results);
  };
  const judgeAll = (gates: CapacityGates) => [...runs.entries()].sort(([a], [b]) => a - b).map(([w, r]) => judgePoint(r.report, w, gates, r));
  const firstFailAbove = (points: CapacityPoint[], answer: number) => points.find((p) => !p.pass && p.workers > answer) ?? null;

  const main = await search(cfg.gates);
  const latencyGated = cfg.gates.perf01Ms !== null || cfg.gates.perf02Ms !== null;
  const quotaGates: CapacityGates = { ...cfg.gates, perf01Ms: null, perf02Ms: null };
  const quotaSearch = latencyGated ? await search(quotaGates) : null;
  const sorted = judgeAll(cfg.gates);
  const quotaPoints = quotaSearch ? judgeAll(quotaGates) : [];
  const { answer, atMax, probes, nonMonotonic } = main;

  let confirmation: CapacityResult['confirmation'] = null;
  const confirmAt = answer > 0 ? { workers: answer, gates: cfg.gates, kind: 'all' as const } : quotaSearch && quotaSearch.answer > 0 ? { workers: quotaSearch.answer, gates: quotaGates, kind: 'quota' as const } : null;
  if (cfg.confirm && confirmAt) {
    const r = await run(confirmAt.workers, 'realtime', cfg.confirm.speed, join(cfg.outDir, 'traces', `w${confirmAt.workers}.jsonl`), join(cfg.outDir, 'confirm'));
    const p = judgePoint(r.report, confirmAt.workers, confirmAt.gates, r);
    confirmation = { ...p, speed: cfg.confirm.speed, gatesKind: confirmAt.kind };
    cfg.onPoint?.(p, 'realtime');
  }
  const firstFailing = firstFailAbove(sorted, answer);
  return {
    name: cfg.name,
    seed: cfg.trace.seed,
    durationMs: cfg.trace.durationMs,
    thinkMinMs: cfg.trace.thinkMinMs,
    thinkMaxMs: cfg.trace.thinkMaxMs,
    gates: cfg.gates,
    answer,
    atMax,
    limitedBy: firstFailing?.limitedBy ?? null,
    points: sorted,
    probes: [...new Set([...probes, ...(quotaSearch?.probes ?? [])])],
    nonMonotonic,
    quota: quotaSearch
      ? { gates: quotaGates, answer: quotaSearch.answer, atMax: quotaSearch.atMax, limitedBy: firstFailAbove(quotaPoints, quotaSearch.answer)?.limitedBy ?? null, points: quotaPoints }
      : null,
    confirmation,
    wallMs: Math.round(performance.now() - started),
  };
}
