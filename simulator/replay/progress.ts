/** Live progress: one updating line on a terminal, a plain line every 5 s otherwise. */
import type { Writable } from 'node:stream';

export interface ProgressSnapshot {
  done: number;
  /** Share of the trace covered, 0..1. */
  fraction: number;
  /** Wall ms since the replay started. */
  elapsedMs: number;
  p95Ms: number;
  errors: number;
  status429: number;
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
  const eta = etaMs === null ? '?' : `${Math.round(etaMs / 1000)}s`;
  return `${bar} ${Math.round(fraction * 100)}% ${p.done} events  ${secs.toFixed(0)}s elapsed, ETA ${eta}  ${rate.toFixed(1)} req/s  p95 ${p.p95Ms.toFixed(0)} ms  errors ${p.errors}  429s ${p.status429}`;
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
