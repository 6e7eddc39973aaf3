/**
 * `sheetsim run --threads N` (realtime): the virtual workers split across N worker threads in one process, each
 * replaying its share with its own undici pool, call-log reader and RunMetrics (threads-worker.ts). This thread
 * reads the trace once and posts each thread its events in batches about a second ahead of their time; all
 * schedules share one t0 (an absolute start time). The threads format their events' events.jsonl lines and post
 * them in batches, one string each, which this thread only writes (completion order within a thread, batches
 * interleaved across threads); with each batch comes a compact summary of its answers for the validity watch
 * (threads-watch.ts) and the thread's progress figures. At the end each thread sends its RunMetrics as plain data
 * and they are merged exactly (HDR add, counters summed, the timeline second by second: RunMetrics.mergeWire) into
 * the run's, so the report is what one thread would have made of the same outcomes. The validity watch, the health
 * probe, the target-exit poll and the overload detector run here, once for the whole run; a stop (Ctrl-C, target
 * unreachable) is posted to every thread.
 */
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { worstReplayerHealth } from '../metrics/merge-health.ts';
import type { LiveFigures } from '../metrics/run-metrics.ts';
import type { ReplayerHealth } from '../report/model.ts';
import { wallClock } from './clock.ts';
import { WARMUP_MIN_EVENTS_PER_S } from './hot-path-warmup.ts';
import type { RealtimeOptions, RealtimeResult } from './realtime.ts';
import type { ScheduleProbe } from './schedule.ts';
import { TargetMonitor } from './target-monitor.ts';
import { deferred, ThreadFeeder } from './threads-feeder.ts';
import type { FromThread, ThreadConfig, ToThread } from './threads-protocol.ts';
import { replayWatch } from './threads-watch.ts';

/** From the start message to t0 (wall ms): each thread reads the call-log cursor and the mock's health first. */
const START_LEAD_MS = 100;

export interface ThreadedOptions extends Omit<RealtimeOptions, 'driver' | 'clock' | 'onEvent' | 'startAt' | 'onSendLag'> {
  /** Worker threads (≥ 2; one thread is runRealtime itself). */
  threads: number;
  /** Receives finished events' events.jsonl lines: `count` lines, newline-separated, no trailing newline. */
  onLines?: (lines: string, count: number) => void;
}

/** Whether a target runs on this machine (so it needs a core of its own). */
export function isLocalTarget(target: { kind: 'embedded' | 'url' | 'command'; url?: string }): boolean {
  if (target.kind !== 'url') return true;
  let host: string;
  try {
    host = new URL(target.url ?? '').hostname;
  } catch {
    return false;
  }
  return host === 'localhost' || host === '::1' || host === '[::1]' || host === '0.0.0.0' || host.startsWith('127.');
}

/** The default of --threads: the cores this process may use, leaving one to a local target; at least 1. */
export function defaultThreads(local: boolean, cores: number = availableParallelism()): number {
  return Math.max(1, cores - (local ? 1 : 0));
}

/** Which thread replays each worker: workers in order of first appearance, dealt round-robin (per-worker order kept). */
export function threadRouter(threads: number): (worker: number) => number {
  const assigned = new Map<number, number>();
  return (worker) => {
    let t = assigned.get(worker);
    if (t === undefined) assigned.set(worker, (t = assigned.size % threads));
    return t;
  };
}

