/**
 * Warming the replayer's own hot path before t0. A fresh process runs its first thousands of requests on cold
 * code: undici's client and its llhttp WebAssembly parser, the schedule, the driver, outcome building, histogram
 * recording and the events.jsonl line all start interpreted (a CPU profile of a 1,000 events/s run showed ~0.8 ms of
 * CPU per event in the first 300 ms against ~0.05 ms later), so a dense trace's first second was late by tens of ms.
 *
 * The warm-up replays synthetic traces through the run's own replay (runRealtime, injected by the caller: the read-ahead,
 * the schedule, dispatch, the call-log feed, the events line into a file stream) against a throwaway loopback server
 * in this process — never the target, whose state and Sheets quota the run must not touch before t0 — and records
 * into scratch metrics. What it made (its drivers and their sockets, metrics, writers) is then **held until the run
 * ends**: V8 throws away optimised code when objects it embeds weakly (maps, closures' contexts) die. Measured, not
 * derived: at 10,000 events/s through the CLI, three quiet alternated pairs gave a whole-run p99 lateness of 69–85 ms
 * held against 92–111 ms released before t0 (bench/README.md, replayer round 4). For the same reason nothing forces a
 * garbage collection between the warm-up and t0: the rounds' own schedules and closures are dead by then, and a full
 * GC invalidated the 60–70 optimised functions that embedded them, so the run's first second ran deoptimised (at
 * 10,000 events/s, a whole-run p99 lateness of 94–173 ms with that GC against 8–32 ms without; round 7).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { devNull } from 'node:os';
import { RunMetrics } from '../metrics/run-metrics.ts';
import { type EventCalls, type EventOutcome, eventLine } from '../outcome/outcome.ts';
import type { TraceEvent } from '../trace/types.ts';
import { EventsWriter } from './events-writer.ts';
import { type HttpDriver, createDriver } from './http.ts';

/** Warm up when the trace's first second holds at least this many events (wall time); sparser traces do not need it. */
export const WARMUP_MIN_EVENTS_PER_S = 500;

/** One warm-up round: replay `events` against `url` through the run's own code, with this driver and these sinks. */
export type WarmupReplay = (round: {
  url: string;
  events: AsyncIterable<TraceEvent>;
  connections: number;
  driver: HttpDriver;
  metrics: RunMetrics;
  onEvent: (outcome: EventOutcome, calls: EventCalls | null) => void;
}) => Promise<unknown>;

export interface HotPathWarmupOptions {
  replay: WarmupReplay;
  /** Rounds, each a fresh trace, driver, metrics and events writer (as a run has). */
  rounds: number;
  /** Events per round; they alternate GET and POST with a JSON body, as trace events do. */
  events: number;
  /** Events per ms of the synthetic trace. */
  perMs: number;
  /** Virtual workers (and connections) of the synthetic trace. */
  workers: number;
  /** Start no further round once aborted (a Ctrl-C before t0); the replay given should stop its round too. */
  signal?: AbortSignal;
}

/** What a warm-up made, kept alive until `release` (call it when the run ends). */
export interface WarmupHold {
  /** Events the warm-up's rounds answered. */
  answered: number;
  /** Close the warm-up's connections and its server; drops what was held. */
  release(): Promise<void>;
}

/** The synthetic trace of one round: GETs and POSTs alternating, `perMs` per ms, spread over `workers`. */
export async function* warmupEvents(n: number, perMs: number, workers: number): AsyncGenerator<TraceEvent> {
  for (let seq = 0; seq < n; seq++) {
    const t = Math.floor(seq / perMs);
    const worker = 1 + (seq % workers);
    yield seq % 2 === 0
      ? { seq, t, worker, op: 'health', scenario: 'warmup', req: { method: 'GET', path: '/api/health' } }
      : { seq, t, worker, op: 'finalizar', scenario: 'warmup', req: { method: 'POST', path: '/api/x', body: { tag: `OT-${seq % 100}`, worker: seq % 40 } } };
  }
}

/** Run the warm-up's rounds against a loopback server of this process; resolves with what must be held until t0's run ends. */
export async function warmHotPath(opts: HotPathWarmupOptions): Promise<WarmupHold> {
  const server = createServer((req, res) => {
    req.resume();
    req.once('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(req.method === 'POST' ? '{"action_taken":"PAUSAR","ok":true}' : '{"ok":true}');
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const held: { driver: HttpDriver; metrics: RunMetrics; writer: EventsWriter; outcomes: EventOutcome[] }[] = [];
  let answered = 0;
  const release = async (): Promise<void> => {
    const drivers = held.splice(0).map((h) => h.driver);
    await Promise.allSettled(drivers.map((d) => d.close()));
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  try {
    for (let r = 0; r < opts.rounds && !opts.signal?.aborted; r++) {
      const round = { driver: createDriver({ url, connections: opts.workers, timeoutMs: 5000 }), metrics: new RunMetrics(), writer: new EventsWriter(devNull), outcomes: [] as EventOutcome[] };
      held.push(round);
      try {
        await opts.replay({
          url,
          events: warmupEvents(opts.events, opts.perMs, opts.workers),
          connections: opts.workers,
          driver: round.driver,
          metrics: round.metrics,
          onEvent: (o, calls) => {
            round.writer.writeLine(eventLine(o, calls));
            if (o.status === 200) answered += 1;
            if (round.outcomes.length < 64) round.outcomes.push(o);
          },
        });
      } finally {
        await round.writer.close();
      }
    }
  } catch (err) {
    await release();
    throw err;
  }
  return { answered, release };
}
