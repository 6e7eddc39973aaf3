/**
 * Exact mode against the embedded target, run inside the target's own process. Exact mode sends one event at a
 * time, so every event's whole path is the run's critical path; over HTTP between two processes a third of it was
 * the two processes' HTTP code and their wake-ups (bench/README.md, "exact mode speed", round 5). Here the
 * replayer's process reads the trace and keeps everything the report is made of (metrics, events.jsonl, the
 * validity watch), and the embedded child runs the schedule (`runExact`, unchanged) against its backend and mock
 * in process (`sendInProcess`), with no socket: what it sends back, in order, is what `runExact` would have recorded in the
 * replayer's process, so the report, events.jsonl and the digest are the same. `compute` then has no socket hop
 * at all (docs/time-model.md).
 *
 * The protocol: JSON lines on the child's stdin (parent → child) and stdout (child → parent), after the settings
 * line and the ready line of embedded-child.ts. The parent sends `start`, then the trace's events in chunks as the
 * child asks for them (`more`: the child never holds more than two chunks of a long trace), then `end`, or `stop`
 * at any time (Ctrl-C, or its validity watch gave up on the target). The child sends `records` (answers, calls and
 * finished events, in the order `runExact` made them) and ends with `done` (the result) or `failed`.
 */
import type { FastifyInstance } from 'fastify';
import type { CallRecord } from '../../mock-sheets/admin-types.ts';
import type { EventCalls, EventOutcome } from '../outcome/outcome.ts';
import type { TraceEvent } from '../trace/types.ts';
import { InProcessDispatcher } from './embedded-dispatcher.ts';
import { type ExactMetrics, type ExactResult, runExact } from './exact.ts';
import { type HttpDriver, type HttpResult, classifyError, resultOf } from './http.ts';
import { sendInProcess } from './in-process-http.ts';
import { type SheetsAdmin, createSheetsAdmin } from './sheets-admin.ts';
import { guardTarget } from './target-guard.ts';
import { type ObservedEvent, TargetWatch, type ValidityRules } from './validity.ts';
import { type Warmup, warmUp } from './warmup.ts';

/** Events per chunk the parent sends. */
const CHUNK = 256;

/** What the child's run is started with. */
export interface ExactStart {
  epochMs: number;
  timeoutMs: number;
  serial: boolean;
  /** The parent's validity rules: the child stops at the answer that makes its target unreachable, as runExact would. */
  validity: ValidityRules;
}

/** One thing `runExact` did, in its order: an answer, a Sheets call recorded, an event finished (and its line). */
export type ExactRecord = { a: ObservedEvent } | { c: [CallRecord, number] } | { e: [EventOutcome, EventCalls | null] };

/** The result as it crosses the pipe: the mock's failure as its message. */
export type ExactResultWire = Omit<ExactResult, 'sheetsError'> & { sheetsError: string | null };

export type ToChild = { start: ExactStart } | { events: TraceEvent[] } | { end: true } | { stop: true };
export type FromChild = { more: true } | { records: ExactRecord[] } | { done: ExactResultWire } | { failed: string };

/**
 * Call `onLine` with each line of `stream` (UTF-8, the newline dropped) as its chunks arrive: both ends of the
 * child's pipes are JSON lines. Returns whether part of a line is still waiting for its newline.
 */
export function readLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): { pending(): boolean } {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    rest += chunk;
    for (let nl = rest.indexOf('\n'); nl >= 0; nl = rest.indexOf('\n')) {
      const line = rest.slice(0, nl);
      rest = rest.slice(nl + 1);
      onLine(line);
    }
  });
  return { pending: () => rest !== '' };
}

/**
 * Requests to a Fastify app in this process (`sendInProcess`), as the HTTP driver would make them and read their answers.
 * An answer that takes longer than `timeoutMs` is a TIMEOUT, as over HTTP (the app goes on with the request).
 */
