/** Live progress: one updating line on a terminal, a plain line every 5 s otherwise. */
import type { Writable } from 'node:stream';
import { LATE_WINDOW_SHARE, REPLAYER_BOTTLENECK_SEND_LAG_P99_MS, SATURATED_UTILIZATION } from './replayer-health.ts';

export interface ProgressSnapshot {
  done: number;
  /** Share of the trace covered, 0..1. */
  fraction: number;
  /** Wall ms since the replay started. */
  elapsedMs: number;
  p95Ms: number;
  errors: number;
  status429: number;
  /** True while events are still due or in flight. */
  pending?: boolean;
  /** True before trace t = 0, while the target and the replayer warm up. */
  warmingUp?: boolean;
  /** Realtime: wall ms after the start when the run stops sending (its deadline). */
  deadlineMs?: number;
  /** Set once the overload detector found the target saturated. */
  saturated?: { fromS: number; inFlight: number } | null;
  /** Set once the target was found unreachable (the run is stopping). */
  unreachableFromS?: number | null;
  /** Realtime: the replayer's own event loop over its latest quarter second, 0–1 (the busiest thread with --threads). */
  replayerBusy?: number;
  /** Realtime: share of the replayer's sends in its latest quarter second that were late by the bound, 0–1 (the highest of its threads with --threads). */
  replayerLate?: number;
}

/** Format one progress line. */
export function formatProgress(p: ProgressSnapshot): string {
  const secs = p.elapsedMs / 1000;
  const rate = secs > 0 ? p.done / secs : 0;
  const fraction = Math.max(0, Math.min(1, p.fraction));
  const width = 20;
  const filled = Math.round(fraction * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  const etaMs = fraction > 0 ? (p.elapsedMs / fraction) * (1 - fraction) : null;
  const left = p.deadlineMs === undefined ? null : Math.max(0, p.deadlineMs - p.elapsedMs);
  let eta: string;
  if (p.warmingUp) eta = '? (warming up before t = 0)';
  else if (etaMs !== null && Math.round(etaMs / 1000) >= 1) eta = `${Math.round(etaMs / 1000)}s`;
  // The schedule is through but events are still due or in flight: never "0s"; say how long at most.
  else if (p.pending && left !== null) eta = `≤ ${Math.max(1, Math.ceil(left / 1000))}s (deadline)`;
  else if (p.pending) eta = '?';
  else eta = '0s';
  const state = p.unreachableFromS !== undefined && p.unreachableFromS !== null
    ? `  TARGET UNREACHABLE since s = ${p.unreachableFromS}, stopping`
    : p.saturated
      ? `  SATURATED since s = ${p.saturated.fromS}, ${p.saturated.inFlight} in flight`
      : '';
  // The replayer at its own limit: what it measures now includes its own delay (docs/report.md#the-replayers-own-health).
  const own = p.replayerBusy !== undefined && p.replayerBusy >= SATURATED_UTILIZATION
    ? `  REPLAYER SATURATED (its event loop ${Math.round(p.replayerBusy * 100)} % busy)`
    : p.replayerLate !== undefined && p.replayerLate >= LATE_WINDOW_SHARE
      ? `  REPLAYER LATE (${Math.round(p.replayerLate * 100)} % of its sends ${REPLAYER_BOTTLENECK_SEND_LAG_P99_MS} ms or more late)`
      : '';
  return `${bar} ${Math.round(fraction * 100)}% ${p.done} events  ${secs.toFixed(0)}s elapsed, ETA ${eta}  ${rate.toFixed(1)} req/s  p95 ${p.p95Ms.toFixed(0)} ms  errors ${p.errors}  429s ${p.status429}${state}${own}`;
}

/** Drives the progress display; `stop()` clears the live line. */
export class ProgressReporter {
  private timer: NodeJS.Timeout | undefined;
  private lastLength = 0;

  constructor(private readonly out: Writable, private readonly tty: boolean, private readonly snapshot: () => ProgressSnapshot) {}

  /** Start refreshing (4× a second on a terminal, every 5 s otherwise). */
  start(): void {
    const every = this.tty ? 250 : 5000;
    this.timer = setInterval(() => this.render(), every);
    this.timer.unref();
  }

  private render(): void {
    const line = formatProgress(this.snapshot());
    if (this.tty) {
      this.out.write(`\r${line.padEnd(this.lastLength)}`);
      this.lastLength = line.length;
    } else {
      this.out.write(`progress: ${line}\n`);
    }
  }

  /** Stop and leave the terminal on a clean line. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.tty && this.lastLength > 0) this.out.write(`\r${' '.repeat(this.lastLength)}\r`);
  }
}
