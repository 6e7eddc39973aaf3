/**
 * Exact mode (the reproduction): one event at a time in trace order on a virtual clock shared with the mock
 * (and with the reference backend through `x-sheetsim-time`). Injected Sheets latency is accounted, never
 * slept. Three local round trips per event: set the clock, send the request, read the event's calls.
 */
import { createHash, type Hash } from 'node:crypto';
import type { CallRecord } from '../../mock-sheets/admin-types.ts';
import type { RunMetrics } from '../metrics/run-metrics.ts';
import type { TraceEvent } from '../trace/types.ts';
import { createDriver, type HttpDriver } from './http.ts';
import type { EventCalls, EventOutcome } from '../outcome/outcome.ts';
import { actionTaken, foldCalls, normaliseBody } from '../outcome/outcome.ts';
import type { SheetsAdmin } from './sheets-admin.ts';
import { traceparentForSeq } from '../outcome/traceparent.ts';

export interface ExactOptions {
  events: AsyncIterable<TraceEvent> | Iterable<TraceEvent>;
  url: string;
  sheets: SheetsAdmin;
  /** Epoch ms of trace time 0 (the mock's and backend's clock start there). */
  epochMs: number;
  timeoutMs: number;
  metrics: RunMetrics;
  onEvent?: (outcome: EventOutcome, calls: EventCalls | null) => void;
  signal?: AbortSignal;
  driver?: HttpDriver;
  onProgress?: (done: number) => void;
}

export interface ExactResult {
  /** Outcome digest (sha256 hex) over statuses, bodies, Sheets calls and the final workbook. */
  digest: string;
  workbookDigest: string;
  dispatched: number;
  interrupted: boolean;
  /** Virtual time the run covered: last event's t plus all accounted latency. */
  virtualMs: number;
}

/** Feed one event's outcome and its calls into the digest (field order fixed: the digest is a contract). */
export function digestEvent(hash: Hash, outcome: EventOutcome, calls: CallRecord[]): void {
  hash.update(`E\t${outcome.event.seq}\t${outcome.status ?? `error:${outcome.error}`}\t${outcome.body}\n`);
  for (const c of calls) hash.update(`C\t${c.method}\t${c.ranges.join(',')}\t${c.rows}\t${c.cells}\t${c.status}\n`);
}

/** Replay the events in exact mode and return the outcome digest. */
export async function runExact(opts: ExactOptions): Promise<ExactResult> {
  const driver = opts.driver ?? createDriver({ url: opts.url, connections: 1, timeoutMs: opts.timeoutMs });
  const hash = createHash('sha256');
  let cursor = await opts.sheets.lastCallId();
  let accounted = 0;
  let dispatched = 0;
  let lastT = 0;
  try {
    for await (const event of opts.events) {
      if (opts.signal?.aborted) break;
      const sendMs = event.t + accounted;
      const nowMs = opts.epochMs + sendMs;
      await opts.sheets.setClock(nowMs);
      const res = await driver.send(event.req, {
        traceparent: traceparentForSeq(event.seq),
        'x-sheetsim-seq': String(event.seq),
        'x-sheetsim-time': String(nowMs),
      });
      const calls = await opts.sheets.callsAfter(cursor);
      for (const c of calls) cursor = Math.max(cursor, c.id);
      const latency = calls.reduce((sum, c) => sum + c.latencyMs, 0);
      accounted += latency;
      dispatched += 1;
      lastT = event.t;
      const outcome: EventOutcome = {
        event,
        intendedMs: sendMs,
        startMs: sendMs,
        responseMs: latency,
        serviceMs: latency,
        latenessMs: 0,
        status: res.status,
        error: res.error,
        body: res.status === null ? '' : normaliseBody(res.text, res.json),
        action_taken: actionTaken(res.json),
      };
      digestEvent(hash, outcome, calls);
      for (const c of calls) opts.metrics.addCall(c, c.clockMs - opts.epochMs);
      const folded = foldCalls(calls);
      opts.metrics.addEvent(outcome, folded);
      opts.onEvent?.(outcome, folded);
      opts.onProgress?.(dispatched);
    }
  } finally {
    if (!opts.driver) await driver.close();
  }
  const workbookDigest = await opts.sheets.stateDigest();
  hash.update(`W\t${workbookDigest}\n`);
  return { digest: hash.digest('hex'), workbookDigest, dispatched, interrupted: opts.signal?.aborted === true, virtualMs: lastT + accounted };
}
