/**
 * Validity rules: whether a run's numbers may be judged at all. A target that died or stopped answering makes
 * fast connection refusals look like a fast backend, so a run that broke gets no verdict. Pure: fed the outcome
 * of each event in completion order (and the moment a target process exited); no clock, no I/O.
 * The rules are documented in docs/report.md#validity and `sheetsim run --help`.
 */
import type { RunValidity } from '../report/model.ts';

export type { RunValidity };

/** Transport errors that mean "nothing answered at the HTTP level" (a TIMEOUT is a slow answer, judged by the gates). */
export const CONNECTION_ERRORS: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ECONNRESET', 'OTHER']);

export interface ValidityRules {
  /** Highest share (0..1) of events sent that may end in a connection error (ECONNREFUSED, ECONNRESET, OTHER). */
  maxTransportErrorShare: number;
  /** Lowest share (0..1) of events sent that must get a 2xx; 0 turns the floor off. */
  minSuccessShare: number;
  /**
   * This many connection errors in a row, with no HTTP answer in between, mark the target unreachable. Sooner
   * still when a health probe sent after a connection error fails too (`probeFailed`): at a low request rate ten
   * errors can take seconds.
   */
  unreachableAfter: number;
}

/** The defaults `sheetsim run` uses (flags --max-transport-errors, --min-success, --unreachable-after). */
export const DEFAULT_VALIDITY_RULES: Readonly<ValidityRules> = Object.freeze({
  maxTransportErrorShare: 0.05,
  minSuccessShare: 0.01,
  unreachableAfter: 10,
});

/** What one finished event tells the watch. NOT_SENT and ABANDONED events (overload) are not fed to it. */
export interface ObservedEvent {
  /** Trace time of the event, ms. */
  t: number;
  status: number | null;
  error: string | null;
}

/** Why the target is considered gone, as first detected. */
export interface Unreachable {
  fromS: number;
  /** The target process's exit message when it exited; null when it stopped answering (connection errors in a row). */
  exit: string | null;
}

/** Live watch of a run's target: counts outcomes and says as soon as the target is unreachable. */
export class TargetWatch {
  sent = 0;
  ok = 0;
  readonly transportErrors: Record<string, number> = {};
  private streak = 0;
  private streakFromT = Infinity;
  private gone: Unreachable | null = null;

  constructor(readonly rules: ValidityRules) {}

  /** Record one finished event; returns true when this event is the one that made the target unreachable. */
  observe(e: ObservedEvent): boolean {
    this.sent += 1;
    if (e.status !== null && e.status >= 200 && e.status < 300) this.ok += 1;
    if (e.status === null && e.error) this.transportErrors[e.error] = (this.transportErrors[e.error] ?? 0) + 1;
    if (e.status !== null) {
      this.streak = 0;
      this.streakFromT = Infinity;
      return false;
    }
    if (!e.error || !CONNECTION_ERRORS.has(e.error)) return false;
    this.streak += 1;
    this.streakFromT = Math.min(this.streakFromT, e.t);
    if (this.gone || this.streak < this.rules.unreachableAfter) return false;
    this.gone = { fromS: Math.floor(this.streakFromT / 1000), exit: null };
    return true;
  }

  /** True while the latest answers are connection errors: the moment to probe the target. */
  get failing(): boolean {
    return this.streak > 0 && this.gone === null;
  }

  /**
   * A health probe sent during a streak of connection errors got no HTTP answer either: the target is unreachable
   * from the streak's first error. Returns true when this made it unreachable (false when an answer came in between).
   */
  probeFailed(): boolean {
    if (!this.failing) return false;
    this.gone = { fromS: Math.floor(this.streakFromT / 1000), exit: null };
    return true;
  }

  /** The target's process exited on its own at trace time `atT` ms. */
  targetExited(atT: number, message: string): void {
    const fromS = Math.max(0, Math.floor(atT / 1000));
    if (!this.gone) this.gone = { fromS, exit: message };
    else this.gone = { fromS: Math.min(fromS, this.gone.fromS), exit: message };
  }

  /** Set once the target is considered gone. */
  get unreachable(): Unreachable | null {
    return this.gone;
  }

  /** The verdict on the whole run. */
  evaluate(): RunValidity {
    return evaluateValidity({ sent: this.sent, ok: this.ok, transportErrors: this.transportErrors, unreachable: this.gone }, this.rules);
  }
}

/** The counts a verdict is taken from (also what a merged or re-read run can rebuild). */
export interface ValidityCounts {
  /** Events that were sent and finished (overload's NOT_SENT and ABANDONED excluded). */
  sent: number;
  ok: number;
  transportErrors: Record<string, number>;
  unreachable: Unreachable | null;
}

const pct = (x: number): string => `${Math.round(x * 1000) / 10}%`;

/** Apply the rules: every broken one gives a reason; valid when there are none. */
export function evaluateValidity(c: ValidityCounts, rules: ValidityRules): RunValidity {
  const reasons: string[] = [];
  const kinds = Object.keys(c.transportErrors).sort();
  const transportErrors: Record<string, number> = {};
  for (const k of kinds) transportErrors[k] = c.transportErrors[k]!;
  const connection = kinds.filter((k) => CONNECTION_ERRORS.has(k)).reduce((n, k) => n + transportErrors[k]!, 0);
  if (c.unreachable) {
    const byKind = kinds.filter((k) => CONNECTION_ERRORS.has(k)).map((k) => `${k} ×${transportErrors[k]}`).join(', ');
    const exit = c.unreachable.exit ? ` (${c.unreachable.exit})` : '';
    reasons.push(`target unreachable from s = ${c.unreachable.fromS}: ${byKind || 'no answer'}${exit}`);
  }
  // With nothing sent and finished there is no share to judge: an empty run (or one the deadline cut off
  // entirely) is left to the gates, which fail on what they cannot measure.
  if (c.sent > 0) {
    const share = connection / c.sent;
    if (share > rules.maxTransportErrorShare) {
      reasons.push(`connection errors on ${pct(share)} of ${c.sent} events sent, more than the ${pct(rules.maxTransportErrorShare)} allowed (--max-transport-errors)`);
    }
    const success = c.ok / c.sent;
    if (rules.minSuccessShare > 0 && success < rules.minSuccessShare) {
      reasons.push(`success ${pct(success)} of ${c.sent} events sent, below the ${pct(rules.minSuccessShare)} floor (--min-success)`);
    }
  }
  return { valid: reasons.length === 0, reasons, transportErrors, unreachableFromS: c.unreachable?.fromS ?? null };
}

/** Parse a share flag: `5%`, `0.05` or `0`; null when malformed or outside 0..1. */
export function parseShare(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  if (!m) return null;
  const v = m[2] ? Number(m[1]) / 100 : Number(m[1]);
  return v >= 0 && v <= 1 ? v : null;
}
