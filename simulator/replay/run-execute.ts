/**
 * Running a prepared run: the instruments on (metrics, events.jsonl, validity and overload watches, memory and
 * event-loop samplers, live progress), the warm-up, the replay in realtime or exact mode, and everything released
 * after it. What it returns is what the report is built from.
 */
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { MemorySampler } from '../metrics/memory.ts';
import { worstReplayerHealth } from '../metrics/merge-health.ts';
import { RunMetrics } from '../metrics/run-metrics.ts';
import { eventLine } from '../outcome/outcome.ts';
import type { MemoryReport, ReplayerHealth, RunOverload } from '../report/model.ts';
import type { TraceEvent } from '../trace/types.ts';
import { worldSpreadsheetId } from '../workload/world.ts';
import { checkBackendClock, clockNote } from './clock-check.ts';
import { EventsWriter } from './events-writer.ts';
import { exactInChild } from './embedded-exact.ts';
import { runExact } from './exact.ts';
import { DEFAULT_OVERLOAD_RULES, OverloadDetector, overloadSummary } from './overload.ts';
import { ProgressReporter } from './progress.ts';
import { type RealtimeOptions, type RealtimeResult, runRealtime } from './realtime.ts';
import { watchEventLoop } from './replayer-health.ts';
import { DEFAULT_DEADLINE_GRACE_MS, type RunConfig } from './run-config.ts';
import { type PreparedRun, warmUpTarget } from './run-prepare.ts';
import { runDeadlineMs } from './schedule.ts';
import { createSheetsAdmin, type SheetsAdmin } from './sheets-admin.ts';
import { runThreaded } from './threads.ts';
import { guardTarget } from './target-guard.ts';
import { answers } from './targets.ts';
import { DEFAULT_VALIDITY_RULES, type ObservedEvent, TargetWatch } from './validity.ts';
import type { Warmup } from './warmup.ts';

/** What a replay left for its report: the measurements, how it ended, and the notes for the user. */
export interface Replayed extends ModeResult {
  metrics: RunMetrics;
  /** The validity watch, told of a target that died; the report evaluates it. */
  watch: TargetWatch;
  warmup: Warmup | null;
  wallDurationMs: number;
  /** true when the target is known to run its timers at --speed (the embedded backend), null when unknown. */
  targetTimersScaled: true | null;
  /** How the target's process ended on its own, or null. */
  died: string | null;
  memory: { target: MemoryReport | null; sheetsim: MemoryReport };
  replayer: ReplayerHealth;
  /** Things the user should know that the report has no field for (a dead target, an unreadable call log). */
  notes: string[];
}

/** What a replay mode reports back to executeReplay. */
interface ModeResult {
  digest: string | null;
  workbookDigest: string | null;
  interrupted: boolean;
  stoppedUnreachable: boolean;
  sheetsAvailable: boolean;
  simulatedDurationMs: number;
  overload: RunOverload | null;
  /** With --threads, the replay threads' own event loops (the worst of them); else null. */
  threadsHealth: ReplayerHealth | null;
  /** Wall ms the replayer warmed its own hot path before t0 (a dense first second), or null. */
  replayerWarmupMs: number | null;
}

/** Where the replay is now, read by the progress line and the exact-mode guard. */
interface Live {
  /** performance.now() when the replay (not the warm-up) started. */
  wallStart: number;
  /** False until trace t = 0 (the warm-ups run before it). */
  started: boolean;
  /** Mark that start (trace t = 0): the wall time and the replayer's event-loop delay count from here. */
  markStart(): void;
  /** This thread's event loop over its latest quarter second since the start (0–1). */
  busy(): number;
  /** Record how late this thread's schedule sent an event whose worker was free (replayer-health.ts). */
  sendLag(ms: number): void;
  /** Share of this thread's sends in its latest quarter second that were late by the bound (replayer-health.ts). */
  late(): number;
  /** Trace time of the last event handed to the replayer (realtime), or of the last answer (exact). */
  lastT: number;
  replayDone: boolean;
}

