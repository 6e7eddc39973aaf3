/**
 * The open-model scheduler: event e is due at t0 + e.t / speed whether or not earlier requests returned; a
 * worker's own requests stay in trace order (its next request waits for its previous response, and that wait
 * shows as lateness). One loop sleeps until the next due time and dispatches everything due.
 */
import type { TraceEvent } from '../trace/types.ts';
import type { ReplayClock } from './clock.ts';
import { ReadAhead } from './read-ahead.ts';

/** Sends one event; resolves when its response (or transport error) arrived. Must not reject. */
export type Dispatch = (event: TraceEvent, intendedMs: number) => Promise<void>;

export interface ScheduleOptions {
  clock: ReplayClock;
  speed: number;
  /** Events in trace order: an array or generator, a trace's async stream, or a ReadAhead primed before t0. */
  events: AsyncIterable<TraceEvent> | Iterable<TraceEvent> | ReadAhead;
  dispatch: Dispatch;
  /** Stops scheduling; requests in flight get `graceMs` to finish. */
  signal?: AbortSignal;
  graceMs?: number;
  /** Called with t0 once the schedule starts (clock time of trace time 0). */
  onStart?: (t0: number) => void;
  /** Clock time of trace time 0 when several schedules share one start (threads); default: now. */
  startAt?: number;
  /**
   * The run's deadline, ms after t0 (see `runDeadlineMs`). At the deadline nothing more is sent: every event not
   * yet sent goes to `onNotSent`, and the schedule returns without waiting for requests still in flight (listed
   * in `inFlightAtStop`).
   */
  deadlineMs?: number;
  onNotSent?: (event: TraceEvent, intendedMs: number) => void;
  /** Receives a live view of the schedule (for the overload detector and the progress line). */
  probe?: (p: ScheduleProbe) => void;
  /**
   * Called for each event the loop sends while its worker is free, with how late (clock ms after its intended time)
   * the loop got to it: the replayer's own lateness, none of it the target's. Events that wait behind their worker's
   * previous request are not reported (their lateness is the target's answer time, in part or whole).
   */
  onSendLag?: (lagMs: number) => void;
}

/** A live view of a running schedule. */
export interface ScheduleProbe {
  /** Requests sent and not answered. */
  inFlight(): number;
  /** Events due and waiting behind their worker's previous request. */
  waiting(): number;
  /** Intended (clock) time of the oldest waiting event, or null when none waits. */
  oldestWaitingIntended(): number | null;
}

/** The deadline of a realtime run, ms of wall time after t0: the trace's duration at `speed`, plus a grace. */
export function runDeadlineMs(traceDurationMs: number, speed: number, graceMs: number): number {
  return Math.ceil(traceDurationMs / speed + graceMs);
}

/** A virtual worker's state in the schedule. */
interface WorkerSlot {
  /** Its request in flight, or null. */
  flying: TraceEvent | null;
  /** That request's intended start (clock ms). */
  intended: number;
  /** When the schedule sent it (clock ms). */
  sentAt: number;
  /** That request's place in the send order (1 = the first event sent). */
  sentAs: number;
  /** Its events that came due while it was busy, in order. */
  queue: { event: TraceEvent; intended: number }[];
}

export interface ScheduleResult {
  t0: number;
  /** Events handed to dispatch. */
  dispatched: number;
  /** True when the signal stopped the schedule before the trace ended or in-flight requests were abandoned. */
  interrupted: boolean;
  /** Requests still in flight when the grace period (or the deadline) ran out. */
  abandoned: number;
  /** True when the deadline stopped the run. */
  deadlineHit: boolean;
  /** Events passed to `onNotSent`. */
  notSent: number;
  /** The requests still in flight when the schedule returned (abandoned), with their intended times. */
  inFlightAtStop: { event: TraceEvent; intendedMs: number; sentMs: number }[];
}

