/**
 * Entry of one replay thread (see threads.ts): replays the events the main thread posts with `runRealtime` on its
 * own undici pool and call-log reader, records them into its own RunMetrics and formats their events.jsonl lines
 * here. It posts the lines in batches as one string, with a compact summary of the answers for the main thread's
 * validity watch and its progress figures, plus load samples; at its end, its RunMetrics as plain data, which the
 * main thread merges exactly into the run's. Nothing per event crosses to the main thread but its line.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { type LiveFigures, RunMetrics } from '../metrics/run-metrics.ts';
import { type EventCalls, type EventOutcome, eventLine } from '../outcome/outcome.ts';
import type { TraceEvent } from '../trace/types.ts';
import { wallClock } from './clock.ts';
import type { WarmupHold } from './hot-path-warmup.ts';
import { createDriver, type HttpDriver } from './http.ts';
import { DEFAULT_OVERLOAD_RULES, type LoadSample, OverloadDetector } from './overload.ts';
import { PRECONNECT_MAX, runRealtime, warmReplayHotPath } from './realtime.ts';
import { watchEventLoop } from './replayer-health.ts';
import { createSheetsAdmin, type SheetsAdmin } from './sheets-admin.ts';
import type { FromThread, ThreadConfig, ToThread } from './threads-protocol.ts';
import { WatchBatch } from './threads-watch.ts';
import { DEFAULT_VALIDITY_RULES, type ObservedEvent, TargetWatch } from './validity.ts';

const FLUSH_MS = 20;
const FLUSH_EVENTS = 256;
/** The progress figures' p95 walks the response histogram: refreshed at most this often (ms). */
const LIVE_MS = 250;

/** The events posted so far, as the async source runRealtime's schedule pulls from. */
class EventQueue implements AsyncIterable<TraceEvent> {
  private items: TraceEvent[] = [];
  private head = 0;
  private ended = false;
  private wake: (() => void) | null = null;

  push(events: TraceEvent[]): void {
    for (const e of events) this.items.push(e);
    this.wake?.();
  }

  end(): void {
    this.ended = true;
    this.wake?.();
  }

  [Symbol.asyncIterator](): AsyncIterator<TraceEvent> {
    return {
      next: async () => {
        while (this.head >= this.items.length && !this.ended) await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = null;
        if (this.head >= this.items.length) return { done: true, value: undefined };
        const value = this.items[this.head]!;
        this.items[this.head] = undefined as unknown as TraceEvent; // let replayed events be collected
        this.head += 1;
        // Compact now and then so a long run does not keep an ever-growing array of holes.
        if (this.head > 65_536 && this.head * 2 > this.items.length) {
          this.items = this.items.slice(this.head);
          this.head = 0;
        }
        return { done: false, value };
      },
      return: async () => {
        this.ended = true;
        this.items = [];
        this.head = 0;
        return { done: true, value: undefined };
      },
    };
  }
}

const port = parentPort!;
const cfg = workerData as ThreadConfig;
const post = (m: FromThread): void => port.postMessage(m);

const metrics = new RunMetrics();
let lines: string[] = [];
const watchBatch = new WatchBatch();
let flushTimer: NodeJS.Timeout | null = null;
let live: LiveFigures = { done: 0, p95Ms: 0, errors: 0, status429: 0 };
let liveAt = -Infinity;

function flush(): void {
  if (flushTimer) clearTimeout(flushTimer);
  flushTimer = null;
  if (lines.length === 0 && watchBatch.size === 0) return;
  const now = performance.now();
  if (now - liveAt >= LIVE_MS) {
    live = metrics.live();
    liveAt = now;
  } else {
    live = { ...live, done: metrics.total.count, errors: metrics.errorCount, status429: metrics.status429Count };
  }
  live.busy = eventLoop.current();
  live.late = eventLoop.lateShare();
  post({ type: 'results', lines: lines.join('\n'), count: lines.length, watch: watchBatch.take(), live });
  lines = [];
}

function queued(): void {
  if (lines.length + watchBatch.size >= FLUSH_EVENTS) flush();
  else flushTimer ??= setTimeout(flush, FLUSH_MS);
}

/** Forwards each answer to the main thread's watch, which alone decides that the target is unreachable. */
class ForwardingWatch extends TargetWatch {
  override observe(e: ObservedEvent): boolean {
    watchBatch.push(e);
    queued();
    return false;
  }
  // Health probes are the main thread's (one for the whole run).
  override get failing(): boolean {
    return false;
  }
}

