/**
 * Realtime's view of the mock's call log: anchors the mock's clock to the replayer's, reads new calls every
 * `pollMs` while the run goes, and attributes them to events (see metrics/attribution.ts), which are released
 * with their calls once known. Without a mock (sheets = null) events are released at once.
 */
import { CallAttributor, type Release } from '../metrics/attribution.ts';
import type { RunMetrics } from '../metrics/run-metrics.ts';
import type { EventOutcome } from '../outcome/outcome.ts';
import type { ReplayClock } from './clock.ts';
import type { SheetsAdmin } from './sheets-admin.ts';

export interface CallLogFeedOptions {
  sheets: SheetsAdmin | null;
  metrics: RunMetrics;
  speed: number;
  countUntracedCalls: boolean;
  clock: ReplayClock;
  pollMs: number;
  /** Receives each event with its calls (null when unknown or there is no mock). */
  release: Release;
}

/** Call-log polling and attribution for one realtime run. */
export class CallLogFeed {
  private anchorMock = 0;
  private mockSpeed = 1;
  private cursor = 0;
  private t0 = 0;
  private readonly attributor: CallAttributor | null;
  private polling: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private pollError: Error | null = null;

  constructor(private readonly opts: CallLogFeedOptions) {
    const { metrics, speed } = opts;
    // A call's clockMs maps to the replayer's ms since t0 (anchorLocal is 0: the anchor is taken at t0's side).
    const toLocal = (clockMs: number): number => (clockMs - this.anchorMock) / this.mockSpeed;
    this.attributor = opts.sheets
      ? new CallAttributor(opts.release, (call) => metrics.addCall(call, toLocal(call.clockMs) * speed), toLocal, opts.countUntracedCalls, () => metrics.addUnattributedCall())
      : null;
  }

  /** Read where the call log stands and the mock's clock, before the run (calls before are not the run's). */
  async anchor(): Promise<void> {
    const sheets = this.opts.sheets;
    if (!sheets) return;
    this.cursor = await sheets.lastCallId();
    const h = await sheets.health();
    this.anchorMock = h.clock.nowMs;
    this.mockSpeed = h.clock.speed || 1;
  }

  /** Make `originMs` the mock's trace t = 0 (re-anchors its clock, starts the quota minute). */
  async setOrigin(originMs: number): Promise<void> {
    if (this.opts.sheets) this.anchorMock = (await this.opts.sheets.setOrigin(originMs)).nowMs;
  }

  /** The schedule started at clock time `t0`: start polling. */
  start(t0: number): void {
    this.t0 = t0;
    if (!this.opts.sheets || this.timer) return;
    this.timer = setInterval(() => {
      this.polling = this.polling.then(() => this.poll());
    }, this.opts.pollMs);
  }

  /** An event was sent at `startMs` (ms since t0). */
  begin(seq: number, startMs: number): void {
    this.attributor?.begin(seq, startMs);
  }

  /** An event finished at `endMs` (ms since t0): held until its calls are read, or released now without a mock. */
  complete(outcome: EventOutcome, endMs: number): void {
    if (this.attributor) this.attributor.complete(outcome, endMs);
    else this.opts.release(outcome, null);
  }

  /** After the schedule: read the log once more and release every event still held. */
  async finish(): Promise<void> {
    this.stop();
    await this.polling;
    if (!this.attributor) return;
    await this.poll();
    this.attributor.flushAll();
  }

  /** Stop polling (also on an error path). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Set when the call log could not be read (the Sheets metrics are then incomplete). */
  get error(): string | null {
    return this.pollError ? `reading the mock's call log failed: ${this.pollError.message}` : null;
  }

  private async poll(): Promise<void> {
    const sheets = this.opts.sheets;
    if (!sheets || !this.attributor) return;
    const startedAt = this.opts.clock.now() - this.t0;
    try {
      const calls = await sheets.callsAfter(this.cursor);
      for (const c of calls) this.cursor = Math.max(this.cursor, c.id);
      this.attributor.ingest(calls);
    } catch (err) {
      this.pollError = err as Error;
    }
    this.attributor.flush(startedAt);
  }
}