/** Run the schedule to the end of the events (or until the signal fires, or the deadline). */
export async function runSchedule(opts: ScheduleOptions): Promise<ScheduleResult> {
  const { clock, speed, dispatch, signal, onSendLag } = opts;
  const t0 = opts.startAt ?? clock.now();
  opts.onStart?.(t0);
  const deadline = opts.deadlineMs === undefined ? Infinity : t0 + opts.deadlineMs;
  // One slot per virtual worker, made on its first event and kept to the end: its request in flight (a worker has
  // at most one) and the events waiting behind it. Entries added and deleted per event (a Set of busy workers, a Map
  // of requests in flight) made V8 reallocate their hash tables all the time, garbage that lived long enough to be
  // promoted and so brought the run's mark-compacts sooner (bench/README.md "replayer", round 7).
  const slots = new Map<number, WorkerSlot>();
  const slotOf = (worker: number): WorkerSlot => {
    let slot = slots.get(worker);
    if (!slot) slots.set(worker, (slot = { flying: null, intended: 0, sentAt: 0, sentAs: 0, queue: [] }));
    return slot;
  };
  let inFlight = 0;
  let waiting = 0;
  let dispatched = 0;
  let notSent = 0;
  let stopped = false;
  let drained: (() => void) | null = null;
  opts.probe?.({
    inFlight: () => inFlight,
    waiting: () => waiting,
    oldestWaitingIntended: () => {
      let oldest: number | null = null;
      for (const { queue: q } of slots.values()) if (q.length > 0 && (oldest === null || q[0]!.intended < oldest)) oldest = q[0]!.intended;
      return oldest;
    },
  });

  const send = (slot: WorkerSlot, event: TraceEvent, intended: number, now: number): void => {
    slot.flying = event;
    slot.intended = intended;
    slot.sentAt = now;
    inFlight += 1;
    dispatched += 1;
    slot.sentAs = dispatched;
    const done = (): void => finish(event);
    void dispatch(event, intended).then(done, done);
  };
  const finish = (event: TraceEvent): void => {
    const slot = slots.get(event.worker);
    if (slot?.flying !== event) return; // abandoned at the deadline: already accounted for
    slot.flying = null;
    inFlight -= 1;
    // Nothing more goes out once stopped (signal or deadline), not even a worker's next event.
    const next = stopped || signal?.aborted ? undefined : slot.queue.shift();
    if (next) {
      waiting -= 1;
      send(slot, next.event, next.intended, clock.now());
    }
    if (inFlight === 0 && drained) drained();
  };
  const giveUp = (event: TraceEvent, intended: number): void => {
    notSent += 1;
    opts.onNotSent?.(event, intended);
  };

  // A sync source (an array) is walked without `for await`, which would cost a few promise turns per event; an
  // async one (a trace file) is read ahead into a buffer (see read-ahead.ts). Everything already due goes out in one
  // synchronous pass, and the loop only awaits to sleep (or when the read-ahead buffer ran dry).
  const source = opts.events;
  const syncIt = Symbol.iterator in source ? (source as Iterable<TraceEvent>)[Symbol.iterator]() : null;
  const ahead = syncIt ? null : source instanceof ReadAhead ? source : new ReadAhead(source as AsyncIterable<TraceEvent>);
  const pull = async (): Promise<IteratorResult<TraceEvent>> => {
    if (syncIt) return syncIt.next();
    for (;;) {
      const r = ahead!.nextSync();
      if (r) return r;
      await ahead!.wait();
    }
  };
  let exhausted = false;
  let deadlineHit = false;
  try {
    for (;;) {
      if (signal?.aborted) break;
      const next = syncIt ? syncIt.next() : (ahead!.nextSync() ?? (await pull()));
      if (next.done) {
        exhausted = true;
        break;
      }
      const event = next.value;
      const intended = t0 + event.t / speed;
      let now = clock.now();
      if (now < intended) {
        await clock.sleepUntil(Math.min(intended, deadline), signal);
        now = clock.now();
      }
      if (signal?.aborted) break;
      if (now >= deadline) {
        deadlineHit = true;
        giveUp(event, intended);
        break;
      }
      const slot = slotOf(event.worker);
      if (slot.flying !== null) {
        slot.queue.push({ event, intended });
        waiting += 1;
      } else {
        send(slot, event, intended, now);
        onSendLag?.(now - intended);
      }
    }
    // The deadline came while events were still being read: the rest of the trace is not sent either.
    if (deadlineHit) {
      for (let next = await pull(); !next.done; next = await pull()) giveUp(next.value, t0 + next.value.t / speed);
      exhausted = true;
    }
  } finally {
    // As `for await` would on an early exit: let the source release its file.
    if (!exhausted) await (syncIt ? syncIt.return?.() : ahead!.close());
  }
  const interrupted = signal?.aborted === true;
  if (interrupted) {
    stopped = true;
    for (const slot of slots.values()) slot.queue = [];
    waiting = 0;
  }
  if (inFlight > 0 || waiting > 0) {
    const allDone = new Promise<void>((resolve) => (drained = resolve));
    // A local signal ends the grace (or deadline) sleep as soon as everything returned, so no timer outlives the run.
    const sleepStop = new AbortController();
    if (interrupted) {
      await Promise.race([allDone, clock.sleepUntil(clock.now() + (opts.graceMs ?? 5000), sleepStop.signal)]);
    } else if (!deadlineHit && deadline !== Infinity) {
      await Promise.race([allDone, clock.sleepUntil(deadline, sleepStop.signal)]);
      if (inFlight > 0 || waiting > 0) deadlineHit = true;
    } else if (!deadlineHit) {
      await allDone;
    }
    sleepStop.abort();
  }
  if (deadlineHit) {
    stopped = true;
    for (const slot of slots.values()) {
      for (const w of slot.queue) giveUp(w.event, w.intended);
      slot.queue = [];
    }
    waiting = 0;
  }
  // In the order they were sent.
  const abandoned = [...slots.values()].filter((s) => s.flying !== null).sort((a, b) => a.sentAs - b.sentAs);
  const inFlightAtStop = abandoned.map((s) => ({ event: s.flying!, intendedMs: s.intended, sentMs: s.sentAt }));
  // Abandoned: a late answer must not count (finish ignores it).
  for (const slot of abandoned) slot.flying = null;
  return { t0, dispatched, interrupted, abandoned: inFlightAtStop.length, deadlineHit, notSent, inFlightAtStop };
}
