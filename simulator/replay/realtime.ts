/**
 * Realtime mode (the load test): the open-model schedule drives an undici pool; response time counts from the
 * intended start (coordinated-omission-correct, as wrk2 does), service time from the actual send, lateness
 * separately. Sheets calls are read from the mock's log while the run goes and attributed to events.
 */
import type { TraceEvent } from '../trace/types.ts';
import type { RunMetrics } from '../metrics/run-metrics.ts';
import type { ReplayClock } from './clock.ts';
import { wallClock } from './clock.ts';
import { type HttpDriver, createDriver } from './http.ts';
import type { EventCalls, EventOutcome } from '../outcome/outcome.ts';
import { runSchedule } from './schedule.ts';
import { READ_AHEAD_EVENTS, ReadAhead } from './read-ahead.ts';
import { CallLogFeed } from './call-log-feed.ts';
import { TargetMonitor } from './target-monitor.ts';
import { answeredOutcome, givenUpOutcome } from './event-outcomes.ts';
import { WARMUP_MIN_EVENTS_PER_S, type WarmupHold, warmHotPath } from './hot-path-warmup.ts';
import type { OverloadDetector } from './overload.ts';
import type { TargetWatch } from './validity.ts';
import type { SheetsAdmin } from './sheets-admin.ts';
import { traceparentForSeq } from '../outcome/traceparent.ts';

/**
 * Sockets opened before t0, at most (the pool has one connection per concurrent worker). It was 256: a dense trace of
 * 1,024 workers against a 20 ms server then opened the other ~770 during its first second, and the connects, the
 * server's accepts and the clients' first requests on them made the replayer fall behind; with all of them opened
 * before t0 the whole-run p99 lateness at 6,000/s fell from 102–250 ms to 5–105 ms (bench/README.md "replayer").
 */
export const PRECONNECT_MAX = 1024;
/** Before t0 the first this many wall ms of the trace are read and parsed (see read-ahead.ts). */
const PRIME_WALL_MS = 2000;
/** …and at most this many events. */
const PRIME_MAX_EVENTS = 32_768;
/** After t0 the read-ahead keeps about this much wall time of events (at least READ_AHEAD_MIN_EVENTS; see read-ahead.ts). */
const AHEAD_WALL_MS = 250;
/**
 * The hot-path warm-up: three rounds of 2,000 synthetic events at 10 per ms over 64 workers, each replayed by
 * runRealtime itself (see hot-path-warmup.ts). ~3 s before t0 in a fresh process on one core, most of it the first
 * round's cold code; 4,000 events a round cost ~1 s more and measured no better (bench/README.md, replayer round 4).
 */
export const HOT_PATH_WARMUP = { rounds: 3, events: 2000, perMs: 10, workers: 64 };

/**
 * Warm this thread's replay code before t0 (hot-path-warmup.ts): the synthetic rounds go through runRealtime, the
 * same code the run executes. Release the hold when the run ends, not before (hot-path-warmup.ts says why).
 */
export function warmReplayHotPath(clock: ReplayClock, signal?: AbortSignal): Promise<WarmupHold> {
  const stop = signal ? { signal } : {};
  return warmHotPath({
    ...HOT_PATH_WARMUP,
    ...stop,
    replay: (round) => runRealtime({ ...round, ...stop, speed: 1, timeoutMs: 5000, sheets: null, countUntracedCalls: true, clock, warmHotPath: false, primeWallMs: 50, graceMs: 1000 }),
  });
}

