/**
 * Realtime's watch on the target while the schedule runs: every answer goes to the TargetWatch (validity), a health
 * probe goes out when answers turn into connection errors, and a sampler feeds the overload detector and notices
 * the target's process exiting. Any of these finding the target gone calls `onUnreachable` (the run stops sending).
 */
import type { ReplayClock } from './clock.ts';
import type { OverloadDetector } from './overload.ts';
import type { ScheduleProbe } from './schedule.ts';
import type { TargetWatch } from './validity.ts';
import type { TransportError } from '../outcome/outcome.ts';

export interface TargetMonitorOptions {
  clock: ReplayClock;
  speed: number;
  watch?: TargetWatch;
  targetGone?: () => string | null;
  probeTarget?: () => Promise<boolean>;
  overload?: OverloadDetector;
  sampleMs: number;
  /** Called once when the target is found unreachable or its process exited. */
  onUnreachable: () => void;
}

/** Validity watching, health probes and load sampling for one realtime run. */
export class TargetMonitor {
  private probing = false;
  private closed = false;
  private unreachable = false;
  private readonly sampleStop = new AbortController();
  private sampling: Promise<void> = Promise.resolve();
  private t0 = 0;

  constructor(private readonly opts: TargetMonitorOptions) {}

  /** True once the target was found unreachable (or exited). */
  get stoppedUnreachable(): boolean {
    return this.unreachable;
  }

  /** Stop the run: the target is gone. */
  markUnreachable(): void {
    if (this.unreachable) return;
    this.unreachable = true;
    this.opts.onUnreachable();
  }

  /** An answered event (or transport error): fed to the watch; a connection error may send a health probe. */
  observe(t: number, status: number | null, error: TransportError | null): void {
    const { watch, probeTarget } = this.opts;
    if (!watch) return;
    if (watch.observe({ t, status, error })) this.markUnreachable();
    else if (watch.failing && probeTarget && !this.probing) this.checkTarget(watch, probeTarget);
  }

  /** The schedule started at `t0` with this live view: start sampling. */
  start(t0: number, probe: ScheduleProbe): void {
    this.t0 = t0;
    this.sampling = this.sample(probe);
  }

  /** Stop sampling and ignore probe answers from now on; resolves when the sampler has stopped. */
  async close(): Promise<void> {
    this.closed = true;
    this.sampleStop.abort();
    await this.sampling;
  }

  // One health probe at a time, sent when answers turn into connection errors (see TargetWatch.probeFailed).
  private checkTarget(watch: TargetWatch, ask: () => Promise<boolean>): void {
    this.probing = true;
    void ask()
      .catch(() => false)
      .then((answers) => {
        this.probing = false;
        if (!answers && !this.closed && !this.unreachable && watch.probeFailed()) this.markUnreachable();
      });
  }

  private async sample(probe: ScheduleProbe): Promise<void> {
    const { clock, speed, sampleMs } = this.opts;
    const signal = this.sampleStop.signal;
    while (!signal.aborted) {
      await clock.sleepUntil(clock.now() + sampleMs, signal);
      if (signal.aborted) break;
      const now = clock.now();
      if (now < this.t0) continue; // a schedule that starts at a set time (threads) may be sampled before it
      const gone = this.opts.targetGone?.();
      if (gone && this.opts.watch && !this.unreachable) {
        this.opts.watch.targetExited((now - this.t0) * speed, gone);
        this.markUnreachable();
      }
      const oldest = probe.oldestWaitingIntended();
      this.opts.overload?.observe({
        wallMs: now - this.t0,
        simS: Math.floor(((now - this.t0) * speed) / 1000),
        backlog: probe.inFlight() + probe.waiting(),
        oldestWaitMs: oldest === null ? 0 : Math.max(0, now - oldest),
      });
    }
  }
}
