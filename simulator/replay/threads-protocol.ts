/**
 * The messages between `runThreaded` (the main thread: reads the trace, writes events.jsonl, owns the validity
 * watch and the overload detector, merges the threads' metrics into the report's) and its replay threads (each a
 * `runRealtime` over its share of the virtual workers, with its own undici pool, call-log attribution and
 * RunMetrics). Types only: both sides import them.
 */
import type { LiveFigures, RunMetricsWire } from '../metrics/run-metrics.ts';
import type { ReplayerHealth } from '../report/model.ts';
import type { TraceEvent } from '../trace/types.ts';
import type { RealtimeResult } from './realtime.ts';
import type { WatchRun } from './threads-watch.ts';

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
  | { type: 'stop' }
  /** Warm the thread's hot path before t0 (a dense trace's first second; see hot-path-warmup.ts), then say `warmed`. */
  | { type: 'warm' };

/** Thread → main. */
export type FromThread =
  /** Pool open and sockets pre-connected: ready for `start`. */
  | { type: 'ready' }
  /** The hot path is warm (answer to `warm`). */
  | { type: 'warmed' }
  | {
      type: 'results';
      /** Finished events' events.jsonl lines, newline-separated (no trailing newline), in completion order. */
      lines: string;
      /** How many lines `lines` holds. */
      count: number;
      /** The answers as they arrived, compacted for the validity watch (threads-watch.ts). */
      watch: WatchRun[];
      /** The thread's own progress figures so far (its RunMetrics'). */
      live: LiveFigures;
    }
  /** The thread's latest load sample (summed and maxed by the main thread for the overload detector). */
  | { type: 'load'; backlog: number; oldestWaitMs: number }
  /**
   * Done: the thread's result and everything its RunMetrics recorded, for the main thread to merge, and its own event
   * loop's health from t0 (replayer-health.ts).
   */
  | { type: 'finished'; result: RealtimeResult; metrics: RunMetricsWire; replayer: ReplayerHealth }
  | { type: 'error'; message: string };