export interface RealtimeOptions {
  events: AsyncIterable<TraceEvent> | Iterable<TraceEvent>;
  /** Backend base URL. */
  url: string;
  speed: number;
  /** Pool connections (the trace's concurrent workers). */
  connections: number;
  timeoutMs: number;
  metrics: RunMetrics;
  /** Receives each event with its attributed calls once they are known (events.jsonl). */
  onEvent?: (outcome: EventOutcome, calls: EventCalls | null) => void;
  /** The mock's admin API; null when the call log is unavailable. */
  sheets: SheetsAdmin | null;
  /** False when other replayers share the mock (shards): calls without our trace id are then not counted. */
  countUntracedCalls: boolean;
  clock?: ReplayClock;
  /** The HTTP driver (tests pass a fake), left open for the caller to close; default an undici pool to `url`, closed at the end. */
  driver?: HttpDriver;
  signal?: AbortSignal;
  graceMs?: number;
  /** How often the call log is read (ms). */
  pollMs?: number;
  /** Live progress: called after every event with the number done. */
  onProgress?: (done: number) => void;
  /**
   * Epoch ms of trace t = 0 on the mock clock: set as the mock's origin (clock re-anchored, quota minute started,
   * warm-up quota use forgotten) right before the schedule starts. Unset: the mock's clock is left as it is.
   */
  originMs?: number;
  /** Wall ms after t0 when the run stops sending (see runDeadlineMs); events not sent by then are NOT_SENT. */
  deadlineMs?: number;
  /** Fed every answered event as it finishes; when it finds the target unreachable the run stops sending. */
  watch?: TargetWatch;
  /** Polled with the load samples: a message once the target's process has exited, else null. */
  targetGone?: () => string | null;
  /** Asks the target whether anything answers HTTP (resolves false on a connection error); sent after a connection error. */
  probeTarget?: () => Promise<boolean>;
  /** Fed a load sample every `sampleMs`. */
  overload?: OverloadDetector;
  /** Load sampling and target-exit polling period (clock ms). */
  sampleMs?: number;
  /**
   * Warm the replayer's hot path before t0 against a loopback server of its own (see hot-path-warmup.ts). Default:
   * when the trace's first wall second holds WARMUP_MIN_EVENTS_PER_S events or more and the driver is the real one.
   */
  warmHotPath?: boolean;
  /**
   * Called at t0 (the schedule's start, after the work done before it), e.g. to start a wall-time count there; with a
   * future `startAt`, once that time has come (not at all when the run ends before it).
   */
  onStart?: () => void;
  /** How late (wall ms) each event went out whose worker was free: the replayer's own lateness (schedule.ts onSendLag). */
  onSendLag?: (lagMs: number) => void;
  /** Clock time of trace t = 0, shared by the schedules of several threads (see threads.ts); default: when the schedule starts. */
  startAt?: number;
  /**
   * Wall ms of the trace read and parsed before t0 (default PRIME_WALL_MS). A source that only delivers events shortly
   * before they are due (a replay thread, fed by the main thread about a second ahead) must pass what it is given
   * ahead, or less: priming waits for events up to this time, and waiting for later ones would start the run late.
   */
  primeWallMs?: number;
}

export interface RealtimeResult {
  wallMs: number;
  dispatched: number;
  interrupted: boolean;
  abandoned: number;
  /** True when the target was found unreachable (or its process exited) and the run stopped sending. */
  stoppedUnreachable: boolean;
  /** True when the deadline ended the run; `notSent` events were then recorded as NOT_SENT. */
  deadlineHit: boolean;
  notSent: number;
  /** Set when the call log could not be read (the Sheets metrics are then incomplete). */
  sheetsError: string | null;
  /** Wall ms spent before t0 warming the replayer's hot path (a dense first second), or null when it was not warmed. */
  warmupMs: number | null;
}

