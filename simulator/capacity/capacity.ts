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
  /** The realtime run at the answer (null when skipped or the answer is 0). */
  confirmation: (CapacityPoint & { speed: number }) | null;
  wallMs: number;
}

/** Run the capacity search and the confirmation; every run's report lands under `outDir`. */
export async function findCapacity(cfg: CapacityConfig): Promise<CapacityResult> {
  const started = performance.now();
  mkdirSync(join(cfg.outDir, 'traces'), { recursive: true });
  const points = new Map<number, CapacityPoint>();
  const traceOf = async (workers: number): Promise<string> => {
    const path = join(cfg.outDir, 'traces', `w${workers}.jsonl`);
    await generateTrace({ ...defaultTraceOptions, ...cfg.trace, profile: 'zeues', workers }, path, cfg.signal);
    return path;
  };
  const run = async (workers: number, mode: 'exact' | 'realtime', speed: number, tracePath: string, outDir: string): Promise<CapacityPoint> => {
    const t0 = performance.now();
    const runCfg: RunConfig = {
      tracePath, mode, speed, target: cfg.target, latency: 'realistic', quota: 'on', timeoutMs: cfg.timeoutMs, readyTimeoutMs: cfg.readyTimeoutMs,
      shard: null, label: `capacity ${cfg.name} ${workers} workers`, outDir, gates: null,
      options: { capacity: true, workers, mode, speed, seed: cfg.trace.seed }, cwd: cfg.cwd, env: cfg.env, version: cfg.version,
      ...(cfg.signal ? { signal: cfg.signal } : {}),
    };
    const outcome = await executeRun(runCfg);
    return judgePoint(outcome.report, workers, cfg.gates, { dir: outcome.dir, wallMs: Math.round(performance.now() - t0) });
  };
  const probe = async (workers: number): Promise<boolean> => {
    if (cfg.signal?.aborted) throw new Error('interrupted');
    const p = await run(workers, 'exact', 1, await traceOf(workers), join(cfg.outDir, 'runs', `w${workers}`));
    points.set(workers, p);
    cfg.onPoint?.(p, 'exact');
    return p.pass;
  };

  let answer: number;
  let atMax: boolean;
  let probes: number[];
  let nonMonotonic: number[];
  if (cfg.sweep) {
    for (const w of cfg.sweep) await probe(w);
    ({ answer, atMax, probes, nonMonotonic } = sweepAnswer(new Map(cfg.sweep.map((w) => [w, points.get(w)!.pass]))));
  } else {
    ({ answer, atMax, probes, nonMonotonic } = await searchCapacity(probe, cfg.start, cfg.max));
  }
  const sorted = [...points.values()].sort((a, b) => a.workers - b.workers);
  const firstFailing = sorted.find((p) => !p.pass && p.workers > answer) ?? null;

  let confirmation: CapacityResult['confirmation'] = null;
  if (cfg.confirm && answer > 0) {
    const p = await run(answer, 'realtime', cfg.confirm.speed, join(cfg.outDir, 'traces', `w${answer}.jsonl`), join(cfg.outDir, 'confirm'));
    confirmation = { ...p, speed: cfg.confirm.speed };
    cfg.onPoint?.(p, 'realtime');
  }
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
    probes,
    nonMonotonic,
    confirmation,
    wallMs: Math.round(performance.now() - started),
  };
}