/** What both replay modes are given. */
interface ReplayContext {
  cfg: RunConfig;
  run: PreparedRun;
  admin: SheetsAdmin | null;
  events: AsyncIterable<TraceEvent>;
  metrics: RunMetrics;
  onEvent: NonNullable<RealtimeOptions['onEvent']>;
  /** events.jsonl's writer, for lines that replay threads format themselves. */
  writer: EventsWriter;
  watch: TargetWatch;
  overload: OverloadDetector;
  durationMs: number;
  deadlineMs: number;
  live: Live;
  notes: string[];
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

async function* shardEvents(events: AsyncIterable<TraceEvent>, shard: RunConfig['shard']): AsyncGenerator<TraceEvent> {
  for await (const e of events) if (!shard || e.worker % shard.count === shard.index) yield e;
}

/** Warm up, replay in the run's mode, and release the target, trace and samplers (also when it fails). */
export async function executeReplay(cfg: RunConfig, run: PreparedRun): Promise<Replayed> {
  const { trace, header, target, dir, sheetsimMemory } = run;
  const targetMemory = target.rssMb ? new MemorySampler(target.rssMb, () => performance.now()) : null;
  const admin: SheetsAdmin | null = target.sheetsUrl ? createSheetsAdmin(target.sheetsUrl, cfg.timeoutMs) : null;
  const metrics = new RunMetrics();
  const writer = new EventsWriter(resolve(dir, 'events.jsonl'));
  const onEvent: ReplayContext['onEvent'] = (o, calls) => writer.writeLine(eventLine(o, calls));
  const durationMs = Math.max(1, header.params.durationMs);
  const watch = new TargetWatch(cfg.validity ?? DEFAULT_VALIDITY_RULES);
  const overload = new OverloadDetector({ ...DEFAULT_OVERLOAD_RULES, maxLatenessMs: cfg.maxLatenessMs ?? DEFAULT_OVERLOAD_RULES.maxLatenessMs, minBacklog: header.params.workers });
  const deadlineMs = runDeadlineMs(durationMs, cfg.speed, cfg.deadlineGraceMs ?? DEFAULT_DEADLINE_GRACE_MS);
  const eventLoop = watchEventLoop();
  const live: Live = {
    wallStart: performance.now(),
    started: false,
    lastT: 0,
    replayDone: false,
    markStart() {
      this.wallStart = performance.now();
      this.started = true;
      eventLoop.start();
    },
    busy: () => eventLoop.current(),
    sendLag: (ms) => eventLoop.sendLag(ms),
    late: () => eventLoop.lateShare(),
  };
  const progress = cfg.progress ? progressReporter({ cfg, metrics, overload, watch, durationMs, deadlineMs, live }, cfg.progress) : null;
  // Exact mode marks how far it got from its answers (the trace is read ahead of them).
  const events = (async function* () {
    for await (const e of shardEvents(trace.events, cfg.shard)) {
      if (cfg.mode === 'realtime') live.lastT = e.t;
      yield e;
    }
  })();
  const notes: string[] = [];
  // Only the embedded reference backend is known to run its clock, backoff and cache TTLs at --speed.
  const targetTimersScaled = cfg.target.kind === 'embedded' ? true : null;
  if (cfg.mode === 'realtime' && cfg.speed !== 1 && targetTimersScaled === null) notes.push(unscaledTimersNote(cfg.speed));
  const ctx: ReplayContext = { cfg, run, admin, events, metrics, onEvent, writer, watch, overload, durationMs, deadlineMs, live, notes };

  let warmup: Warmup;
  let mode: ModeResult;
  let wallDurationMs: number;
  progress?.start();
  try {
    warmup = await warmUpTarget(cfg, run, admin, notes);
    live.wallStart = performance.now(); // the warm-up is its own phase, not the replay's wall time (each mode marks t0)
    mode = cfg.mode === 'exact' ? await replayExact(ctx) : await replayRealtime(ctx);
    live.replayDone = true;
    wallDurationMs = performance.now() - live.wallStart;
    if (!mode.interrupted && !mode.stoppedUnreachable) await trace.footer; // a truncated or edited trace fails here, after the replay
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
  }
  const died = target.died();
  const targetMem = targetMemory?.stop() ?? null;
  const ownMem = sheetsimMemory.stop();
  // With --threads this thread feeds the replay threads and writes their lines: the worst loop of them all decides.
  const loops = mode.threadsHealth ? worstReplayerHealth([eventLoop.stop(), mode.threadsHealth]) : eventLoop.stop();
  const replayer: ReplayerHealth = mode.replayerWarmupMs === null ? loops : { ...loops, warmupMs: Math.round(mode.replayerWarmupMs) };
  await target.stop();
  if (died) {
    notes.push(died);
    // Also when errors found it first: the reason then says how the process ended.
    watch.targetExited(mode.simulatedDurationMs, died);
  }
  return {
    metrics, watch, warmup, ...mode, wallDurationMs, targetTimersScaled, died,
    memory: { target: targetMem, sheetsim: ownMem }, replayer, notes,
  };
}

/** The live progress line (stderr): events done, how far through the trace, p95, errors, saturation. */
function progressReporter(
  s: Pick<ReplayContext, 'cfg' | 'metrics' | 'overload' | 'watch' | 'durationMs' | 'deadlineMs' | 'live'>,
  to: NonNullable<RunConfig['progress']>,
): ProgressReporter {
  const { cfg, metrics, overload, watch, durationMs, deadlineMs, live } = s;
  return new ProgressReporter(to.out, to.tty, () => {
    // Before t0 (the target's and the hot path's warm-ups) nothing of the trace is covered yet.
    const elapsedMs = live.started ? performance.now() - live.wallStart : 0;
    const o = overload.current;
    const figures = metrics.live();
    return {
      // A threaded run's figures come from its threads until their metrics are merged (RunMetrics.live).
      ...figures,
      fraction: cfg.mode === 'realtime' ? (elapsedMs * cfg.speed) / durationMs : live.lastT / durationMs,
      elapsedMs,
      pending: !live.replayDone,
      ...(live.started ? {} : { warmingUp: true }),
      ...(cfg.mode === 'realtime' ? { deadlineMs } : {}),
      saturated: o.saturated ? { fromS: o.fromS ?? 0, inFlight: o.backlog } : null,
      unreachableFromS: watch.unreachable?.fromS ?? null,
      ...(cfg.mode === 'realtime' ? { replayerBusy: Math.max(live.busy(), figures.busy ?? 0), replayerLate: Math.max(live.late(), figures.late ?? 0) } : {}),
    };
  });
}

/** How long a target whose sockets failed gets to be seen exiting (its exit event follows the reset connections). */
const TARGET_EXIT_GRACE_MS = 1000;

/** Whether the target's process has exited, or does within `graceMs`. */
async function exitedWithin(target: PreparedRun['target'], graceMs: number): Promise<boolean> {
  for (let waited = 0; target.died() === null; waited += 20) {
    if (waited >= graceMs) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

/** Exact mode: trace t = 0 on the mock's virtual clock, one event at a time, then the backend's clock checked. */
async function replayExact(ctx: ReplayContext): Promise<ModeResult> {
  const { cfg, run: { target, header, epochMs }, events, metrics, onEvent, watch, live, notes } = ctx;
  const admin = ctx.admin!; // warmUpTarget refuses exact mode without the mock
  // Trace t = 0: quota minute 0 starts here and the warm-up's quota use is forgotten (the embedded target's child
  // sets it itself when it starts the replay: embedded-exact.ts).
  if (!target.exactInside) await admin.setOrigin(epochMs);
  live.markStart();
  // The embedded zeues profile serves one request at a time (KeyedMutex on one key): a single server.
  const serial = cfg.target.kind === 'embedded' && cfg.target.backendProfile === 'zeues';
  // Exact mode sends one event at a time: the guard watches each answer and stops the run the same way.
  const guard = guardTarget(watch, () => target.died(), () => live.lastT, cfg.signal);
  let digest: string | null;
  let workbookDigest: string | null;
  let interrupted: boolean;
  let simulatedDurationMs: number;
  let stoppedUnreachable: boolean;
  try {
    const onAnswer = (answer: ObservedEvent): void => {
      live.lastT = answer.t;
      guard.observe(answer);
    };
    // The embedded target runs the schedule next to its servers (embedded-exact.ts); any other over HTTP.
    const res = target.exactInside
      ? await exactInChild(target.exactInside, { epochMs, timeoutMs: cfg.timeoutMs, serial, validity: watch.rules }, events, { metrics, onEvent, onAnswer }, guard.signal)
      : await runExact({ events, url: target.url, sheets: admin, epochMs, timeoutMs: cfg.timeoutMs, metrics, onEvent, onAnswer, serial, signal: guard.signal });
    digest = res.digest;
    workbookDigest = res.workbookDigest;
    interrupted = res.interrupted && !guard.stoppedUnreachable;
    simulatedDurationMs = res.virtualMs;
    stoppedUnreachable = guard.stoppedUnreachable;
    if (res.sheetsError) {
      // The mock stopped answering mid-run. When the target's process exited with it (the embedded target's mock
      // dies with its backend) the run ends as a target that went away: the report says how (executeReplay). A mock
      // that is gone on its own leaves nothing to report on: an unusable environment, as before the run.
      if (!(await exitedWithin(target, TARGET_EXIT_GRACE_MS))) throw res.sheetsError;
      stoppedUnreachable = true;
      notes.push(`the mock Sheets API stopped answering (${res.sheetsError.message}): the run ended there, the events answered until then are recorded without their Sheets calls, and there is no digest`);
    }
  } finally {
    guard.close();
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
  return { digest, workbookDigest, interrupted, stoppedUnreachable, sheetsAvailable: true, simulatedDurationMs, overload: null, threadsHealth: null, replayerWarmupMs: null };
}

/** Realtime mode: the trace at --speed on the wall clock, the deadline and the overload and validity watches on. */
async function replayRealtime(ctx: ReplayContext): Promise<ModeResult> {
  const { cfg, run: { target, header, epochMs }, admin, events, metrics, onEvent, writer, watch, overload, durationMs, deadlineMs, live, notes } = ctx;
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
    onStart: () => live.markStart(),
  };
  const threads = cfg.threads ?? 1;
  const res: RealtimeResult & { threadsHealth?: ReplayerHealth } =
    threads > 1
      ? await runThreaded({ ...realtime, threads, onLines: (lines, n) => writer.writeLines(lines, n) })
      : await runRealtime({ ...realtime, onSendLag: live.sendLag });
  if (res.sheetsError) notes.push(res.sheetsError);
  return {
    digest: null,
    workbookDigest: null,
    // Requests abandoned at the deadline are recorded (ABANDONED); only a Ctrl-C's abandoned ones are missing.
    interrupted: res.interrupted || (res.abandoned > 0 && !res.deadlineHit),
    stoppedUnreachable: res.stoppedUnreachable,
    sheetsAvailable: admin !== null && !res.sheetsError,
    // Calls can outlast the last event's t (its response): the timeline covers both.
    simulatedDurationMs: Math.max(metrics.lastT, metrics.lastEndMs),
    overload: overloadSummary(overload.current, res, durationMs, deadlineMs, metrics.total.lateness.maxValue / 1000),
    threadsHealth: res.threadsHealth ?? null,
    replayerWarmupMs: res.warmupMs,
  };
}