/** Forwards load samples to the main thread, which sums the threads' backlogs for the one overload detector. */
class ForwardingOverload extends OverloadDetector {
  override observe(s: LoadSample): void {
    post({ type: 'load', backlog: s.backlog, oldestWaitMs: s.oldestWaitMs });
  }
}

const queue = new EventQueue();
/** This thread's own event loop from t0 (replayer-health.ts): its latest window goes with the progress figures. */
const eventLoop = watchEventLoop();
const stop = new AbortController();
let driver: HttpDriver | null = null;
let admin: SheetsAdmin | null = null;
let warmed: WarmupHold | null = null;

async function start(startAtEpochMs: number, mockNowMs: number | null): Promise<void> {
  const open = driver!;
  const sheets = admin;
  const result = await runRealtime({
    events: queue,
    url: cfg.url,
    speed: cfg.speed,
    connections: cfg.connections,
    timeoutMs: cfg.timeoutMs,
    metrics,
    onEvent: (o: EventOutcome, c: EventCalls | null) => {
      lines.push(eventLine(o, c));
      queued();
    },
    // The mock's clock at the shared t0, when the main thread set the origin: every thread maps call times alike.
    sheets:
      sheets && mockNowMs !== null
        ? {
            ...sheets,
            health: async () => {
              const h = await sheets.health();
              return { ...h, clock: { ...h.clock, nowMs: mockNowMs } };
            },
          }
        : sheets,
    countUntracedCalls: cfg.countUntracedCalls,
    // Sockets were opened before `ready`: hide preconnect so runRealtime does not open a second set.
    driver: { send: (req, headers) => open.send(req, headers), close: () => open.close() },
    signal: stop.signal,
    graceMs: cfg.graceMs,
    ...(cfg.deadlineMs !== undefined ? { deadlineMs: cfg.deadlineMs } : {}),
    ...(cfg.pollMs !== undefined ? { pollMs: cfg.pollMs } : {}),
    ...(cfg.sampleMs !== undefined ? { sampleMs: cfg.sampleMs } : {}),
    watch: new ForwardingWatch(DEFAULT_VALIDITY_RULES),
    overload: new ForwardingOverload({ ...DEFAULT_OVERLOAD_RULES, minBacklog: 0 }),
    startAt: startAtEpochMs - performance.timeOrigin,
    // This thread's own event loop counts from the shared t0.
    onStart: () => eventLoop.start(),
    onSendLag: (ms) => eventLoop.sendLag(ms),
    // The main thread posts events about a second ahead of their time: waiting for the default two seconds of them
    // before t0 would start this thread's schedule about a second late (threads-feeder.ts LOOKAHEAD_MS).
    primeWallMs: 0,
  });
  const replayer = eventLoop.stop();
  flush();
  post({ type: 'finished', result, metrics: metrics.toWire(), replayer });
}

port.on('message', (m: ToThread) => {
  if (m.type === 'events') queue.push(m.events);
  else if (m.type === 'end') queue.end();
  else if (m.type === 'stop') stop.abort(new Error('stopped by the main thread'));
  else if (m.type === 'warm') {
    // As runRealtime warms one thread's hot path before t0: each thread's code (its own isolate) starts cold.
    void (async () => {
      warmed = await warmReplayHotPath(wallClock(), stop.signal);
      post({ type: 'warmed' });
    })().catch((err: unknown) => post({ type: 'error', message: (err as Error).stack ?? String(err) }));
  }
  else if (m.type === 'start') {
    start(m.startAtEpochMs, m.mockNowMs)
      .catch((err: unknown) => post({ type: 'error', message: (err as Error).stack ?? String(err) }))
      .finally(() => {
        void driver?.close();
        void warmed?.release();
        void admin?.close();
        port.close();
      });
  }
});

void (async () => {
  try {
    driver = createDriver({ url: cfg.url, connections: cfg.connections, timeoutMs: cfg.timeoutMs });
    // As runRealtime does for one thread: the pool's sockets are opened before t0 (capped).
    await driver.preconnect?.(Math.min(cfg.connections, PRECONNECT_MAX));
    admin = cfg.sheetsUrl ? createSheetsAdmin(cfg.sheetsUrl, cfg.timeoutMs) : null;
    post({ type: 'ready' });
  } catch (err) {
    post({ type: 'error', message: (err as Error).stack ?? String(err) });
  }
})();
