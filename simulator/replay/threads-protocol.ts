/**
 * The messages between `runThreaded` (the main thread: reads the trace, owns the report, the validity watch and
 * the overload detector) and its replay threads (each a `runRealtime` over its share of the virtual workers,
 * with its own undici pool and call-log attribution). Types only: both sides import them.
 */
import type { CallRecord } from '../../mock-sheets/admin-types.ts';
import type { EventCalls } from '../outcome/outcome.ts';
import type { EventRecord } from '../report/model.ts';
import type { TraceEvent } from '../trace/types.ts';
import type { RealtimeResult } from './realtime.ts';
import type { ObservedEvent } from './validity.ts';

/** What a replay thread is started with (workerData). */
export interface ThreadConfig {
  index: number;
  url: string;
  speed: number;
  connections: number;
  timeoutMs: number;
  /** The mock's origin for the call log, or null when there is none. */
  sheetsUrl: string | null;
  countUntracedCalls: boolean;
  graceMs: number;
  deadlineMs?: number;
  pollMs?: number;
  sampleMs?: number;
}

/** Main → thread. */
export type ToThread =
  | { type: 'events'; events: TraceEvent[] }
  /** No more events: the thread's source ends once it has replayed what it was given. */
  | { type: 'end' }
  /**
   * Start the schedule at `startAtEpochMs` (epoch ms: performance.timeOrigin differs per thread). `mockNowMs` is the
   * mock's clock at that instant when the main thread set its origin (null: the thread reads it from the mock).
   */
  | { type: 'start'; startAtEpochMs: number; mockNowMs: number | null }
  /** Stop sending (Ctrl-C, or the target found unreachable by the main thread's watch). */
  | { type: 'stop' };

/** One finished event: its events.jsonl line plus what the main thread's RunMetrics needs beyond it. */
export interface ThreadEvent {
  record: EventRecord;
  calls: EventCalls | null;
}

/** Thread → main. */
export type FromThread =
  /** Pool open and sockets pre-connected: ready for `start`. */
  | { type: 'ready' }
  | {
      type: 'results';
      /** Answers as they arrived (for the validity watch), before their calls are attributed. */
      observed: ObservedEvent[];
      /** Events released with their attributed calls (metrics and events.jsonl). */
      events: ThreadEvent[];
      /** The thread's own Sheets calls, with their simulated ms since trace t = 0. */
      calls: { call: CallRecord; simMs: number }[];
      unattributed: number;
    }
  /** The thread's latest load sample (summed and maxed by the main thread for the overload detector). */
  | { type: 'load'; backlog: number; oldestWaitMs: number }
  | { type: 'finished'; result: RealtimeResult }
  | { type: 'error'; message: string };
