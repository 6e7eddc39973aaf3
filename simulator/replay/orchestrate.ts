/**
 * One `sheetsim run`: open the trace, start the target, replay in the chosen mode, sample memory, and write
 * reports/<run-id>/ (report.json and the files rendered from it, events.jsonl). The CLI only parses flags.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { MemorySampler, selfRssMb } from '../metrics/memory.ts';
import { buildReport } from '../metrics/report-builder.ts';
import { RunMetrics } from '../metrics/run-metrics.ts';
import { evaluateGates, type GateConfig } from '../report/gates.ts';
import type { Report, RunInfo, RunOverload } from '../report/model.ts';
import { writeReportFiles } from '../report/write.ts';
import { peekFooter } from '../trace/peek-footer.ts';
import { readTrace, verifyTrace } from '../trace/reader.ts';
import type { TraceEvent, TraceHeader } from '../trace/types.ts';
import { worldSpreadsheetId } from '../workload/world.ts';
import { EventsWriter } from './events-writer.ts';
import { checkBackendClock, clockNote } from './clock-check.ts';
import { runExact } from './exact.ts';
import { toEventRecord } from '../outcome/outcome.ts';
import { ProgressReporter } from './progress.ts';
import { type RealtimeOptions, runRealtime } from './realtime.ts';
import { runThreaded } from './threads.ts';
import { warmUp, type Warmup } from './warmup.ts';
import { runId, uniqueDir } from './run-id.ts';
import { EnvironmentError } from '../errors.ts';
import { createSheetsAdmin, type SheetsAdmin } from './sheets-admin.ts';
import type { TargetEnvEntry } from './target-env.ts';
import { answers, startTarget, type TargetSpec } from './targets.ts';
import { DEFAULT_OVERLOAD_RULES, OverloadDetector, overloadSummary } from './overload.ts';
import { guardTarget } from './target-guard.ts';
import { watchEventLoop } from './replayer-health.ts';
import { runDeadlineMs } from './schedule.ts';
import { DEFAULT_VALIDITY_RULES, TargetWatch, type ValidityRules } from './validity.ts';

export type TargetChoice =
  | { kind: 'embedded'; backendProfile: 'lean' | 'zeues' }
  | { kind: 'url'; url: string; sheetsUrl: string | null }
  /** `cwd`: the folder the command runs in and whose git commit the report records (default: the run's cwd). */
  | { kind: 'command'; command: string; targetEnv?: TargetEnvEntry[]; cwd?: string };

export interface RunConfig {
  tracePath: string;
  mode: 'realtime' | 'exact';
  speed: number;
  target: TargetChoice;
  latency: 'off' | 'realistic';
  quota: 'on' | 'off';
  timeoutMs: number;
  /** How long a command target gets to answer /api/health. */
  readyTimeoutMs: number;
  shard: { index: number; count: number } | null;
  label: string | null;
  /** Report folder; default reports/<run-id> under cwd. */
  outDir: string | null;
  /** null = no gates. */
  gates: GateConfig | null;
  /** The flags, recorded for --reproduce. */
  options: Record<string, string | number | boolean | null>;
  cwd: string;
  env: NodeJS.ProcessEnv;
  version: string;
  signal?: AbortSignal;
  /** Where live progress goes (stderr keeps stdout for the summary and the contract lines). */
  progress?: { out: Writable; tty: boolean } | null;
  /** Ctrl-C grace for requests in flight (ms). */
  graceMs?: number;
  /** When a run may be judged at all (default DEFAULT_VALIDITY_RULES). */
  validity?: ValidityRules;
  /** Overload bound: a due event waiting longer than this (wall ms) is behind (default 5000). */
  maxLatenessMs?: number;
  /** Realtime deadline = trace duration ÷ speed + this grace (wall ms; default DEFAULT_DEADLINE_GRACE_MS). */
  deadlineGraceMs?: number;
  /** Realtime replay threads (`--threads`; default 1, the single-thread replayer). Exact mode uses one. */
  threads?: number;
}

/** Default grace after the trace's last event before a realtime run stops: long enough for a request at the default 30 s timeout. */
export const DEFAULT_DEADLINE_GRACE_MS = 30_000;

export interface RunOutcome {
  report: Report;
  dir: string;
  /** Things the user should know that the report has no field for (a dead target, an unreadable call log). */
  notes: string[];
}

/** Epoch ms of trace time 0: 08:00 in Santiago (-03:00) on the trace's start date, as the mock's default. */
export function traceEpochMs(header: TraceHeader): number {
  const ms = Date.parse(`${header.params.startDate}T08:00:00-03:00`);
  if (!Number.isFinite(ms)) throw new Error(`trace header params.startDate: expected YYYY-MM-DD, got ${JSON.stringify(header.params.startDate)}`);
  return ms;
}

