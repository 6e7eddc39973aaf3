/**
 * Exact mode (the reproduction): a deterministic discrete-event simulation of the realtime run (des.ts). Each
 * worker has its own timeline; events run one at a time in (start, seq) order. The replayer sends each request
 * with `x-sheetsim-time`; the backend forwards its own per-request virtual now on every Sheets call, so each call
 * happens — and meets the quota — at its own instant (mock-sheets/call-instant.ts). Nothing sleeps.
 *
 * An event's Sheets time comes from the backend's answer (`x-sheetsim-sheets-ms`, the reference backend sends it):
 * the event is scheduled at once and its calls are read from the mock's log later, a batch at a time, and checked
 * against that answer. A backend that does not answer it gets the mock's clock set to the event's start before
 * the event (for calls without `x-sheetsim-time`) and its calls read right after it.
 *
 * Time of an event: Sheets time (the summed modelled latency of its calls, rejected ones included) + waits (the
 * backend's `x-sheetsim-wait-ms`: backoff, Retry-After) + compute (the wall time of the HTTP exchange minus
 * the mock's real handling time of the event's calls). Only Sheets time and waits move the schedule: both are
 * modelled, so the schedule — and with it which calls a quota rejects, every status and the digest — is the
 * same on every machine and every run. Compute is measured (it differs between runs and machines); it is
 * reported in the response time but letting it move the schedule would make the outcome depend on the load
 * of the machine that ran it.
 */
