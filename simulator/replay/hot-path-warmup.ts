/**
 * Warming the replayer's own hot path before t0. A fresh process runs its first thousands of requests on cold
 * code: undici's client and its llhttp WebAssembly parser, the driver, outcome building, histogram recording and
 * the events.jsonl line all start interpreted (a CPU profile of a 1,000 events/s run showed ~0.8 ms of CPU per
 * event in the first 300 ms against ~0.05 ms later), so a dense trace's first second was late by tens of ms. The
 * warm-up drives the same code against a throwaway loopback server in this process — never the target, whose
 * state and Sheets quota the run must not touch before t0 — and records into scratch metrics that are dropped.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RunMetrics } from '../metrics/run-metrics.ts';
import { eventLine } from '../outcome/outcome.ts';
import { traceparentForSeq } from '../outcome/traceparent.ts';
import type { TraceEvent } from '../trace/types.ts';
import type { ReplayClock } from './clock.ts';
import { answeredOutcome } from './event-outcomes.ts';
import { createDriver } from './http.ts';

/** Warm up when the trace's first second holds at least this many events (wall time); sparser traces do not need it. */
export const WARMUP_MIN_EVENTS_PER_S = 500;

export interface HotPathWarmupOptions {
  clock: ReplayClock;
  /** Requests to send (they alternate GET and POST with a JSON body, as trace events do). */
  requests: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Stop early after this many ms. */
  maxMs: number;
  /**
   * Go on past `requests`, in rounds of `round` requests, until a round is no faster per request than the one before
   * it (by more than `tolerance`, a share) — the code it drives has reached its optimised tier — or `maxRequests`
   * were sent (or `maxMs` passed). A fixed count left part of the tier-up (V8 compiles on background threads, which
   * share the replayer's core when it is pinned) to the run's first second.
   */
  untilSteady?: { round: number; tolerance: number; maxRequests: number };
}

/**
 * Whether a warm-up has reached its steady state, from the ms per request of its rounds so far: the last round was
 * not faster than the one before it by more than `tolerance` (a share, e.g. 0.1).
 */
export function warmedUp(roundMsPerRequest: readonly number[], tolerance: number): boolean {
  const n = roundMsPerRequest.length;
  if (n < 2) return false;
  return roundMsPerRequest[n - 1]! >= roundMsPerRequest[n - 2]! * (1 - tolerance);
}

/** Drive the replayer's per-event code against a loopback server of this process; resolves with what it sent. */
export async function warmHotPath(opts: HotPathWarmupOptions): Promise<{ requests: number; ms: number; rounds: number }> {
  const server = createServer((req, res) => {
    req.resume();
    req.once('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(req.method === 'POST' ? '{"action_taken":"PAUSAR","ok":true}' : '{"ok":true}');
    });
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const driver = createDriver({ url, connections: opts.concurrency, timeoutMs: 5000 });
  const metrics = new RunMetrics();
  const { clock } = opts;
  const t0 = clock.now();
  let sent = 0;
  let lines = 0;
  let target = opts.requests;
  const roundMs: number[] = [];
  try {
    await driver.preconnect?.(opts.concurrency);
    const worker = async (): Promise<void> => {
      while (sent < target && clock.now() - t0 < opts.maxMs) {
        const seq = sent++;
        const event: TraceEvent = seq % 2 === 0
          ? { seq, t: seq, worker: 1, op: 'health', scenario: 'warmup', req: { method: 'GET', path: '/api/health' } }
          : { seq, t: seq, worker: 1, op: 'finalizar', scenario: 'warmup', req: { method: 'POST', path: '/api/x', body: { tag: `OT-${seq % 100}`, worker: seq % 40 } } };
        const start = clock.now();
        const res = await driver.send(event.req, { traceparent: traceparentForSeq(seq), 'x-sheetsim-seq': String(seq) });
        const outcome = answeredOutcome(event, t0, start, start, clock.now(), 1, res);
        metrics.addEvent(outcome, null);
        lines += eventLine(outcome, null).length > 0 ? 1 : 0;
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency }, worker));
    const steady = opts.untilSteady;
    if (steady && steady.round > 0) {
      while (sent >= target && target < steady.maxRequests && clock.now() - t0 < opts.maxMs && !warmedUp(roundMs, steady.tolerance)) {
        const from = sent;
        const start = clock.now();
        target = Math.min(steady.maxRequests, target + steady.round);
        await Promise.all(Array.from({ length: opts.concurrency }, worker));
        if (sent > from) roundMs.push((clock.now() - start) / (sent - from));
      }
    }
  } finally {
    await driver.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return { requests: lines, ms: clock.now() - t0, rounds: roundMs.length };
}
