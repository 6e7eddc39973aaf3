/**
 * Events read ahead of the schedule. A trace streams through a few async generators (reader, shard filter), and
 * awaiting each event from them in the dispatch loop cost several promise turns per event right where sends are
 * due. Here a pump fills a buffer in the background (and, before t0, the first part of the trace is parsed into
 * it), so the schedule takes due events synchronously and awaits only when the buffer is really empty.
 */
import type { TraceEvent } from '../trace/types.ts';

/**
 * Buffer this many events ahead by default; the pump refills once fewer than half remain. Small on purpose: an event
 * read long before it is due survives scavenges (copied, then promoted to the old generation), and the scavenge
 * pauses of a dense run are lateness; 2,048 is still ~100 ms of events at 20,000/s. (It was 8,192.)
 */
export const READ_AHEAD_EVENTS = 2048;

/**
 * However sparse the trace, the buffer may always hold this many events; past it, it holds no more than `aheadT` of
 * trace time (see the constructor). At 1,000 events/s a 2,048-event buffer was 2 s of events kept alive through every
 * scavenge of those 2 s: measured with `--trace-gc` (bench/README.md "replayer", round 3), the run's scavenges paused
 * 2.0–5.6 ms on average (max 2.8–9.8) against 1.6–2.0 ms (max 2.0–2.5) with the buffer bounded in time.
 */
export const READ_AHEAD_MIN_EVENTS = 256;

/** Events pulled per event-loop turn while refilling in the background. */
const PUMP_SLICE = 64;

/** A buffered event source: `nextSync` serves what is buffered, `wait` resolves once more is (or the end). */
export class ReadAhead {
  private readonly it: AsyncIterator<TraceEvent>;
  private buf: TraceEvent[] = [];
  private head = 0;
  private done = false;
  private error: { err: unknown } | null = null;
  private pumping: Promise<void> | null = null;
  private closed = false;
  private waiter: (() => void) | null = null;

  /**
   * @param high at most this many events buffered
   * @param aheadT at most this much trace time (ms) buffered beyond the next event, once READ_AHEAD_MIN_EVENTS are
   *   (realtime passes a quarter of a wall second at the run's speed); `prime` is not bounded by it
   */
  constructor(source: AsyncIterable<TraceEvent>, private readonly high: number = READ_AHEAD_EVENTS, private readonly aheadT: number = Infinity) {
    this.it = source[Symbol.asyncIterator]();
  }

  /** Events buffered and not yet taken. */
  get buffered(): number {
    return this.buf.length - this.head;
  }

  /** Trace time from the next buffered event to the last (0 when fewer than two are buffered). */
  private span(): number {
    return this.buffered < 2 ? 0 : this.buf[this.buf.length - 1]!.t - this.buf[this.head]!.t;
  }

  /** Whether the background refill has read far enough ahead. */
  private full(): boolean {
    const n = this.buffered;
    return n >= this.high || (n >= READ_AHEAD_MIN_EVENTS && this.span() >= this.aheadT);
  }

  /** Whether to start a refill: below half of either bound. */
  private low(): boolean {
    const n = this.buffered;
    return n < this.high / 2 && (n < READ_AHEAD_MIN_EVENTS / 2 || this.span() < this.aheadT / 2);
  }

  /**
   * Fill the buffer before the run: until it holds an event with `t` beyond `untilT`, or `max` events, or the source
   * ends. Errors are kept for the schedule to meet at their place in the trace.
   */
  async prime(untilT: number, max: number = 4 * this.high): Promise<void> {
    while (!this.done && !this.error && !this.closed && this.buffered < max) {
      const last = this.buf[this.buf.length - 1];
      if (last && this.buffered > 0 && last.t > untilT) break;
      await this.pullOne();
    }
  }

  /** Buffered events with `t` at most `tMax` (the density of the trace's start, once primed). */
  countUntil(tMax: number): number {
    let n = 0;
    for (let i = this.head; i < this.buf.length && this.buf[i]!.t <= tMax; i++) n += 1;
    return n;
  }

  /**
   * The next event if one is buffered ({done: true} at the end); null when the caller must `await wait()` first.
   * Throws the source's error once the events before it were taken.
   */
  nextSync(): IteratorResult<TraceEvent> | null {
    if (this.head < this.buf.length) {
      const event = this.buf[this.head]!;
      this.buf[this.head] = undefined as unknown as TraceEvent; // let it be collected once dispatched
      this.head += 1;
      if (this.head === this.buf.length) {
        this.buf = [];
        this.head = 0;
      } else if (this.head >= 4096 && this.head * 2 >= this.buf.length) {
        this.buf = this.buf.slice(this.head);
        this.head = 0;
      }
      if (this.low()) this.pump();
      return { done: false, value: event };
    }
    if (this.error) throw this.error.err;
    if (this.done) return { done: true, value: undefined };
    this.pump();
    return null;
  }

  /** Resolves once an event is buffered, the source ended or failed. */
  wait(): Promise<void> {
    if (this.buffered > 0 || this.done || this.error) return Promise.resolve();
    this.pump();
    return new Promise<void>((resolve) => (this.waiter = resolve));
  }

  /** Stop reading and let the source release its file (as `for await` does on an early exit). */
  async close(): Promise<void> {
    this.closed = true;
    await this.pumping;
    if (!this.done) {
      this.done = true;
      await this.it.return?.();
    }
  }

  private pump(): void {
    if (this.pumping || this.done || this.error || this.closed) return;
    this.pumping = (async () => {
      try {
        while (!this.done && !this.error && !this.closed && !this.full()) {
          // A source that has its chunk in memory answers in microtasks, which would hold timers and I/O (due sends,
          // responses) until the whole refill is read: give the loop a turn every few events.
          for (let i = 0; i < PUMP_SLICE && !this.done && !this.error && !this.closed; i++) await this.pullOne();
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
      } finally {
        this.pumping = null;
      }
    })();
  }

  private async pullOne(): Promise<void> {
    try {
      const r = await this.it.next();
      if (r.done) this.done = true;
      else this.buf.push(r.value);
    } catch (err) {
      this.error = { err };
    }
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }
}
