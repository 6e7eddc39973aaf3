/**
 * A replay thread's answers, compacted for the main thread's validity watch (threads.ts). The watch (validity.ts)
 * counts answers and their 2xx, and follows streaks of connection errors with no HTTP answer in between, in
 * completion order. So a run of HTTP answers is sent as two counts, and only transport errors one by one (with
 * their trace time): a healthy batch is one small object, not one per event.
 */
import type { TransportError } from '../outcome/outcome.ts';
import type { ObservedEvent } from './validity.ts';

/** In completion order: a run of answers with an HTTP status (`ok` of them 2xx), or one transport error. */
export type WatchRun = { answered: number; ok: number } | { t: number; error: string };

/** Collects a thread's answers between two posts. */
export class WatchBatch {
  private runs: WatchRun[] = [];
  private open: { answered: number; ok: number } | null = null;

  get size(): number {
    return this.runs.length;
  }

  push(e: ObservedEvent): void {
    if (e.status === null) {
      this.open = null;
      this.runs.push({ t: e.t, error: e.error ?? 'OTHER' });
      return;
    }
    if (!this.open) this.runs.push((this.open = { answered: 0, ok: 0 }));
    this.open.answered += 1;
    if (e.status >= 200 && e.status < 300) this.open.ok += 1;
  }

  /** The runs so far (and start afresh). */
  take(): WatchRun[] {
    const runs = this.runs;
    this.runs = [];
    this.open = null;
    return runs;
  }
}

// Statuses that stand for "an HTTP answer, 2xx" and "an HTTP answer, not 2xx": all the watch tells apart.
const OK_STATUS = 200;
const OTHER_STATUS = 0;

/** Feed the runs to `observe` as the answers they stand for, in order (the watch sees what it would have seen). */
export function replayWatch(runs: WatchRun[], observe: (t: number, status: number | null, error: TransportError | null) => void): void {
  for (const r of runs) {
    if ('error' in r) {
      observe(r.t, null, r.error as TransportError);
      continue;
    }
    for (let i = 0; i < r.ok; i++) observe(0, OK_STATUS, null);
    for (let i = r.ok; i < r.answered; i++) observe(0, OTHER_STATUS, null);
  }
}
