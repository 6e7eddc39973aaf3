/**
 * Realtime mode (the load test): the open-model schedule drives an undici pool; response time counts from the
 * intended start (coordinated-omission-correct, as wrk2 does), service time from the actual send, lateness
 * separately. Sheets calls are read from the mock's log while the run goes and attributed to events.
 */
import type { TraceEvent } from '../trace/types.ts';
import { CallAttributor } from '../metrics/attribution.ts';
import type { RunMetrics } from '../metrics/run-metrics.ts';
import type { ReplayClock } from './clock.ts';
import { wallClock } from './clock.ts';
import { type HttpDriver, createDriver } from './http.ts';
import type { EventCalls, EventOutcome } from '../outcome/outcome.ts';
import { actionTaken, normaliseBody } from '../outcome/outcome.ts';
import { type ScheduleProbe, runSchedule } from './schedule.ts';
import type { OverloadDetector } from './overload.ts';
import type { TargetWatch } from './validity.ts';
import type { SheetsAdmin } from './sheets-admin.ts';
import { traceparentForSeq } from '../outcome/traceparent.ts';

const PRECONNECT_MAX = 256;

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
  /** The HTTP driver (tests pass a fake); default an undici pool to `url`. */
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
  /** Clock time of trace t = 0, shared by the schedules of several threads (see threads.ts); default: when the schedule starts. */
  startAt?: number;
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
}

