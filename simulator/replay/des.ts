/**
 * The discrete-event scheduler of exact mode. Each worker has its own timeline: an event starts at
 * max(its t, the virtual end of its worker's previous event), and events run one at a time in (start, seq)
 * order — a priority queue over the workers' next events, never one global running sum. The trace is
 * streamed: an event is read only once no unread event could start before the queue's earliest (unread
 * events have t >= the last read t, and start >= t), so memory holds the events of workers running behind
 * their trace time, not the trace. Pure: running an event is a callback; no clock is read here.
 */
import type { TraceEvent } from '../trace/types.ts';

/** Runs one event at virtual `startMs` (ms since trace t = 0); resolves with its virtual duration (ms). */
export type RunEvent = (event: TraceEvent, startMs: number) => Promise<number>;

export interface DesResult {
  /** Events run. */
  dispatched: number;
  /** Virtual end of the last event to finish (ms since trace t = 0): the run's virtual duration. */
  virtualEndMs: number;
  /** Longest single event (virtual ms). */
  longestEventMs: number;
  interrupted: boolean;
}

interface Entry {
  event: TraceEvent;
  startMs: number;
}

// Min-heap on (startMs, seq): seq breaks ties, so the order is total and the run deterministic.
class EntryHeap {
  private items: Entry[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): Entry | undefined {
    return this.items[0];
  }
  push(e: Entry): void {
    const a = this.items;
    a.push(e);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): Entry | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l]!, a[m]!)) m = l;
        if (r < a.length && before(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

function before(x: Entry, y: Entry): boolean {
  return x.startMs < y.startMs || (x.startMs === y.startMs && x.event.seq < y.event.seq);
}

/** Run the events as a discrete-event simulation (see the file comment). */
export async function runDes(events: AsyncIterable<TraceEvent> | Iterable<TraceEvent>, runEvent: RunEvent, signal?: AbortSignal): Promise<DesResult> {
  const syncIt = Symbol.iterator in events ? (events as Iterable<TraceEvent>)[Symbol.iterator]() : null;
  const asyncIt = syncIt ? null : (events as AsyncIterable<TraceEvent>)[Symbol.asyncIterator]();
  const next = async (): Promise<TraceEvent | null> => {
    const r = syncIt ? syncIt.next() : await asyncIt!.next();
    return r.done ? null : r.value;
  };
  const heap = new EntryHeap();
  /** Virtual end of each worker's last event. */
  const freeAt = new Map<number, number>();
  /** Events read but not yet runnable: their worker has an earlier event queued or running. */
  const waiting = new Map<number, TraceEvent[]>();
  /** Workers with an entry in the heap. */
  const scheduled = new Set<number>();
  const schedule = (event: TraceEvent): void => {
    if (scheduled.has(event.worker)) {
      let q = waiting.get(event.worker);
      if (!q) waiting.set(event.worker, (q = []));
      q.push(event);
      return;
    }
    scheduled.add(event.worker);
    heap.push({ event, startMs: Math.max(event.t, freeAt.get(event.worker) ?? 0) });
  };

  let lookahead = await next();
  let exhausted = lookahead === null;
  let dispatched = 0;
  let virtualEndMs = 0;
  let longestEventMs = 0;
  try {
    for (;;) {
      if (signal?.aborted) break;
      // Read every event that could start no later than the earliest queued one (ties go to the lower seq,
      // which is the one read first).
      while (lookahead && (heap.size === 0 || lookahead.t <= heap.peek()!.startMs)) {
        schedule(lookahead);
        lookahead = await next();
        if (!lookahead) exhausted = true;
      }
      const entry = heap.pop();
      if (!entry) break;
      const { event, startMs } = entry;
      const duration = Math.max(0, await runEvent(event, startMs));
      dispatched += 1;
      const end = startMs + duration;
      freeAt.set(event.worker, end);
      virtualEndMs = Math.max(virtualEndMs, end);
      longestEventMs = Math.max(longestEventMs, duration);
      scheduled.delete(event.worker);
      const q = waiting.get(event.worker);
      const following = q?.shift();
      if (q && q.length === 0) waiting.delete(event.worker);
      if (following) schedule(following);
    }
  } finally {
    // As `for await` would on an early exit: let the source release its file.
    if (!exhausted) await (syncIt ? syncIt.return?.() : asyncIt!.return?.());
  }
  return { dispatched, virtualEndMs, longestEventMs, interrupted: signal?.aborted === true };
}