// Sources run through tsx in tests and dev (`.ts`), the installed CLI from dist/ (`.js`). Node 20 does not apply
// the parent's tsx hooks (nor `--import tsx` in execArgv) to a worker, so a .ts entry is loaded by a small
// bootstrap that registers tsx in the worker first.
function spawnThread(cfg: ThreadConfig): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./threads-worker.js', import.meta.url), { workerData: cfg });
  const tsxDir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const api = pathToFileURL(join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href;
  const entry = new URL('./threads-worker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, workerData: cfg });
}

/** What thread `i` of `n` is told at its start. */
function threadConfig(opts: ThreadedOptions, i: number, n: number): ThreadConfig {
  return {
    index: i,
    url: opts.url,
    speed: opts.speed,
    connections: Math.max(1, Math.ceil(opts.connections / n)),
    timeoutMs: opts.timeoutMs,
    sheetsUrl: opts.sheets?.url ?? null,
    // Calls without a trace id: thread 0 counts them (among its own events in flight); see docs/threads.
    countUntracedCalls: opts.countUntracedCalls && i === 0,
    graceMs: opts.graceMs ?? 5000,
    ...(opts.deadlineMs !== undefined ? { deadlineMs: opts.deadlineMs } : {}),
    ...(opts.pollMs !== undefined ? { pollMs: opts.pollMs } : {}),
    ...(opts.sampleMs !== undefined ? { sampleMs: opts.sampleMs } : {}),
  };
}

/** The threads' results as one run's. */
function mergeResults(res: RealtimeResult[], wallMs: number, stoppedUnreachable: boolean, warmupMs: number | null): RealtimeResult {
  const sum = (f: (r: RealtimeResult) => number): number => res.reduce((a, r) => a + f(r), 0);
  return {
    wallMs,
    dispatched: sum((r) => r.dispatched),
    interrupted: res.some((r) => r.interrupted) && !stoppedUnreachable,
    abandoned: sum((r) => r.abandoned),
    stoppedUnreachable,
    deadlineHit: res.some((r) => r.deadlineHit),
    notSent: sum((r) => r.notSent),
    sheetsError: res.find((r) => r.sheetsError)?.sheetsError ?? null,
    warmupMs,
  };
}

/** What runThreaded gives: runRealtime's result, plus the replay threads' own health (the worst of them). */
export interface ThreadedResult extends RealtimeResult {
  threadsHealth: ReplayerHealth;
}

/** Replay the events in realtime on `threads` worker threads; runRealtime's result, and the threads' health. */
export async function runThreaded(opts: ThreadedOptions): Promise<ThreadedResult> {
  const n = opts.threads;
  const clock = wallClock();
  const { metrics } = opts;
  const route = threadRouter(n);
  const loads = Array.from({ length: n }, () => ({ backlog: 0, oldestWaitMs: 0 }));
  const results: (RealtimeResult | null)[] = Array.from({ length: n }, () => null);
  const healths: ReplayerHealth[] = [];
  const ready = deferred<void>();
  const warmed = deferred<void>();
  let warmedCount = 0;
  const allFinished = deferred<void>();
  const failed = deferred<never>();
  failed.promise.catch(() => undefined);
  let readyCount = 0;
  let finishedCount = 0;
  let failure: Error | null = null;
  // Each thread's progress figures, as of its latest batch; until the merge at the end the run's RunMetrics is
  // empty, and the progress line reads these instead.
  const lives: LiveFigures[] = Array.from({ length: n }, () => ({ done: 0, p95Ms: 0, errors: 0, status429: 0 }));
  const sumLive = (): LiveFigures => ({
    done: lives.reduce((a, l) => a + l.done, 0),
    // The threads share one target: the highest of their own p95s stands for the run's (the report's is exact).
    p95Ms: Math.max(...lives.map((l) => l.p95Ms)),
    errors: lives.reduce((a, l) => a + l.errors, 0),
    status429: lives.reduce((a, l) => a + l.status429, 0),
    busy: Math.max(...lives.map((l) => l.busy ?? 0)),
    late: Math.max(...lives.map((l) => l.late ?? 0)),
  });
  const feedStop = new AbortController();

  const workers: Worker[] = [];
  const send = (i: number, m: ToThread): void => workers[i]!.postMessage(m);
  const stopAll = (): void => {
    if (feedStop.signal.aborted) return;
    feedStop.abort();
    for (let i = 0; i < workers.length; i++) send(i, { type: 'stop' });
  };
  const fail = (err: Error): void => {
    failure ??= err;
    stopAll();
    failed.reject(err);
  };
  const onAbort = (): void => stopAll();
  // The validity watch, health probes and load sampling, as for one thread, fed by all of them.
  const monitor = new TargetMonitor({
    clock,
    speed: opts.speed,
    ...(opts.watch ? { watch: opts.watch } : {}),
    ...(opts.targetGone ? { targetGone: opts.targetGone } : {}),
    ...(opts.probeTarget ? { probeTarget: opts.probeTarget } : {}),
    ...(opts.overload ? { overload: opts.overload } : {}),
    sampleMs: opts.sampleMs ?? 250,
    onUnreachable: stopAll,
  });
  // The threads' backlogs, summed; their oldest waiting event, the oldest of all.
  const probe: ScheduleProbe = {
    inFlight: () => loads.reduce((a, l) => a + l.backlog, 0),
    waiting: () => 0,
    oldestWaitingIntended: () => {
      const oldest = Math.max(...loads.map((l) => l.oldestWaitMs));
      return oldest > 0 ? clock.now() - oldest : null;
    },
  };

  const onMessage = (i: number, m: FromThread): void => {
    if (m.type === 'ready') {
      if (++readyCount === n) ready.resolve();
    } else if (m.type === 'warmed') {
      if (++warmedCount === n) warmed.resolve();
    } else if (m.type === 'results') {
      replayWatch(m.watch, (t, status, error) => monitor.observe(t, status, error));
      if (m.count > 0) opts.onLines?.(m.lines, m.count);
      lives[i] = m.live;
      opts.onProgress?.(sumLive().done);
    } else if (m.type === 'load') {
      loads[i] = { backlog: m.backlog, oldestWaitMs: m.oldestWaitMs };
    } else if (m.type === 'finished') {
      results[i] = m.result;
      healths.push(m.replayer);
      metrics.mergeWire(m.metrics);
      if (++finishedCount === n) allFinished.resolve();
    } else {
      fail(new Error(`replay thread ${i}: ${m.message}`));
    }
  };

  let closed = false;
  for (let i = 0; i < n; i++) {
    const w = spawnThread(threadConfig(opts, i, n));
    w.on('message', (m: FromThread) => onMessage(i, m));
    w.on('error', (err) => fail(new Error(`replay thread ${i} failed: ${err.message}`)));
    w.on('exit', (code) => {
      if (results[i] === null && !closed) fail(new Error(`replay thread ${i} exited (code ${code}) before finishing`));
    });
    workers.push(w);
  }
  if (opts.signal?.aborted) onAbort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  const feeder = new ThreadFeeder({
    events: opts.events,
    threads: n,
    route,
    post: (i, events) => send(i, events ? { type: 'events', events } : { type: 'end' }),
    speed: opts.speed,
    clock,
    ...(opts.deadlineMs !== undefined ? { deadlineMs: opts.deadlineMs } : {}),
    signal: feedStop.signal,
    // A bad trace line: stop every thread, then report it (as runRealtime would, after closing its pool).
    onError: () => stopAll(),
  });

  let wallMs = 0;
  let warmupMs: number | null = null;
  metrics.liveFrom = sumLive;
  try {
    await Promise.race([Promise.all([ready.promise, feeder.prefilled.promise]), failed.promise]);
    // A dense first second (as runRealtime judges it for one thread): every thread warms its hot path, at once.
    if (feeder.firstSecond >= WARMUP_MIN_EVENTS_PER_S && !feedStop.signal.aborted) {
      const from = clock.now();
      for (let i = 0; i < n; i++) send(i, { type: 'warm' });
      await Promise.race([warmed.promise, failed.promise]);
      warmupMs = clock.now() - from;
    }
    // t0 is START_LEAD_MS from now; the mock's origin is set here, once, and each thread is told the mock's
    // clock at t0 so all of them map call times alike.
    let mockNowMs: number | null = null;
    let leadFrom = clock.now();
    if (opts.sheets && opts.originMs !== undefined) {
      const st = await opts.sheets.setOrigin(opts.originMs);
      leadFrom = clock.now();
      mockNowMs = st.nowMs + START_LEAD_MS * (st.speed || 1);
    }
    const startLocal = leadFrom + START_LEAD_MS;
    const startAtEpochMs = performance.timeOrigin + startLocal;
    for (let i = 0; i < n; i++) send(i, { type: 'start', startAtEpochMs, mockNowMs });
    feeder.start(startLocal);
    monitor.start(startLocal, probe);
    // The run's wall time counts from t0, as with one thread (not from spawning, warming and connecting the threads).
    if (opts.onStart) {
      const onStart = opts.onStart;
      void clock.sleepUntil(startLocal).then(onStart);
    }

    await Promise.race([allFinished.promise, failed.promise]);
    wallMs = clock.now() - startLocal;
    await feeder.done;
    if (feeder.error) throw feeder.error;
  } finally {
    closed = true;
    metrics.liveFrom = null;
    await monitor.close();
    opts.signal?.removeEventListener('abort', onAbort);
    feeder.release();
    stopAll();
    await feeder.done.catch(() => undefined);
    await Promise.all(workers.map((w) => w.terminate()));
  }
  if (failure) throw failure;
  return { ...mergeResults(results as RealtimeResult[], wallMs, monitor.stoppedUnreachable, warmupMs), threadsHealth: worstReplayerHealth(healths) };
}