/** Replay the events in realtime against the target. */
export async function runRealtime(opts: RealtimeOptions): Promise<RealtimeResult> {
  const clock = opts.clock ?? wallClock();
  const driver = opts.driver ?? createDriver({ url: opts.url, connections: opts.connections, timeoutMs: opts.timeoutMs });
  const { metrics } = opts;
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
  let stoppedUnreachable = false;
  const stopUnreachable = (): void => {
    stoppedUnreachable = true;
    stop.abort(new Error('target unreachable'));
  };
  const onAbort = (): void => stop.abort(opts.signal?.reason);
  if (opts.signal?.aborted) onAbort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  // Set once the schedule returned: an answer that arrives after that (abandoned at the deadline) is not counted.
  let closed = false;

  // Anchor the mock's clock to ours: a call's clockMs maps to simulated trace time and to our ms since t0.
  let anchorMock = 0;
  let mockSpeed = 1;
  let cursor = 0;
  if (opts.sheets) {
    cursor = await opts.sheets.lastCallId();
    const h = await opts.sheets.health();
    anchorMock = h.clock.nowMs;
    mockSpeed = h.clock.speed || 1;
  }
  let t0 = clock.now();
  let anchorLocal = 0;
  const attributor = new CallAttributor(
    release,
    (call) => metrics.addCall(call, ((call.clockMs - anchorMock) / mockSpeed + anchorLocal) * opts.speed),
    (clockMs) => (clockMs - anchorMock) / mockSpeed + anchorLocal,
    opts.countUntracedCalls,
    () => metrics.addUnattributedCall(),
  );

  let pollError: Error | null = null;
  const poll = async (): Promise<void> => {
    if (!opts.sheets) return;
    const startedAt = clock.now() - t0;
    try {
      const calls = await opts.sheets.callsAfter(cursor);
      for (const c of calls) cursor = Math.max(cursor, c.id);
      attributor.ingest(calls);
    } catch (err) {
      pollError = err as Error;
    }
    attributor.flush(startedAt);
  };
  let polling = Promise.resolve();
  const pollTimer = opts.sheets
    ? setInterval(() => {
        polling = polling.then(poll);
      }, opts.pollMs ?? 1000)
    : undefined;

  // One health probe at a time, sent when answers turn into connection errors (see TargetWatch.probeFailed).
  let probing = false;
  const checkTarget = (watch: TargetWatch, ask: () => Promise<boolean>): void => {
    probing = true;
    void ask()
      .catch(() => false)
      .then((answers) => {
        probing = false;
        if (!answers && !closed && !stoppedUnreachable && watch.probeFailed()) stopUnreachable();
      });
  };
  let probe: ScheduleProbe | null = null;
  const sampleStop = new AbortController();
  const sampler = async (): Promise<void> => {
    const every = opts.sampleMs ?? 250;
    while (!sampleStop.signal.aborted) {
      await clock.sleepUntil(clock.now() + every, sampleStop.signal);
      if (sampleStop.signal.aborted || !probe) break;
      const now = clock.now();
      const gone = opts.targetGone?.();
      if (gone && opts.watch && !stoppedUnreachable) {
        opts.watch.targetExited((now - t0) * opts.speed, gone);
        stopUnreachable();
      }
      const oldest = probe.oldestWaitingIntended();
      opts.overload?.observe({
        wallMs: now - t0,
        simS: Math.floor(((now - t0) * opts.speed) / 1000),
        backlog: probe.inFlight() + probe.waiting(),
        oldestWaitMs: oldest === null ? 0 : Math.max(0, now - oldest),
      });
    }
  };
  let sampling: Promise<void> = Promise.resolve();

  let wallMs: number;
  let result: Awaited<ReturnType<typeof runSchedule>>;
  try {
    // Sockets for the first burst, opened before t0 (as wrk and autocannon do) so handshakes are not paid for
    // while events are due. Capped: a trace that never needs that many only holds idle sockets.
    await driver.preconnect?.(Math.min(opts.connections, PRECONNECT_MAX));
    if (opts.sheets && opts.originMs !== undefined) anchorMock = (await opts.sheets.setOrigin(opts.originMs)).nowMs;

    let done = 0;
    const dispatch = async (event: TraceEvent, intended: number): Promise<void> => {
      const startAbs = clock.now();
      const startMs = startAbs - t0;
      if (opts.sheets) attributor.begin(event.seq, startMs);
      const res = await driver.send(event.req, {
        traceparent: traceparentForSeq(event.seq),
        'x-sheetsim-seq': String(event.seq),
      });
      if (closed) return;
      const end = clock.now();
      if (opts.watch?.observe({ t: event.t, status: res.status, error: res.error })) stopUnreachable();
      else if (opts.watch?.failing && opts.probeTarget && !probing) checkTarget(opts.watch, opts.probeTarget);
      // Reports are in simulated time: at --speed N a wall millisecond is N simulated ones.
      const k = opts.speed;
      const outcome: EventOutcome = {
        event,
        intendedMs: (intended - t0) * k,
        startMs: startMs * k,
        responseMs: (end - intended) * k,
        serviceMs: (end - startAbs) * k,
        latenessMs: (startAbs - intended) * k,
        waitMs: res.waitMs ?? null,
        sheetsMs: null,
        computeMs: null,
        status: res.status,
        error: res.error,
        body: res.status === null ? '' : normaliseBody(res.text, res.json),
        action_taken: actionTaken(res.json),
      };
      if (opts.sheets) attributor.complete(outcome, end - t0);
      else release(outcome, null);
      done += 1;
      opts.onProgress?.(done);
    };

    // An event the run gave up on: never sent (NOT_SENT) or still in flight at the deadline (ABANDONED). Its
    // response time is a lower bound, from its intended start to the deadline (coordinated-omission-correct).
    const givenUp = (event: TraceEvent, intended: number, startAbs: number | null): void => {
      const stopMs = opts.deadlineMs ?? clock.now() - t0;
      const k = opts.speed; // wall ms → simulated ms, as for answered events
      const outcome: EventOutcome = {
        event,
        intendedMs: (intended - t0) * k,
        startMs: (startAbs === null ? stopMs : startAbs - t0) * k,
        responseMs: Math.max(0, stopMs - (intended - t0)) * k,
        serviceMs: (startAbs === null ? 0 : Math.max(0, stopMs - (startAbs - t0))) * k,
        latenessMs: (startAbs === null ? Math.max(0, stopMs - (intended - t0)) : startAbs - intended) * k,
        waitMs: null,
        sheetsMs: null,
        computeMs: null,
        status: null,
        error: startAbs === null ? 'NOT_SENT' : 'ABANDONED',
        body: '',
        action_taken: null,
      };
      if (startAbs !== null && opts.sheets) attributor.complete(outcome, stopMs);
      else release(outcome, null);
    };
    const started = new Map<TraceEvent, number>();
    const timedDispatch = async (event: TraceEvent, intended: number): Promise<void> => {
      started.set(event, clock.now());
      try {
        await dispatch(event, intended);
      } finally {
        started.delete(event);
      }
    };

    result = await runSchedule({
      clock,
      speed: opts.speed,
      events: opts.events,
      dispatch: timedDispatch,
      signal: stop.signal,
      graceMs: opts.graceMs ?? 5000,
      ...(opts.startAt !== undefined ? { startAt: opts.startAt } : {}),
      onStart: (start) => {
        t0 = start;
        anchorLocal = 0;
      },
      ...(opts.deadlineMs !== undefined ? { deadlineMs: opts.deadlineMs } : {}),
      onNotSent: (event, intended) => givenUp(event, intended, null),
      probe: (p) => {
        probe = p;
        sampling = sampler();
      },
    });
    closed = true;
    if (result.deadlineHit) for (const f of result.inFlightAtStop) givenUp(f.event, f.intendedMs, started.get(f.event) ?? f.intendedMs);
    sampleStop.abort();
    await sampling;
    wallMs = clock.now() - t0;
    if (pollTimer) clearInterval(pollTimer);
    await polling;
    await poll();
    attributor.flushAll();
  } finally {
    // Also when the trace turns out bad mid-run: an open pool would keep the target's server from closing.
    closed = true;
    sampleStop.abort();
    opts.signal?.removeEventListener('abort', onAbort);
    if (pollTimer) clearInterval(pollTimer);
    await driver.close();
  }
  return {
    wallMs,
    dispatched: result.dispatched,
    interrupted: result.interrupted && !stoppedUnreachable,
    abandoned: result.abandoned,
    stoppedUnreachable,
    deadlineHit: result.deadlineHit,
    notSent: result.notSent,
    sheetsError: pollError ? `reading the mock's call log failed: ${(pollError as Error).message}` : null,
  };
}
