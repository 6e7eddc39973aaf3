/**
 * The open-model scheduler: event e is due at t0 + e.t / speed whether or not earlier requests returned; a
 * worker's own requests stay in trace order (its next request waits for its previous response, and that wait
 * shows as lateness). One loop sleeps until the next due time and dispatches everything due.
 */
import type { TraceEvent } from '../trace/types.ts';
import type { ReplayClock } from './clock.ts';

/** Sends one event; resolves when its response (or transport error) arrived. Must not reject. */
export type Dispatch = (event: TraceEvent, intendedMs: number) => Promise<void>;

export interface ScheduleOptions {
  clock: ReplayClock;
  speed: number;
  events: AsyncIterable<TraceEvent> | Iterable<TraceEvent>;
  dispatch: Dispatch;
  /** Stops scheduling; requests in flight get `graceMs` to finish. */
  signal?: AbortSignal;
  graceMs?: number;
  /** Called with t0 once the schedule starts (clock time of trace time 0). */
  onStart?: (t0: number) => void;
}

export interface ScheduleResult {
  t0: number;
  /** Events handed to dispatch. */
  dispatched: number;
  /** True when the signal stopped the schedule before the trace ended or in-flight requests were abandoned. */
  interrupted: boolean;
  /** Requests still in flight when the grace period ran out. */
  abandoned: number;
}

/** Run the schedule to the end of the events (or until the signal fires). */
export async function runSchedule(opts: ScheduleOptions): Promise<ScheduleResult> {
  const { clock, speed, dispatch, signal } = opts;
  const t0 = clock.now();
  opts.onStart?.(t0);
  const busy = new Set<number>();
  const queues = new Map<number, { event: TraceEvent; intended: number }[]>();
  let inFlight = 0;
  let dispatched = 0;
  let stopped = false;
  let drained: (() => void) | null = null;

  const send = (event: TraceEvent, intended: number): void => {
    busy.add(event.worker);
    inFlight += 1;
    dispatched += 1;
    const done = (): void => finish(event.worker);
    void dispatch(event, intended).then(done, done);
  };
  const finish = (worker: number): void => {
    inFlight -= 1;
    const queue = queues.get(worker);
    const next = stopped ? undefined : queue?.shift();
    if (queue && queue.length === 0) queues.delete(worker);
    if (next) send(next.event, next.intended);
    else busy.delete(worker);
    if (inFlight === 0 && drained) drained();
  };

  // A sync source (an array) is walked without `for await`, which would cost a few promise turns per event;
  // everything already due goes out in one synchronous pass, and the loop only awaits to sleep.
  const source = opts.events;
  const syncIt = Symbol.iterator in source ? (source as Iterable<TraceEvent>)[Symbol.iterator]() : null;
  const asyncIt = syncIt ? null : (source as AsyncIterable<TraceEvent>)[Symbol.asyncIterator]();
  let exhausted = false;
  try {
    for (;;) {
      if (signal?.aborted) break;
      const next = syncIt ? syncIt.next() : await asyncIt!.next();
      if (next.done) {
        exhausted = true;
        break;
      }
      const event = next.value;
      const intended = t0 + event.t / speed;
      if (clock.now() < intended) await clock.sleepUntil(intended, signal);
      if (signal?.aborted) break;
      if (busy.has(event.worker)) {
        let queue = queues.get(event.worker);
        if (!queue) queues.set(event.worker, (queue = []));
        queue.push({ event, intended });
      } else {
        send(event, intended);
      }
    }
  } finally {
    // As `for await` would on an early exit: let the source release its file.
    if (!exhausted) await (syncIt ? syncIt.return?.() : asyncIt!.return?.());
  }
  const interrupted = signal?.aborted === true;
  if (interrupted) {
    stopped = true;
    queues.clear();
  }
  if (inFlight > 0) {
    const allDone = new Promise<void>((resolve) => (drained = resolve));
    if (interrupted) {
      // A local signal ends the grace sleep as soon as everything returned, so no timer outlives the run.
      const graceStop = new AbortController();
      const graceEnd = clock.now() + (opts.graceMs ?? 5000);
      await Promise.race([allDone, clock.sleepUntil(graceEnd, graceStop.signal)]);
      graceStop.abort();
    } else {
      await allDone;
    }
  }
  return { t0, dispatched, interrupted, abandoned: inFlight };
}