/** Replay the events in realtime against the target. */
export async function runRealtime(opts: RealtimeOptions): Promise<RealtimeResult> {
  const clock = opts.clock ?? wallClock();
  const driver = opts.driver ?? createDriver({ url: opts.url, connections: opts.connections, timeoutMs: opts.timeoutMs });
  const { metrics } = opts;
  const k = opts.speed; // wall ms → simulated ms
  const release = (o: EventOutcome, calls: EventCalls | null): void => {
    // The parts of the service time, once the event's calls are known: what is not Sheets time or a reported wait
    // is the backend's compute and queueing (realtime cannot tell those apart).
    if (calls && calls.latencyMs !== undefined) {
      o.sheetsMs = calls.latencyMs;
      o.computeMs = Math.max(0, o.serviceMs - calls.latencyMs - (o.waitMs ?? 0));
    }
    metrics.addEvent(o, calls);
    opts.onEvent?.(o, calls);
  };
  // Stops the schedule on the caller's signal or when the target is gone (validity).
  const stop = new AbortController();
  const onAbort = (): void => stop.abort(opts.signal?.reason);
  if (opts.signal?.aborted) onAbort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const monitor = new TargetMonitor({
    clock,
    speed: k,
    ...(opts.watch ? { watch: opts.watch } : {}),
    ...(opts.targetGone ? { targetGone: opts.targetGone } : {}),
    ...(opts.probeTarget ? { probeTarget: opts.probeTarget } : {}),
    ...(opts.overload ? { overload: opts.overload } : {}),
    sampleMs: opts.sampleMs ?? 250,
    onUnreachable: () => stop.abort(new Error('target unreachable')),
  });
  const feed = new CallLogFeed({ sheets: opts.sheets, metrics, speed: k, countUntracedCalls: opts.countUntracedCalls, clock, pollMs: opts.pollMs ?? 1000, release });
  // Set once the schedule returned: an answer that arrives after that (abandoned at the deadline) is not counted.
  let closed = false;
  let t0 = clock.now();
  let done = 0;

  const dispatch = async (event: TraceEvent, intended: number): Promise<void> => {
    const sent = clock.now();
    feed.begin(event.seq, sent - t0);
    const res = await driver.send(event.req, { traceparent: traceparentForSeq(event.seq), 'x-sheetsim-seq': String(event.seq) });
    if (closed) return;
    const end = clock.now();
    monitor.observe(event.t, res.status, res.error);
    feed.complete(answeredOutcome(event, t0, intended, sent, end, k, res), end - t0);
    done += 1;
    opts.onProgress?.(done);
  };
  // An event the run gave up on: never sent (NOT_SENT) or still in flight at the deadline (ABANDONED).
  const givenUp = (event: TraceEvent, intended: number, sent: number | null): void => {
    const stopMs = opts.deadlineMs ?? clock.now() - t0;
    const outcome = givenUpOutcome(event, t0, intended, sent, stopMs, k);
    if (sent !== null) feed.complete(outcome, stopMs);
    else release(outcome, null);
  };

  let wallMs: number;
  let result: Awaited<ReturnType<typeof runSchedule>>;
  // A trace stream is read ahead, and its first seconds parsed before t0 (see read-ahead.ts).
  const events = Symbol.iterator in opts.events ? (opts.events as Iterable<TraceEvent>) : new ReadAhead(opts.events as AsyncIterable<TraceEvent>, READ_AHEAD_EVENTS, AHEAD_WALL_MS * k);
  let warmed: WarmupHold | null = null;
  let warmupMs: number | null = null;
  // Ends a wait for a future t0 when the run ends before it (stopped, or nothing to send).
  const startWait = new AbortController();
  try {
    if (events instanceof ReadAhead) await events.prime((opts.primeWallMs ?? PRIME_WALL_MS) * k, PRIME_MAX_EVENTS);
    const dense = events instanceof ReadAhead && events.countUntil(1000 * k) >= WARMUP_MIN_EVENTS_PER_S;
    const warm = opts.warmHotPath ?? (dense && opts.driver === undefined);
    if (warm) {
      const from = clock.now();
      warmed = await warmReplayHotPath(clock, opts.signal);
      warmupMs = clock.now() - from;
    }
    await feed.anchor();
    // Sockets for the first burst, opened before t0 (as wrk and autocannon do) so handshakes are not paid for
    // while events are due. Capped: a trace that never needs that many only holds idle sockets (closed after IDLE_SOCKET_MS).
    await driver.preconnect?.(Math.min(opts.connections, PRECONNECT_MAX));
    // No forced garbage collection here: a full GC after the warm-up throws away the optimised code that embeds the
    // warm-up's dead objects, and the run's first second then ran deoptimised (bench/README.md "replayer", round 7).
    if (opts.originMs !== undefined) await feed.setOrigin(opts.originMs);

    result = await runSchedule({
      clock,
      speed: k,
      events,
      dispatch,
      signal: stop.signal,
      graceMs: opts.graceMs ?? 5000,
      ...(opts.startAt !== undefined ? { startAt: opts.startAt } : {}),
      onStart: (start) => {
        t0 = start;
        feed.start(start);
        // The caller's onStart is for t0 itself: with a shared start (threads) the schedule begins before it and waits.
        const onStart = opts.onStart;
        if (!onStart) return;
        if (start <= clock.now()) onStart();
        else {
          void clock.sleepUntil(start, startWait.signal).then(() => {
            if (!startWait.signal.aborted) onStart();
          });
        }
      },
      ...(opts.deadlineMs !== undefined ? { deadlineMs: opts.deadlineMs } : {}),
      onNotSent: (event, intended) => givenUp(event, intended, null),
      probe: (p) => monitor.start(t0, p),
      ...(opts.onSendLag ? { onSendLag: opts.onSendLag } : {}),
    });
    closed = true;
    if (result.deadlineHit) for (const f of result.inFlightAtStop) givenUp(f.event, f.intendedMs, f.sentMs);
    await monitor.close();
    wallMs = clock.now() - t0;
    await feed.finish();
  } finally {
    // Also when the trace turns out bad mid-run: an open pool would keep the target's server from closing.
    closed = true;
    startWait.abort();
    feed.stop();
    await monitor.close();
    opts.signal?.removeEventListener('abort', onAbort);
    if (events instanceof ReadAhead) await events.close();
    if (!opts.driver) await driver.close();
    await warmed?.release();
  }
  return {
    wallMs,
    dispatched: result.dispatched,
    interrupted: result.interrupted && !monitor.stoppedUnreachable,
    abandoned: result.abandoned,
    stoppedUnreachable: monitor.stoppedUnreachable,
    deadlineHit: result.deadlineHit,
    notSent: result.notSent,
    sheetsError: feed.error,
    warmupMs,
  };
}