export function inProcessDriver(app: FastifyInstance, timeoutMs: number): HttpDriver {
  return {
    async send(req, headers) {
      const hasBody = req.body !== undefined && req.method !== 'GET';
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<HttpResult>((resolve) => {
        timer = setTimeout(() => resolve({ status: null, error: 'TIMEOUT', text: '', json: undefined }), timeoutMs);
      });
      const answer = sendInProcess(app, {
        method: req.method,
        url: req.path,
        headers: hasBody ? { ...headers, 'content-type': 'application/json' } : headers,
        ...(hasBody ? { body: JSON.stringify(req.body) } : {}),
      }).then(
        (res) => resultOf(res.statusCode, res.headers, res.body),
        (err: unknown): HttpResult => ({ status: null, error: classifyError(err), text: '', json: undefined }),
      );
      try {
        return await Promise.race([answer, late]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {},
  };
}

/** The mock's admin API reached in this process (no socket); closing it leaves the mock alone. */
function inProcessAdmin(apps: { mock: FastifyInstance; sheetsUrl: string }, timeoutMs: number): SheetsAdmin {
  return createSheetsAdmin(apps.sheetsUrl, timeoutMs, new InProcessDispatcher(apps.mock));
}

/**
 * The warm-up of exact mode (warmup.ts) run in the child, before its ready line: the same request at trace t = 0 and
 * the same figures, without the replayer's HTTP round trips to the backend and to the mock's admin routes.
 */
export async function warmUpInside(apps: { backend: FastifyInstance; mock: FastifyInstance; sheetsUrl: string }, epochMs: number, timeoutMs: number): Promise<Warmup> {
  const sheets = inProcessAdmin(apps, timeoutMs);
  try {
    return await warmUp({ url: 'http://embedded', sheets, virtualNowMs: epochMs, speed: 1, timeoutMs, driver: inProcessDriver(apps.backend, timeoutMs) });
  } finally {
    await sheets.close();
  }
}

/**
 * The child's side: run exact mode against `backend` and `mock` (both in this process) with the events the parent
 * sends, sending back what happened (at the end `done` or `failed`). Returns the inbox for every message after `start`.
 */
export function serveExact(apps: { backend: FastifyInstance; mock: FastifyInstance; sheetsUrl: string }, start: ExactStart, send: (m: FromChild) => void): (m: ToChild) => void {
  const queue: TraceEvent[] = [];
  let ended = false;
  let wake: (() => void) | null = null;
  const stop = new AbortController();
  const inbox = (m: ToChild): void => {
    if ('events' in m) queue.push(...m.events);
    else if ('end' in m) ended = true;
    else if ('stop' in m) stop.abort();
    wake?.();
  };

  let records: ExactRecord[] = [];
  let lastSent = performance.now();
  const sendRecords = (): void => {
    lastSent = performance.now();
    if (records.length === 0) return;
    send({ records });
    records = [];
  };
  // Sent in batches: every 256 records, when the schedule waits for events, and at least every 20 ms of a slow run.
  const record = (r: ExactRecord): void => {
    records.push(r);
    if (records.length >= 256 || performance.now() - lastSent >= 20) sendRecords();
  };

  async function* events(): AsyncGenerator<TraceEvent> {
    let taken = 0;
    for (;;) {
      while (taken === queue.length) {
        if (ended || stop.signal.aborted) return;
        sendRecords();
        await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
      }
      yield queue[taken]!;
      taken += 1;
      if (taken % CHUNK === 0) {
        // A chunk consumed: drop it, ask for the next, and let the parent's messages (a stop) in.
        queue.splice(0, taken);
        taken = 0;
        send({ more: true });
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
  }

  const metrics: ExactMetrics = {
    addCall: (call, simMs) => record({ c: [call, simMs] }),
    addEvent: () => undefined, // the parent records the `e` record into its metrics
  };
  const sheets = inProcessAdmin(apps, start.timeoutMs);
  const guard = guardTarget(new TargetWatch(start.validity), () => null, () => 0, stop.signal);
  void (async () => {
    try {
      // Trace t = 0: quota minute 0 starts here and the warm-up's quota use is forgotten (as run-execute.ts does
      // for a target over HTTP).
      await sheets.setOrigin(start.epochMs);
      const res = await runExact({
        events: events(),
        url: 'http://embedded',
        sheets,
        epochMs: start.epochMs,
        timeoutMs: start.timeoutMs,
        metrics,
        onEvent: (outcome, calls) => record({ e: [outcome, calls] }),
        onAnswer: (answer) => {
          record({ a: answer });
          guard.observe(answer);
        },
        signal: guard.signal,
        driver: inProcessDriver(apps.backend, start.timeoutMs),
        serial: start.serial,
        finishEveryMs: 20,
      });
      sendRecords();
      send({ done: { ...res, sheetsError: res.sheetsError?.message ?? null } });
    } catch (err) {
      sendRecords();
      send({ failed: (err as Error).message });
    } finally {
      guard.close();
      await sheets.close();
    }
  })();
  return inbox;
}

/** What the parent's side needs of the run: where the records go (each in the order the child made it). */
export interface ExactSinks {
  metrics: ExactMetrics;
  onEvent: (outcome: EventOutcome, calls: EventCalls | null) => void;
  onAnswer: (answer: ObservedEvent) => void;
}

/** The parent's end of the messages with the child. */
export interface ExactChannel {
  send(m: ToChild): void;
  /** Every message from the child in order, then `onClose` if the child goes away. */
  listen(onMessage: (m: FromChild) => void, onClose: (why: string) => void): void;
}

/** The parent's side: feed the trace to the child and apply what it sends; resolves with the run's result. */
export async function exactInChild(
  channel: ExactChannel,
  start: ExactStart,
  events: AsyncIterable<TraceEvent>,
  sinks: ExactSinks,
  signal: AbortSignal,
): Promise<ExactResult> {
  const iterator = events[Symbol.asyncIterator]();
  let fed = false;
  const feed = async (): Promise<void> => {
    if (fed) return;
    const chunk: TraceEvent[] = [];
    while (chunk.length < CHUNK) {
      const next = await iterator.next();
      if (next.done) {
        fed = true;
        break;
      }
      chunk.push(next.value);
    }
    if (chunk.length > 0) channel.send({ events: chunk });
    if (fed) channel.send({ end: true });
  };
  const onStop = (): void => channel.send({ stop: true });

  return new Promise<ExactResult>((resolve, reject) => {
    // Feeding is serial: a `more` waits for the chunk before it (a trace read error rejects the run).
    let feeding: Promise<void> = Promise.resolve();
    const more = (): void => {
      feeding = feeding.then(feed).catch((err: unknown) => {
        onStop();
        reject(err);
      });
    };
    // What the parent saw, for a child that goes away before its result.
    let answered = 0;
    let lastEndMs = 0;
    channel.listen(
      (m) => {
        if ('more' in m) more();
        else if ('records' in m) {
          for (const r of m.records) {
            if ('a' in r) {
              answered += 1;
              sinks.onAnswer(r.a);
            } else if ('c' in r) sinks.metrics.addCall(r.c[0], r.c[1]);
            else {
              lastEndMs = Math.max(lastEndMs, r.e[0].intendedMs + r.e[0].responseMs);
              sinks.metrics.addEvent(r.e[0], r.e[1]);
              sinks.onEvent(r.e[0], r.e[1]);
            }
          }
        } else if ('done' in m) {
          signal.removeEventListener('abort', onStop);
          void feeding.then(() => resolve({ ...m.done, sheetsError: m.done.sheetsError === null ? null : new Error(m.done.sheetsError) }));
        } else {
          signal.removeEventListener('abort', onStop);
          reject(new Error(m.failed));
        }
      },
      (why) => {
        signal.removeEventListener('abort', onStop);
        // The child is gone mid-run: what it sent is recorded; as when its mock stops answering over HTTP.
        resolve({ digest: null, workbookDigest: null, dispatched: answered, interrupted: signal.aborted, virtualMs: lastEndMs, longestEventMs: 0, sheetsError: new Error(why) });
      },
    );
    signal.addEventListener('abort', onStop, { once: true });
    channel.send({ start });
    // Two chunks ahead: the child asks for one more as it finishes each.
    more();
    more();
    if (signal.aborted) onStop();
  });
}