import { createHash, type Hash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { CallRecord } from '../../mock-sheets/admin-types.ts';
import type { RunMetrics } from '../metrics/run-metrics.ts';
import type { TraceEvent } from '../trace/types.ts';
import { runDes } from './des.ts';
import { createDriver, type HttpDriver, type HttpResult, SHEETS_MS_HEADER } from './http.ts';
import type { EventCalls, EventOutcome } from '../outcome/outcome.ts';
import { actionTaken, foldCalls, normaliseBody } from '../outcome/outcome.ts';
import type { SheetsAdmin } from './sheets-admin.ts';
import type { ObservedEvent } from './validity.ts';
import { traceIdForSeq, traceparentForSeq } from '../outcome/traceparent.ts';

export interface ExactOptions {
  events: AsyncIterable<TraceEvent> | Iterable<TraceEvent>;
  url: string;
  sheets: SheetsAdmin;
  /** Epoch ms of trace time 0 (the mock's and backend's clock start there). */
  epochMs: number;
  timeoutMs: number;
  /** Where each finished event and Sheets call is recorded (a RunMetrics, or what forwards them to one). */
  metrics: ExactMetrics;
  /** Each finished event with its Sheets calls, in run order (a batch at a time for a backend that answers its Sheets time). */
  onEvent?: (outcome: EventOutcome, calls: EventCalls | null) => void;
  /** Each answer as it arrives, before the next event is sent, in run order: the target guard watches these. */
  onAnswer?: (answer: ObservedEvent) => void;
  signal?: AbortSignal;
  /** Default: one keep-alive connection to `url`. */
  driver?: HttpDriver;
  onProgress?: (done: number) => void;
  /** Wall clock (ms) for the compute part; default performance.now. */
  wallNow?: () => number;
  /**
   * The backend serves one request at a time (the embedded zeues profile): modelled as a single FIFO server,
   * queue time counted as a wait. Default false (requests served concurrently, as the lean profile does).
   */
  serial?: boolean;
  /**
   * Also finish the answered events (read their calls, record them) once this many wall ms have passed since the
   * last time, not only every 256 events: a slow run then records as it goes. Default: only by count.
   */
  finishEveryMs?: number;
}

/** What exact mode records into. */
export type ExactMetrics = Pick<RunMetrics, 'addEvent' | 'addCall'>;

export interface ExactResult {
  /** Outcome digest (sha256 hex) over statuses, bodies, Sheets calls and the final workbook; null after `sheetsError`. */
  digest: string | null;
  workbookDigest: string | null;
  dispatched: number;
  interrupted: boolean;
  /** Virtual time the run covered: the latest end of any event (ms since trace t = 0). */
  virtualMs: number;
  /** The longest event (virtual ms: Sheets time + waits). */
  longestEventMs: number;
  /**
   * Why the mock's admin API (clock, call log) stopped answering, when it did: the run ended there (the schedule
   * cannot go on without it), every event answered so far was recorded without its Sheets calls, and there is no
   * digest. The embedded target's mock dies with its backend.
   */
  sheetsError: Error | null;
}

/** Feed one event's outcome and its calls into the digest (field order fixed: the digest is a contract). */
export function digestEvent(hash: Hash, outcome: EventOutcome, calls: CallRecord[]): void {
  hash.update(`E\t${outcome.event.seq}\t${outcome.status ?? `error:${outcome.error}`}\t${outcome.body}\n`);
  for (const c of calls) hash.update(`C\t${c.method}\t${c.ranges.join(',')}\t${c.rows}\t${c.cells}\t${c.status}\n`);
}

/** Events answered with `x-sheetsim-sheets-ms` are finished (calls read, digest fed) this many at a time. */
const BATCH_EVENTS = 256;

// An event answered and scheduled, whose Sheets calls are read later with the rest of its batch.
interface Answered {
  event: TraceEvent;
  arrivalMs: number;
  queuedMs: number;
  /** Epoch ms of its service start: no call of it can be earlier. */
  nowMs: number;
  res: HttpResult;
  exchangeMs: number;
}

/** Replay the events in exact mode and return the outcome digest. */
export async function runExact(opts: ExactOptions): Promise<ExactResult> {
  const driver: HttpDriver = opts.driver ?? createDriver({ url: opts.url, connections: 1, timeoutMs: opts.timeoutMs });
  const wallNow = opts.wallNow ?? (() => performance.now());
  const hash = createHash('sha256');
  let cursor = await opts.sheets.lastCallId();
  let dispatched = 0;
  // The mock's clock matters only for calls that arrive without `x-sheetsim-time`. A backend that answered
  // `x-sheetsim-sheets-ms` forwards it on every call, so from its first such answer the clock is left alone
  // (one round trip less per event); any other answer sets it again for the next event.
  let clockNeeded = true;
  const batch: Answered[] = [];
  let lastFlushAt = wallNow();

  // The run ends at the first failure of the mock's admin API (see ExactResult.sheetsError).
  let sheetsError: Error | null = null;
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) stop.abort();

  /** Record an answered event; `calls` null when they could not be read (its answered Sheets time stands). */
  const finish = (a: Answered, calls: CallRecord[] | null): void => {
    const { event, res, queuedMs, arrivalMs } = a;
    const folded = calls === null ? null : foldCalls(calls);
    const sheetsMs = folded === null ? (res.sheetsMs ?? 0) : (folded.latencyMs ?? 0);
    const waitMs = res.waitMs ?? 0;
    const computeMs = Math.max(0, a.exchangeMs - (folded?.realMs ?? 0));
    const serviceMs = queuedMs + sheetsMs + waitMs + computeMs;
    const latenessMs = arrivalMs - event.t;
    const outcome: EventOutcome = {
      event,
      intendedMs: event.t,
      // Sent when it arrived at the backend; a serial backend's queue is inside the service time, as in realtime.
      startMs: arrivalMs,
      // As in realtime: counted from the intended start, so waiting for the worker's previous response shows.
      responseMs: latenessMs + serviceMs,
      serviceMs,
      latenessMs,
      sheetsMs,
      waitMs: res.waitMs === undefined && queuedMs === 0 ? null : waitMs + queuedMs,
      computeMs,
      status: res.status,
      error: res.error,
      body: res.status === null ? '' : normaliseBody(res.text, res.json),
      action_taken: actionTaken(res.json),
    };
    if (calls !== null) {
      digestEvent(hash, outcome, calls);
      for (const c of calls) opts.metrics.addCall(c, c.clockMs - opts.epochMs);
    }
    opts.metrics.addEvent(outcome, folded);
    opts.onEvent?.(outcome, folded);
  };

  /**
   * The mock's admin API stopped answering: finish what was answered without its calls (the batch, then `current`)
   * and end the run.
   */
  const lose = (err: unknown, current?: Answered): void => {
    sheetsError = err instanceof Error ? err : new Error(String(err));
    for (const a of batch) finish(a, null);
    batch.length = 0;
    if (current) finish(current, null);
    stop.abort();
  };

  /**
   * Read the calls since the last read in one go and finish the batch's events in run order, each call its
   * event's by trace id. With `current` (an event answered without its Sheets time), every other call is
   * current's, as it always was for such a backend: returns them. Null when the call log could not be read (`lose`).
   */
  const flush = async (current?: Answered): Promise<CallRecord[] | null> => {
    if (batch.length === 0 && !current) return [];
    lastFlushAt = wallNow();
    let calls: CallRecord[];
    try {
      calls = await opts.sheets.callsAfter(cursor);
    } catch (err) {
      lose(err, current);
      return null;
    }
    for (const c of calls) cursor = Math.max(cursor, c.id);
    const byTrace = new Map<string, CallRecord[]>();
    for (const a of batch) byTrace.set(traceIdForSeq(a.event.seq), []);
    const rest: CallRecord[] = [];
    for (const c of calls) {
      const own = c.traceId === undefined ? undefined : byTrace.get(c.traceId);
      if (own) own.push(c);
      else if (current) rest.push(c);
      // The schedule already used the answered Sheets time: a call it cannot place would make the digest a lie.
      else throw new Error(`exact mode: Sheets call #${c.id} (${c.method}) carried ${c.traceId === undefined ? 'no traceparent' : `trace id ${c.traceId}, of no event in flight`}; a backend that answers ${SHEETS_MS_HEADER} must forward each request's traceparent on all of its Sheets calls`);
    }
    for (const a of batch) {
      const own = byTrace.get(traceIdForSeq(a.event.seq))!;
      const folded = foldCalls(own);
      if (folded.latencyMs !== a.res.sheetsMs) {
        throw new Error(`exact mode: event ${a.event.seq} answered ${SHEETS_MS_HEADER}: ${a.res.sheetsMs}, but its ${own.length} Sheets calls sum to ${folded.latencyMs} ms of modelled latency`);
      }
      const early = own.find((c) => c.clockMs < a.nowMs);
      if (early) throw new Error(`exact mode: event ${a.event.seq}'s Sheets call #${early.id} happened at ${early.clockMs}, before the event's start ${a.nowMs}: the backend answered ${SHEETS_MS_HEADER} but did not forward x-sheetsim-time on it`);
      finish(a, own);
    }
    batch.length = 0;
    return rest;
  };

  const runEvent = async (event: TraceEvent, arrivalMs: number, startMs: number): Promise<number> => {
    const queuedMs = startMs - arrivalMs;
    const nowMs = opts.epochMs + startMs;
    if (clockNeeded) {
      try {
        await opts.sheets.setClock(nowMs);
      } catch (err) {
        // Not sent: the event stays unsent, as after a stop.
        lose(err);
        return 0;
      }
    }
    const sentAt = wallNow();
    const res = await driver.send(event.req, {
      traceparent: traceparentForSeq(event.seq),
      'x-sheetsim-seq': String(event.seq),
      'x-sheetsim-time': String(nowMs),
    });
    const exchangeMs = wallNow() - sentAt;
    dispatched += 1;
    opts.onAnswer?.({ t: event.t, status: res.status, error: res.error });
    const answered: Answered = { event, arrivalMs, queuedMs, nowMs, res, exchangeMs };
    const waitMs = res.waitMs ?? 0;
    let sheetsMs: number;
    if (res.status !== null && res.sheetsMs !== undefined) {
      // The backend told its Sheets time: schedule now, read the calls with the batch.
      clockNeeded = false;
      sheetsMs = res.sheetsMs;
      batch.push(answered);
      if (batch.length >= BATCH_EVENTS || (opts.finishEveryMs !== undefined && wallNow() - lastFlushAt >= opts.finishEveryMs)) await flush();
    } else {
      // Any other backend (or a transport error): its calls are read now, as they are the only source of its time.
      clockNeeded = true;
      const calls = await flush(answered);
      if (calls === null) return 0; // finished without its calls; the run ends here
      sheetsMs = foldCalls(calls).latencyMs ?? 0;
      finish(answered, calls);
    }
    opts.onProgress?.(dispatched);
    // The schedule moves by modelled time only (see the file comment).
    return sheetsMs + waitMs;
  };

  let result;
  try {
    result = await runDes(opts.events, runEvent, { serial: opts.serial ?? false, signal: stop.signal });
    if (!sheetsError) await flush();
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    if (!opts.driver) await driver.close();
  }
  let workbookDigest: string | null = null;
  if (!sheetsError) {
    try {
      workbookDigest = await opts.sheets.stateDigest();
    } catch (err) {
      sheetsError = err instanceof Error ? err : new Error(String(err));
    }
  }
  if (workbookDigest !== null) hash.update(`W\t${workbookDigest}\n`);
  return {
    digest: workbookDigest === null ? null : hash.digest('hex'),
    workbookDigest,
    dispatched,
    // Ended by the caller's signal; a run ended by the mock says so in sheetsError.
    interrupted: opts.signal?.aborted === true,
    virtualMs: result.virtualEndMs,
    longestEventMs: result.longestEventMs,
    sheetsError,
  };
}