async function* shardEvents(events: AsyncIterable<TraceEvent>, shard: RunConfig['shard']): AsyncGenerator<TraceEvent> {
  for await (const e of events) if (!shard || e.worker % shard.count === shard.index) yield e;
}

/** What the terminal and report say about an external target's own timers at --speed N. */
export function unscaledTimersNote(speed: number): string {
  return (
    `the target is not sheetsim's embedded backend: its own timers (backoff, Retry-After waits, cache TTLs, its clock) ` +
    `are not known to run at --speed ${speed}. Sheets latency and the quota minute are scaled; a wait of 1 s in the ` +
    `target lasts ${speed} simulated seconds, so where it waits or caches by time its per-minute Sheets rates read low ` +
    `(up to ${speed}x) and its 429s differ from a x1 run. Compare such a target at --speed 1 or in --mode exact.`
  );
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

/** Run one replay and write its report folder. */
export async function executeRun(cfg: RunConfig): Promise<RunOutcome> {
  // Refuse a truncated or edited trace before anything starts, not minutes into the run (one streaming pass:
  // about 4 s for a million events).
  await verifyTrace(resolve(cfg.cwd, cfg.tracePath), cfg.tracePath);
  const trace = await readTrace(resolve(cfg.cwd, cfg.tracePath), cfg.tracePath);
  const header = trace.header;
  // The footer promise rejects when the events are not read to the end (Ctrl-C); handled where it is awaited.
  trace.footer.catch(() => undefined);
  const epochMs = traceEpochMs(header);
  const startedAt = new Date();

  const mock = { world: header.world, mode: cfg.mode, speed: cfg.speed, epochMs, latency: cfg.latency, quota: cfg.quota };
  const spec: TargetSpec =
    cfg.target.kind === 'embedded'
      ? { kind: 'embedded', backendProfile: cfg.target.backendProfile, readyTimeoutMs: cfg.readyTimeoutMs, ...mock }
      : cfg.target.kind === 'url'
        ? { kind: 'url', url: cfg.target.url, sheetsUrl: cfg.target.sheetsUrl }
        : { kind: 'command', command: cfg.target.command, cwd: resolve(cfg.cwd, cfg.target.cwd ?? '.'), env: cfg.env, readyTimeoutMs: cfg.readyTimeoutMs, targetEnv: cfg.target.targetEnv ?? [], ...mock };
  const sheetsimMemory = new MemorySampler(selfRssMb, () => performance.now());
  let target;
  try {
    target = await startTarget(spec);
  } catch (err) {
    sheetsimMemory.stop();
    await trace.close();
    throw err;
  }
  if (cfg.mode === 'exact') {
    try {
      await assertExactCapable(target);
    } catch (err) {
      sheetsimMemory.stop();
      await target.stop().catch(() => undefined);
      await trace.close();
      throw err;
    }
  }
  // The folder is made once the target answers: a run refused before it starts leaves nothing behind.
  const baseId = runId(startedAt, header.profile, header.seed, cfg.mode);
  const { id, dir } = cfg.outDir ? { id: baseId, dir: resolve(cfg.cwd, cfg.outDir) } : uniqueDir(resolve(cfg.cwd, 'reports'), baseId);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    sheetsimMemory.stop();
    await target.stop().catch(() => undefined);
    await trace.close();
    throw err;
  }
  const targetMemory = target.rssMb ? new MemorySampler(target.rssMb, () => performance.now()) : null;
  let admin: SheetsAdmin | null = target.sheetsUrl ? createSheetsAdmin(target.sheetsUrl, cfg.timeoutMs) : null;
  const metrics = new RunMetrics();
  const writer = new EventsWriter(resolve(dir, 'events.jsonl'));
  const onEvent: Parameters<typeof runRealtime>[0]['onEvent'] = (o, calls) => writer.write(toEventRecord(o, calls));
  const durationMs = Math.max(1, header.params.durationMs);
  const rules = cfg.validity ?? DEFAULT_VALIDITY_RULES;
  const watch = new TargetWatch(rules);
  const overload = new OverloadDetector({ ...DEFAULT_OVERLOAD_RULES, maxLatenessMs: cfg.maxLatenessMs ?? DEFAULT_OVERLOAD_RULES.maxLatenessMs, minBacklog: header.params.workers });
  const deadlineMs = runDeadlineMs(durationMs, cfg.speed, cfg.deadlineGraceMs ?? DEFAULT_DEADLINE_GRACE_MS);
  const eventLoop = watchEventLoop();
  let wallStart = performance.now();
  let lastT = 0;
  let replayDone = false;
  const progress = cfg.progress
    ? new ProgressReporter(cfg.progress.out, cfg.progress.tty, () => {
        const elapsedMs = performance.now() - wallStart;
        const o = overload.current;
        return {
          done: metrics.total.count,
          fraction: cfg.mode === 'realtime' ? (elapsedMs * cfg.speed) / durationMs : lastT / durationMs,
          elapsedMs,
          p95Ms: metrics.total.response.getValueAtPercentile(95) / 1000,
          errors: metrics.errorCount,
          status429: metrics.status429Count,
          pending: !replayDone,
          ...(cfg.mode === 'realtime' ? { deadlineMs } : {}),
          saturated: o.saturated ? { fromS: o.fromS ?? 0, inFlight: o.backlog } : null,
          unreachableFromS: watch.unreachable?.fromS ?? null,
        };
      })
    : null;
  const events = (async function* () {
    for await (const e of shardEvents(trace.events, cfg.shard)) {
      lastT = e.t;
      yield e;
    }
  })();

  let digest: string | null = null;
  let workbookDigest: string | null = null;
  let interrupted = false;
  let sheetsAvailable = admin !== null;
  let simulatedDurationMs = 0;
  let wallDurationMs = 0;
  let warmup: Warmup | null = null;
  let stoppedUnreachable = false;
  let overloadReport: RunOverload | null = null;
  const notes: string[] = [];
  // Only the embedded reference backend is known to run its clock, backoff and cache TTLs at --speed.
  const targetTimersScaled = cfg.target.kind === 'embedded' ? true : null;
  if (cfg.mode === 'realtime' && cfg.speed !== 1 && targetTimersScaled === null) notes.push(unscaledTimersNote(cfg.speed));
  progress?.start();
  try {
    if (cfg.mode === 'exact') {
      if (!admin) throw new EnvironmentError('exact mode needs the mock Sheets API (--sheets URL with --target)');
      if (cfg.target.kind === 'url') {
        // A command target started after its mock was seeded; an already running one may have cached the old workbook.
        await admin.reset(header.world.seed);
        notes.push('exact mode reset the mock under an already running --target backend: if it caches the workbook, restart it after a reset (or use --target-cmd, which starts it on a fresh mock)');
      }
      warmup = await warmUp({ url: target.url, sheets: admin, virtualNowMs: epochMs, speed: 1, timeoutMs: cfg.timeoutMs });
      wallStart = performance.now(); // the warm-up is its own phase, not the replay's wall time
      // Trace t = 0: quota minute 0 starts here and the warm-up's quota use is forgotten.
      await admin.setOrigin(epochMs);
      // The embedded zeues profile serves one request at a time (KeyedMutex on one key): a single server.
      const serial = cfg.target.kind === 'embedded' && cfg.target.backendProfile === 'zeues';
      // Exact mode sends one event at a time: the guard watches each answer and stops the run the same way.
      const guard = guardTarget(watch, () => target.died(), () => lastT, cfg.signal);
      try {
        const res = await runExact({ events, url: target.url, sheets: admin, epochMs, timeoutMs: cfg.timeoutMs, metrics, onEvent: guard.watched(onEvent), serial, signal: guard.signal });
        digest = res.digest;
        workbookDigest = res.workbookDigest;
        interrupted = res.interrupted && !guard.stoppedUnreachable;
        simulatedDurationMs = res.virtualMs;
      } finally {
        guard.close();
        stoppedUnreachable = guard.stoppedUnreachable;
      }
      // sheetsim's own backend keeps the virtual clock; an external one must prove it, or its digest is withheld.
      if (target.kind !== 'embedded' && target.sheetsUrl && !interrupted && !stoppedUnreachable) {
        const endMs = epochMs + simulatedDurationMs;
        const verdict = await checkBackendClock(target.sheetsUrl, worldSpreadsheetId(header.world.seed), epochMs, endMs);
        if (verdict?.ignoresClock) {
          digest = null;
          notes.push(clockNote(verdict, epochMs, endMs));
        } else if (!verdict || verdict.ignoresClock === null) {
          notes.push('could not check that the backend keeps the virtual clock (no Metadata timestamp to read): the digest reproduces only if it takes its time from x-sheetsim-time');
        }
      }
    } else {
      warmup = await warmUp({ url: target.url, sheets: admin, virtualNowMs: null, speed: cfg.speed, timeoutMs: cfg.timeoutMs });
      wallStart = performance.now();
      const realtime: RealtimeOptions = {
        events,
        url: target.url,
        speed: cfg.speed,
        // One socket per worker, capped: past ~1,000 sockets undici queues instead (counted in service time).
        connections: Math.min(1024, Math.max(1, header.params.workers)),
        timeoutMs: cfg.timeoutMs,
        metrics,
        onEvent,
        sheets: admin,
        countUntracedCalls: cfg.shard === null,
        // Shards share one mock: only a lone replayer may move its origin.
        ...(cfg.shard === null ? { originMs: epochMs } : {}),
        ...(cfg.signal ? { signal: cfg.signal } : {}),
        graceMs: cfg.graceMs ?? 5000,
        deadlineMs,
        watch,
        targetGone: () => target.died(),
        probeTarget: () => answers(target.url, '/api/health', 1000),
        overload,
        // The wall time (and the progress line's rate) counts from t0, not from the sockets and trace read before it.
        onStart: () => (wallStart = performance.now()),
      };
      const threads = cfg.threads ?? 1;
      const res = threads > 1 ? await runThreaded({ ...realtime, threads, onRecord: (r) => writer.write(r) }) : await runRealtime(realtime);
      // Requests abandoned at the deadline are recorded (ABANDONED); only a Ctrl-C's abandoned ones are missing.
      interrupted = res.interrupted || (res.abandoned > 0 && !res.deadlineHit);
      stoppedUnreachable = res.stoppedUnreachable;
      if (res.sheetsError) {
        notes.push(res.sheetsError);
        sheetsAvailable = false;
      }
      // Calls can outlast the last event's t (its response): the timeline covers both.
      simulatedDurationMs = Math.max(metrics.lastT, metrics.lastEndMs);
      overloadReport = overloadSummary(overload.current, res, durationMs, deadlineMs, metrics.total.lateness.maxValue / 1000);
    }
    replayDone = true;
    wallDurationMs = performance.now() - wallStart;
    if (!interrupted && !stoppedUnreachable) await trace.footer; // a truncated or edited trace fails here, after the replay
  } catch (err) {
    // A bad trace line or a broken target: release everything before reporting the error.
    targetMemory?.stop();
    sheetsimMemory.stop();
    eventLoop.stop();
    await target.stop().catch(() => undefined);
    throw err;
  } finally {
    progress?.stop();
    await writer.close();
    await trace.close();
    await admin?.close();
    admin = null;
  }
  const died = target.died();
  const targetMem = targetMemory?.stop() ?? null;
  const ownMem = sheetsimMemory.stop();
  const replayer = eventLoop.stop();
  await target.stop();
  if (died) {
    notes.push(died);
    // Also when errors found it first: the reason then says how the process ended.
    watch.targetExited(simulatedDurationMs, died);
  }
  const validity = watch.evaluate();
  // Stopping early leaves events unread, like an interruption.
  const stoppedEarly = interrupted || stoppedUnreachable;

  const run: RunInfo = {
    id: cfg.outDir ? id : dir.split(/[\\/]/).pop()!,
    mode: cfg.mode,
    startedAt: startedAt.toISOString(),
    wallDurationMs: Math.round(wallDurationMs),
    simulatedDurationMs,
    speed: cfg.mode === 'exact' ? 1 : cfg.speed,
    warmup,
    targetTimersScaled,
    partial: stoppedEarly || died !== null,
    shard: cfg.shard,
    threads: cfg.mode === 'exact' ? 1 : (cfg.threads ?? 1),
    label: cfg.label,
    target: {
      kind: target.kind,
      // Ports of targets sheetsim started are throwaway; record them all the same (they show in logs).
      url: target.url,
      sheetsUrl: target.sheetsUrl,
      command: target.command,
      backendProfile: target.backendProfile,
      commit: target.commit ?? cfg.label,
    },
    options: cfg.options,
    validity,
    overload: overloadReport,
    replayer,
  };
  // After an interruption the reader stopped before the footer and its promise never settles: read the line itself.
  const footer = stoppedEarly ? await peekFooter(resolve(cfg.cwd, cfg.tracePath)) : await trace.footer.catch(() => null);
  const report = buildReport({
    version: cfg.version,
    run,
    trace: { path: cfg.tracePath, sha256: footer?.sha256 ?? '', events: footer?.events ?? metrics.total.count, header },
    metrics,
    sheetsAvailable,
    digest: stoppedEarly ? null : digest,
    workbookDigest,
    memory: { target: targetMem, sheetsim: ownMem },
  });
  // A run that broke gets no verdict: its gates are not evaluated (the summary says why).
  if (cfg.gates && validity.valid) report.gates = evaluateGates(report, cfg.gates);
  await writeReportFiles(dir, report);
  return { report, dir, notes };
}
