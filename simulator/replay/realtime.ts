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
import { runSchedule } from './schedule.ts';
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
}

export interface RealtimeResult {
  wallMs: number;
  dispatched: number;
  interrupted: boolean;
  abandoned: number;
  /** Set when the call log could not be read (the Sheets metrics are then incomplete). */
  sheetsError: string | null;
}

/** Replay the events in realtime against the target. */
export async function runRealtime(opts: RealtimeOptions): Promise<RealtimeResult> {
  const clock = opts.clock ?? wallClock();
  const driver = opts.driver ?? createDriver({ url: opts.url, connections: opts.connections, timeoutMs: opts.timeoutMs });
  const { metrics } = opts;
  const release = (o: EventOutcome, calls: EventCalls | null): void => {
    metrics.addEvent(o, calls);
    opts.onEvent?.(o, calls);
  };

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

  let wallMs: number;
  let result: Awaited<ReturnType<typeof runSchedule>>;
  try {
    // Sockets for the first burst, opened before t0 (as wrk and autocannon do) so handshakes are not paid for
    // while events are due. Capped: a trace that never needs that many only holds idle sockets.
    await driver.preconnect?.(Math.min(opts.connections, PRECONNECT_MAX));

    let done = 0;
    const dispatch = async (event: TraceEvent, intended: number): Promise<void> => {
      const startAbs = clock.now();
      const startMs = startAbs - t0;
      if (opts.sheets) attributor.begin(event.seq, startMs);
      const res = await driver.send(event.req, {
        traceparent: traceparentForSeq(event.seq),
        'x-sheetsim-seq': String(event.seq),
      });
      const end = clock.now();
      const outcome: EventOutcome = {
        event,
        intendedMs: intended - t0,
        startMs,
        responseMs: end - intended,
        serviceMs: end - startAbs,
        latenessMs: startAbs - intended,
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

    result = await runSchedule({
      clock,
      speed: opts.speed,
      events: opts.events,
      dispatch,
      ...(opts.signal ? { signal: opts.signal } : {}),
      graceMs: opts.graceMs ?? 5000,
      onStart: (start) => {
        t0 = start;
        anchorLocal = 0;
      },
    });
    wallMs = clock.now() - t0;
    if (pollTimer) clearInterval(pollTimer);
    await polling;
    await poll();
    attributor.flushAll();
  } finally {
    // Also when the trace turns out bad mid-run: an open pool would keep the target's server from closing.
    if (pollTimer) clearInterval(pollTimer);
    await driver.close();
  }
  return {
    wallMs,
    dispatched: result.dispatched,
    interrupted: result.interrupted,
    abandoned: result.abandoned,
    sheetsError: pollError ? `reading the mock's call log failed: ${(pollError as Error).message}` : null,
  };
}
