/**
 * Overload detector: says when the target cannot keep up with the schedule. In the open model a slow target does
 * not slow the schedule; its backlog (events due and not yet answered: in flight, or waiting behind their
 * worker's previous request) grows and the oldest waiting event gets later and later. Pure: fed samples taken by
 * the replayer (wall ms, simulated second, backlog, oldest wait); rules in docs/report.md#overload.
 */
import type { RunOverload } from '../report/model.ts';

export interface OverloadRules {
  /** An event due and not sent for longer than this (wall ms) is behind. */
  maxLatenessMs: number;
  /** How long (wall ms) the lateness must stay past the bound before the run counts as saturated. */
  sustainMs: number;
  /** Backlog growth rule: over this window (wall ms) the backlog kept rising and at least doubled. */
  growthWindowMs: number;
  /** A backlog at or below this is never saturation (each worker may have one request in flight). */
  minBacklog: number;
}

/** Defaults of `sheetsim run` (`--max-lateness`; minBacklog is the trace's worker count). */
export const DEFAULT_OVERLOAD_RULES: Readonly<Omit<OverloadRules, 'minBacklog'>> = Object.freeze({
  maxLatenessMs: 5000,
  sustainMs: 3000,
  growthWindowMs: 10_000,
});

export interface LoadSample {
  /** Wall ms since the replay started. */
  wallMs: number;
  /** Simulated second the schedule has reached. */
  simS: number;
  /** Events due and not answered: in flight plus waiting behind their worker. */
  backlog: number;
  /** How long (wall ms) the oldest due-but-unsent event has been due; 0 when none waits. */
  oldestWaitMs: number;
}

export interface OverloadState {
  saturated: boolean;
  /** Simulated second from which the target could not keep up, or null. */
  fromS: number | null;
  /** Deepest backlog seen (events due and not answered). */
  maxInFlight: number;
  /** Longest wait of a due event seen in the samples (wall ms). */
  maxLatenessMs: number;
  /** The latest sample's backlog (for the live line). */
  backlog: number;
}

/** Latches saturation the first time a rule holds; keeps the depth figures for the report. */
export class OverloadDetector {
  private lateSince: LoadSample | null = null;
  private window: LoadSample[] = [];
  private state: OverloadState = { saturated: false, fromS: null, maxInFlight: 0, maxLatenessMs: 0, backlog: 0 };

  constructor(readonly rules: OverloadRules) {}

  /** Feed one sample (samples in wall order). */
  observe(s: LoadSample): void {
    const st = this.state;
    st.backlog = s.backlog;
    st.maxInFlight = Math.max(st.maxInFlight, s.backlog);
    st.maxLatenessMs = Math.max(st.maxLatenessMs, s.oldestWaitMs);
    if (st.saturated) return;

    // Rule 1: lateness past the bound, sustained.
    if (s.oldestWaitMs > this.rules.maxLatenessMs) {
      this.lateSince ??= s;
      if (s.wallMs - this.lateSince.wallMs >= this.rules.sustainMs) return this.latch(this.lateSince.simS);
    } else {
      this.lateSince = null;
    }

    // Rule 2: backlog rising across the window (start < middle < end) and at least doubled.
    this.window.push(s);
    while (this.window.length > 1 && s.wallMs - this.window[1]!.wallMs >= this.rules.growthWindowMs) this.window.shift();
    const first = this.window[0]!;
    if (s.wallMs - first.wallMs >= this.rules.growthWindowMs && s.backlog > this.rules.minBacklog) {
      const mid = this.window[Math.floor(this.window.length / 2)]!;
      if (first.backlog < mid.backlog && mid.backlog < s.backlog && s.backlog >= 2 * first.backlog) {
        // From where the rise began: the last sample of the window still at the window's starting depth.
        let from = first;
        for (const w of this.window) if (w.backlog <= first.backlog) from = w;
        this.latch(from.simS);
      }
    }
  }

  private latch(fromS: number): void {
    this.state.saturated = true;
    this.state.fromS = fromS;
  }

  /** The current verdict and depth. */
  get current(): Readonly<OverloadState> {
    return this.state;
  }
}

/**
 * report.json `run.overload`: the detector's verdict, plus the deadline's. A run the deadline cut short is
 * saturated even when no sample caught it (from the end of the trace, where it should have finished).
 */
export function overloadSummary(
  state: Readonly<OverloadState>,
  end: { deadlineHit: boolean; notSent: number },
  traceDurationMs: number,
  deadlineMs: number,
  maxSentLatenessMs: number,
): RunOverload {
  return {
    saturated: state.saturated || end.deadlineHit,
    fromS: state.fromS ?? (end.deadlineHit ? Math.floor(traceDurationMs / 1000) : null),
    maxInFlight: state.maxInFlight,
    maxLatenessMs: Math.round(Math.max(state.maxLatenessMs, maxSentLatenessMs)),
    notSent: end.notSent,
    deadlineMs,
  };
}
