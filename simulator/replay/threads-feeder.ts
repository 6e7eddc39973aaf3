/**
 * The main thread's trace reader in a threaded run (threads.ts): routes each event to its worker's thread, posts
 * batches so that about LOOKAHEAD_MS of the trace is with the threads ahead of the schedule, and before t0 posts the
 * first LOOKAHEAD_MS (parsed and posted before anything is due). The trace is read once, here.
 */
import type { TraceEvent } from '../trace/types.ts';
import type { ReplayClock } from './clock.ts';

/** How far ahead of its time (wall ms) an event is posted to its thread. */
export const LOOKAHEAD_MS = 1000;
/** Events per posted batch when the reader runs behind (a dense trace): bounds each message's size. */
const BATCH = 512;

export interface Deferred<T> {
  promise: Promise<T>;
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export interface FeederOptions {
  events: AsyncIterable<TraceEvent> | Iterable<TraceEvent>;
  threads: number;
  /** The thread of a virtual worker. */
  route: (worker: number) => number;
  /** Post a batch of events to thread `i` (null: no more events). */
  post: (i: number, events: TraceEvent[] | null) => void;
  speed: number;
  clock: ReplayClock;
  /** Wall ms after t0 when the run stops sending: past it the rest is read without waiting (recorded as NOT_SENT). */
  deadlineMs?: number;
  signal: AbortSignal;
  /** A bad trace line: called once, after which the feeder posts what it has and ends. */
  onError: (err: unknown) => void;
}

export class ThreadFeeder {
  /** Resolves once the first LOOKAHEAD_MS of the trace (or all of it) is posted. */
  readonly prefilled = deferred<void>();
  /** Resolves when the feeder has read the whole trace (or stopped) and told every thread. */
  readonly done: Promise<void>;
  /** The error of a bad trace line, once read. */
  error: unknown = null;
  /** Events due in the first wall second (counted as read; complete once `prefilled` resolves). */
  firstSecond = 0;
  private readonly started = deferred<void>();
  private startLocal: number | null = null;
  private buffers: TraceEvent[][];

  constructor(private readonly o: FeederOptions) {
    this.buffers = Array.from({ length: o.threads }, () => []);
    this.done = this.feed();
  }

  /** t0 is `startLocal` (clock ms): keep feeding LOOKAHEAD_MS ahead of it. */
  start(startLocal: number): void {
    this.startLocal = startLocal;
    this.started.resolve();
  }

  /** Let a feeder waiting for t0 go on (the run ended before it started). */
  release(): void {
    this.started.resolve();
  }

  private flush(i: number): void {
    if (this.buffers[i]!.length === 0) return;
    this.o.post(i, this.buffers[i]!);
    this.buffers[i] = [];
  }

  private flushAll(): void {
    for (let i = 0; i < this.o.threads; i++) this.flush(i);
  }

  private async feed(): Promise<void> {
    const { o } = this;
    try {
      for await (const e of o.events) {
        if (o.signal.aborted) break;
        const i = o.route(e.worker);
        this.buffers[i]!.push(e);
        if (this.buffers[i]!.length >= BATCH) this.flush(i);
        const dueMs = e.t / o.speed;
        if (dueMs < 1000) this.firstSecond += 1;
        if (this.startLocal === null && dueMs >= LOOKAHEAD_MS) {
          this.flushAll();
          this.prefilled.resolve();
          await this.started.promise;
        }
        if (this.startLocal !== null) {
          const deadlineAt = o.deadlineMs === undefined ? Infinity : this.startLocal + o.deadlineMs;
          const wakeAt = Math.min(this.startLocal + dueMs - LOOKAHEAD_MS, deadlineAt);
          if (o.clock.now() < wakeAt) {
            this.flushAll();
            await o.clock.sleepUntil(wakeAt, o.signal);
          }
        }
        if (o.signal.aborted) break;
      }
    } catch (err) {
      this.error = err;
      o.onError(err);
    } finally {
      this.flushAll();
      for (let i = 0; i < o.threads; i++) o.post(i, null);
      this.prefilled.resolve();
    }
  }
}
