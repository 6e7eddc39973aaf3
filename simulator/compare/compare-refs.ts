/**
 * `sheetsim compare BASE HEAD`: check both refs out into temporary worktrees, prepare them, replay the same trace
 * with the same options against each (runs interleaved base, head, base, head…), then diff each mode. The replayer
 * and the mock are the current checkout's, so only the backend differs between the sides.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Writable } from 'node:stream';
import { InputError } from '../errors.ts';
import { type DiffOptions, diffRuns } from '../diff/compare.ts';
import type { DiffResult } from '../diff/model.ts';
import { executeRun } from '../replay/orchestrate.ts';
import { uniqueDir } from '../replay/run-id.ts';
import { prepareWorktree } from './prepare.ts';
import { type Worktree, Worktrees, repoRoot, resolveRef } from './worktrees.ts';

export type CompareMode = 'exact' | 'realtime';

export interface CompareConfig {
  cwd: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  log: Writable;
  tty: boolean;
  baseRef: string;
  headRef: string;
  /** Backend command run in each worktree; null = the ref's reference backend. */
  targetCmd: string | null;
  backendProfile: 'lean' | 'zeues';
  prepareCmd: string | null;
  modes: CompareMode[];
  runs: Record<CompareMode, number>;
  /** Absolute path of the trace. */
  tracePath: string;
  speed: number;
  latency: 'off' | 'realistic';
  quota: 'on' | 'off';
  timeoutMs: number;
  readyTimeoutMs: number;
  /** Folder for everything (absolute); default reports/compare-<stamp>-<base>-<head>. */
  outDir: string | null;
  diff: DiffOptions;
  version: string;
}

export interface CompareOutcome {
  dir: string;
  base: Worktree;
  head: Worktree;
  results: { mode: CompareMode; result: DiffResult }[];
  wallMs: number;
}

/** The backend command for a worktree: the user's, or the ref's own reference backend. */
export function targetCommand(cfg: Pick<CompareConfig, 'targetCmd' | 'backendProfile'>, wt: Worktree): string {
  if (cfg.targetCmd) return cfg.targetCmd;
  if (!existsSync(join(wt.dir, 'bin', 'sheetsim.js'))) {
    throw new InputError(`${wt.ref} (${wt.commit.slice(0, 10)}) has no bin/sheetsim.js, so no reference backend to run: pass --target-cmd with the command that starts your backend`);
  }
  return `node bin/sheetsim.js backend --profile ${cfg.backendProfile}`;
}

const stamp = (d: Date): string => d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);

/** Run the whole comparison; worktrees are removed whatever happens. */
export async function compareRefs(cfg: CompareConfig): Promise<CompareOutcome> {
  const t0 = performance.now();
  const log = (line: string) => cfg.log.write(`compare: ${line}\n`);
  const repo = repoRoot(cfg.cwd);
  const baseCommit = resolveRef(repo, cfg.baseRef);
  const headCommit = resolveRef(repo, cfg.headRef);
  const dir = cfg.outDir ?? uniqueDir(join(cfg.cwd, 'reports'), `compare-${stamp(new Date())}-${baseCommit.slice(0, 7)}-${headCommit.slice(0, 7)}`).dir;
  mkdirSync(dir, { recursive: true });
  const trees = new Worktrees(repo);
  try {
    const base = trees.add(cfg.baseRef, baseCommit, 'base');
    const head = trees.add(cfg.headRef, headCommit, 'head');
    for (const [name, wt] of [['base', base], ['head', head]] as const) {
      const how = await prepareWorktree(wt, { source: repo, prepareCmd: cfg.prepareCmd, env: cfg.env, signal: cfg.signal, log });
      log(`${name} ${wt.ref} @ ${wt.commit.slice(0, 10)} checked out in ${wt.dir} (prepared: ${how})`);
    }
    const sides = [
      { name: 'base', wt: base, command: targetCommand(cfg, base), label: sideLabel(base) },
      { name: 'head', wt: head, command: targetCommand(cfg, head), label: sideLabel(head) },
    ];
    const results: CompareOutcome['results'] = [];
    for (const mode of cfg.modes) {
      const n = cfg.runs[mode];
      const dirs: Record<string, string[]> = { base: [], head: [] };
      for (let i = 0; i < n; i++) {
        // Interleaved (base, head, base, head…): drift of the machine over time loads both sides alike.
        for (const s of sides) {
          if (cfg.signal.aborted) throw new Error('interrupted');
          const out = join(dir, `${mode}-${s.name}-${i + 1}`);
          const started = performance.now();
          log(`${mode} run ${i + 1}/${n} of ${s.name} (${s.label}) …`);
          const { report } = await executeRun({
            tracePath: cfg.tracePath, mode, speed: mode === 'exact' ? 1 : cfg.speed,
            target: { kind: 'command', command: s.command, cwd: s.wt.dir },
            latency: cfg.latency, quota: cfg.quota, timeoutMs: cfg.timeoutMs, readyTimeoutMs: cfg.readyTimeoutMs, shard: null,
            label: s.label, outDir: out, gates: null,
            options: {
              trace: cfg.tracePath, mode, speed: mode === 'exact' ? 1 : cfg.speed, target: null, sheets: null, 'target-cmd': s.command, 'target-cwd': s.wt.dir,
              // Recorded so diff's like-with-like check sees the profile both sides ran (null for a user's command).
              'backend-profile': cfg.targetCmd ? null : cfg.backendProfile,
              latency: cfg.latency, quota: cfg.quota, timeout: cfg.timeoutMs, shard: null, label: s.label,
            },
            cwd: cfg.cwd, env: cfg.env, version: cfg.version, signal: cfg.signal,
            progress: cfg.tty ? { out: cfg.log, tty: true } : null,
          });
          if (cfg.signal.aborted) throw new Error('interrupted');
          log(`${mode} run ${i + 1}/${n} of ${s.name} done in ${((performance.now() - started) / 1000).toFixed(1)} s: ${report.totals.requests} requests, p95 ${report.totals.responseTime.p95.toFixed(0)} ms, ${report.sheets.calls} Sheets calls${report.digest ? `, digest ${report.digest.slice(0, 12)}` : ''}`);
          dirs[s.name]!.push(out);
        }
      }
      results.push({ mode, result: await diffRuns(dirs.base!, dirs.head!, cfg.diff) });
    }
    return { dir, base, head, results, wallMs: performance.now() - t0 };
  } finally {
    trees.removeAll();
  }
}

/** How a side is named in titles: the ref and its commit. */
export function sideLabel(wt: Worktree): string {
  return wt.ref.toLowerCase() === wt.commit.slice(0, wt.ref.length).toLowerCase() ? wt.commit.slice(0, 10) : `${wt.ref} @ ${wt.commit.slice(0, 10)}`;
}
