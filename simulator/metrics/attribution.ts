/**
 * Realtime attribution of Sheets calls to events. Exact by the W3C trace id the replayer sends (the call log
 * records the one the backend propagated); for calls without one, the only event in flight at the call's time
 * gets it, and when several were in flight they all get `sheetsCalls: null`. Events are held until a poll of
 * the call log that started after they completed, then released with their calls.
 */
import type { CallRecord } from '../../mock-sheets/admin-types.ts';
import type { EventCalls, EventOutcome } from '../outcome/outcome.ts';
import { foldCalls } from '../outcome/outcome.ts';
import { seqFromTraceId } from '../outcome/traceparent.ts';

interface Pending {
  startMs: number;
  endMs: number | null;
  outcome: EventOutcome | null;
  calls: CallRecord[];
  ambiguous: boolean;
}

/** A growable bitmap of seqs (1 bit per event: flat memory for long traces). */
class SeqSet {
  private bits = new Uint8Array(1024);
  add(seq: number): void {
    const byte = seq >> 3;
    if (byte >= this.bits.length) {
      const next = new Uint8Array(Math.max(byte + 1, this.bits.length * 2));
      next.set(this.bits);
      this.bits = next;
    }
    this.bits[byte]! |= 1 << (seq & 7);
  }
  has(seq: number): boolean {
    const byte = seq >> 3;
    return byte < this.bits.length && (this.bits[byte]! & (1 << (seq & 7))) !== 0;
  }
}

export type Release = (outcome: EventOutcome, calls: EventCalls | null) => void;
/** A call that belongs to this run (counted in the Sheets totals). */
export type OwnCall = (call: CallRecord) => void;

export class CallAttributor {
  private pending = new Map<number, Pending>();
  private dispatched = new SeqSet();

  /**
   * @param toLocalMs maps a call's mock clockMs to the replayer's ms since t0 (for the in-flight fallback)
   * @param countUntraced whether calls without a trace id belong to this run (false for shards of a shared mock)
   * @param unattributed told of each own call that no single event could be given (counted apart in the report)
   */
  constructor(
    private readonly release: Release,
    private readonly ownCall: OwnCall,
    private readonly toLocalMs: (clockMs: number) => number,
    private readonly countUntraced: boolean,
    private readonly unattributed: OwnCall = () => undefined,
  ) {}

  /** An event was sent at `startMs` (ms since t0). */
  begin(seq: number, startMs: number): void {
    this.dispatched.add(seq);
    this.pending.set(seq, { startMs, endMs: null, outcome: null, calls: [], ambiguous: false });
  }

  /** An event's response arrived. */
  complete(outcome: EventOutcome, endMs: number): void {
    const p = this.pending.get(outcome.event.seq);
    if (!p) return;
    p.outcome = outcome;
    p.endMs = endMs;
  }

  /** Attribute calls read from the log. */
  ingest(calls: CallRecord[]): void {
    for (const call of calls) {
      const seq = seqFromTraceId(call.traceId);
      if (seq !== null) {
        if (!this.dispatched.has(seq)) continue; // another shard's (or run's) event
        this.ownCall(call);
        this.pending.get(seq)?.calls.push(call);
        continue;
      }
      if (!this.countUntraced) continue;
      this.ownCall(call);
      const at = this.toLocalMs(call.clockMs);
      const candidates: Pending[] = [];
      for (const p of this.pending.values()) {
        if (p.startMs <= at && (p.endMs === null || p.endMs >= at)) candidates.push(p);
      }
      if (candidates.length === 1) {
        candidates[0]!.calls.push(call);
        continue;
      }
      for (const p of candidates) p.ambiguous = true;
      this.unattributed(call);
    }
  }

  /** Release the events that completed before `beforeMs` (every call they made is in the log by then). */
  flush(beforeMs: number): void {
    for (const [seq, p] of this.pending) {
      if (p.outcome && p.endMs !== null && p.endMs < beforeMs) {
        this.pending.delete(seq);
        this.release(p.outcome, p.ambiguous ? null : foldCalls(p.calls));
      }
    }
  }

  /** Release everything that completed (end of run). */
  flushAll(): void {
    this.flush(Number.POSITIVE_INFINITY);
  }

  /** Events still held. */
  get size(): number {
    return this.pending.size;
  }
}
