/**
 * Getting a run ready: the trace checked and opened, the target started (or reached) and fit for the mode, the
 * report folder made; then, once the run's instruments are on, the target's warm-up. A run refused here leaves
 * nothing behind.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { EnvironmentError } from '../errors.ts';
import { MemorySampler, selfRssMb } from '../metrics/memory.ts';
import { readTrace, verifyTrace, type TraceReader } from '../trace/reader.ts';
import type { TraceHeader } from '../trace/types.ts';
import type { RunConfig } from './run-config.ts';
import { runId, uniqueDir } from './run-id.ts';
import { createSheetsAdmin, type SheetsAdmin } from './sheets-admin.ts';
import { startTarget, type Target, type TargetSpec } from './targets.ts';
import { warmUp, type Warmup } from './warmup.ts';

/** A run ready to replay: its trace open, its target answering, its report folder made. */
export interface PreparedRun {
  trace: TraceReader;
  header: TraceHeader;
  /** Epoch ms of trace time 0 (traceEpochMs). */
  epochMs: number;
  startedAt: Date;
  target: Target;
  /** The run id and its report folder (made). */
  id: string;
  dir: string;
  /** sheetsim's own memory, sampled from before the target started. */
  sheetsimMemory: MemorySampler;
}

/** Epoch ms of trace time 0: 08:00 in Santiago (-03:00) on the trace's start date, as the mock's default. */
export function traceEpochMs(header: TraceHeader): number {
  const ms = Date.parse(`${header.params.startDate}T08:00:00-03:00`);
  if (!Number.isFinite(ms)) throw new Error(`trace header params.startDate: expected YYYY-MM-DD, got ${JSON.stringify(header.params.startDate)}`);
  return ms;
}

/** What to start for the run's --target choice; a mock sheetsim starts takes the trace's world and the run's clock. */
function targetSpec(cfg: RunConfig, header: TraceHeader, epochMs: number): TargetSpec {
  const mock = { world: header.world, mode: cfg.mode, speed: cfg.speed, epochMs, latency: cfg.latency, quota: cfg.quota };
  return cfg.target.kind === 'embedded'
    ? {
        kind: 'embedded',
        backendProfile: cfg.target.backendProfile,
        readyTimeoutMs: cfg.readyTimeoutMs,
        // Exact mode's replay runs in the child (embedded-exact.ts), and so does its warm-up.
        ...(cfg.mode === 'exact' ? { warmupTimeoutMs: cfg.timeoutMs } : {}),
        ...mock,
      }
    : cfg.target.kind === 'url'
      ? { kind: 'url', url: cfg.target.url, sheetsUrl: cfg.target.sheetsUrl }
      : { kind: 'command', command: cfg.target.command, cwd: resolve(cfg.cwd, cfg.target.cwd ?? '.'), env: cfg.env, readyTimeoutMs: cfg.readyTimeoutMs, targetEnv: cfg.target.targetEnv ?? [], ...mock };
}

/** Exact mode drives the mock's virtual clock: refuse a target without a mock, or a mock on a wall clock. */
async function assertExactCapable(target: { sheetsUrl: string | null }): Promise<void> {
  if (!target.sheetsUrl) throw new EnvironmentError('exact mode needs the mock Sheets API: give --sheets URL with --target');
  const admin = createSheetsAdmin(target.sheetsUrl, 10_000);
  try {
    const h = await admin.health();
    if (h.clock.mode !== 'virtual') {
      throw new EnvironmentError(`exact mode needs a mock on a virtual clock, and the one at ${target.sheetsUrl} runs on the wall clock: start it with --clock virtual`);
    }
  } finally {
    await admin.close();
  }
}

/** Open the trace, start the target and make the report folder; on failure release what was started. */
export async function prepareRun(cfg: RunConfig): Promise<PreparedRun> {
  // Refuse a truncated or edited trace before anything starts, not minutes into the run (one streaming pass:
  // about 4 s for a million events).
  await verifyTrace(resolve(cfg.cwd, cfg.tracePath), cfg.tracePath);
  const trace = await readTrace(resolve(cfg.cwd, cfg.tracePath), cfg.tracePath);
  const header = trace.header;
  // The footer promise rejects when the events are not read to the end (Ctrl-C); handled where it is awaited.
  trace.footer.catch(() => undefined);
  const epochMs = traceEpochMs(header);
  const startedAt = new Date();
  const spec = targetSpec(cfg, header, epochMs);
  const sheetsimMemory = new MemorySampler(selfRssMb, () => performance.now());
  let target: Target | null = null;
  try {
    target = await startTarget(spec);
    // The embedded target's mock runs on a virtual clock in exact mode by construction (targetSpec).
    if (cfg.mode === 'exact' && target.kind !== 'embedded') await assertExactCapable(target);
    // The folder is made once the target answers: a run refused before it starts leaves nothing behind.
    const baseId = runId(startedAt, header.profile, header.seed, cfg.mode);
    const { id, dir } = cfg.outDir ? { id: baseId, dir: resolve(cfg.cwd, cfg.outDir) } : uniqueDir(resolve(cfg.cwd, 'reports'), baseId);
    mkdirSync(dir, { recursive: true });
    return { trace, header, epochMs, startedAt, target, id, dir, sheetsimMemory };
  } catch (err) {
    sheetsimMemory.stop();
    await target?.stop().catch(() => undefined);
    await trace.close();
    throw err;
  }
}

/**
 * The target's warm-up before its replay (docs/report.md). Exact mode first resets a mock under an already
 * running backend, then warms up at trace time 0 on the virtual clock; `notes` gets what the user should know.
 */
export async function warmUpTarget(cfg: RunConfig, run: PreparedRun, admin: SheetsAdmin | null, notes: string[]): Promise<Warmup> {
  const { target, header, epochMs } = run;
  if (cfg.mode === 'realtime') return warmUp({ url: target.url, sheets: admin, virtualNowMs: null, speed: cfg.speed, timeoutMs: cfg.timeoutMs });
  if (target.warmup) return target.warmup;
  if (!admin) throw new EnvironmentError('exact mode needs the mock Sheets API (--sheets URL with --target)');
  if (cfg.target.kind === 'url') {
    // A command target started after its mock was seeded; an already running one may have cached the old workbook.
    await admin.reset(header.world.seed);
    notes.push('exact mode reset the mock under an already running --target backend: if it caches the workbook, restart it after a reset (or use --target-cmd, which starts it on a fresh mock)');
  }
  return warmUp({ url: target.url, sheets: admin, virtualNowMs: epochMs, speed: 1, timeoutMs: cfg.timeoutMs });
}
