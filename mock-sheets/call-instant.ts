/**
 * The instant of each Sheets call on the mock clock. Under the wall clock it is the arrival time. Under the
 * virtual clock (exact mode) time only moves when the replayer sets it, so a call takes its instant from, in
 * order: the `x-sheetsim-time` header its backend forwarded (the backend's own virtual now: event start + the
 * latencies it has seen + its waits); else a cursor per trace id, started at the clock the replayer set for the
 * event and advanced by each call's modelled latency, so a backend that forwards only `traceparent` still has
 * its calls at successive instants; else the clock itself. Quotas and outage windows see the call at that instant.
 */
import type { Clock } from './policy.ts';

/** Header a backend forwards on each Sheets call: its per-request virtual now (epoch ms). */
export const SIM_TIME_HEADER = 'x-sheetsim-time';
/** Header the mock answers on each Sheets call: the call's modelled latency (ms). */
export const LATENCY_HEADER = 'x-sheetsim-latency-ms';

// Cursors of trace ids; forgotten when the replayer moves the clock (a new event), capped for clients that never do.
const MAX_CURSORS = 10_000;

/** Decides call instants and keeps the per-trace cursors. */
export class CallInstants {
  private readonly cursors = new Map<string, number>();

  constructor(private readonly clock: Clock) {}

  /** The instant (epoch ms) of a call that carried `header` (x-sheetsim-time) and trace id `traceId`. */
  at(header: string | string[] | undefined, traceId: string | undefined): number {
    if (this.clock.mode !== 'virtual') return this.clock.now();
    const text = Array.isArray(header) ? header[0] : header;
    if (text !== undefined && /^\d{1,15}$/.test(text.trim())) return Number(text.trim());
    if (traceId !== undefined) return this.cursors.get(traceId) ?? this.clock.now();
    return this.clock.now();
  }

  /** A call of `traceId` made at `atMs` took `latencyMs`: the trace's next call comes after it. */
  advance(traceId: string | undefined, atMs: number, latencyMs: number): void {
    if (this.clock.mode !== 'virtual' || traceId === undefined) return;
    this.cursors.delete(traceId);
    this.cursors.set(traceId, atMs + latencyMs);
    if (this.cursors.size > MAX_CURSORS) this.cursors.delete(this.cursors.keys().next().value!);
  }

  /** Forget the cursors (the clock was set for a new event, or the run restarted). */
  clear(): void {
    this.cursors.clear();
  }
}
