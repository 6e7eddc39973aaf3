/**
 * The realism policy of the mock: clock, quotas, faults and latency, behind one interface so the routes
 * stay free of it. CONTRACT between the server (routes) and the realism modules.
 */
import type { SheetsMethod } from './admin-types.ts';

/** The mock's notion of time. */
export interface Clock {
  readonly mode: 'wall' | 'virtual';
  /** Wall speed-up: the quota minute lasts 60 s / speed of wall time, a latency of ms sleeps ms / speed. 1 under the virtual clock. */
  readonly speed: number;
  /** Current mock time, epoch ms (wall: start + elapsed × speed; virtual: what was last set). */
  now(): number;
  /** Wait `ms` of simulated time (ms / speed of real time) under the wall clock; resolve at once under the virtual clock. */
  sleep(ms: number): Promise<void>;
  /** Set the virtual time (epoch ms); throws under the wall clock. Never goes backwards. */
  set(nowMs: number): void;
  /** Make `nowMs` the current time (wall: re-anchor, time runs on from there; virtual: set, backwards allowed). */
  rebase(nowMs: number): void;
}

/** What the routes tell the policy about a call before running it. */
export interface CallInfo {
  method: SheetsMethod;
  kind: 'read' | 'write';
  quotaUser: string;
  /** The call's instant (epoch ms) on the mock clock: quotas and outage windows see the call then. Default: clock.now(). */
  atMs?: number;
}

/** A Google error the policy decided on (429 quota, injected 500/503). */
export interface PolicyError {
  status: number;
  /** Google canonical status, e.g. RESOURCE_EXHAUSTED. */
  googleStatus: string;
  message: string;
  /** `details` entries of Google's error body (e.g. google.rpc.ErrorInfo). */
  details: unknown[];
  /** Short reason for the call log, e.g. `RATE_LIMIT_EXCEEDED`, `fault:503`. */
  reason: string;
}

export type Admission =
  /** `extraLatencyMs`: an injected slow response, added to the latency model's figure. */
  | { action: 'proceed'; extraLatencyMs: number }
  | { action: 'reject'; error: PolicyError }
  /** Destroy the socket without answering (an injected dropped connection). */
  | { action: 'drop' };

export interface Policy {
  readonly clock: Clock;
  /** Decide, before running a call, whether it proceeds (quota, faults, outage windows). Counts it against the quota when it proceeds. */
  admit(call: CallInfo): Admission;
  /** Modelled latency (ms) for a call that touched `cells` cells (read or written); slow faults come from admit. */
  latency(method: SheetsMethod, cells: number): number;
  /** Modelled latency (ms) of a call answered with an error before it ran (429, injected 5xx): small, Google answers those fast. */
  rejectedLatency(): number;
  /** The current configuration, as `GET /__sheetsim/config` shows it. */
  config(): unknown;
  /** Change latency/quota/faults at run time (`POST /__sheetsim/config`); throws an Error naming the bad field. */
  configure(patch: unknown): void;
  /** Quota use per minute for `/__sheetsim/stats`. */
  quotaUsage(): unknown;
  /** Forget quota windows and re-seed random sources (on reset). */
  reset(seed: number): void;
  /**
   * Start the run's time at `nowMs` (trace t = 0): rebase the clock there, start quota minutes and outage windows
   * at it and forget quota use so far (a warm-up's calls), so the quota minute lines up with the trace's.
   */
  setOrigin(nowMs: number): void;
}
