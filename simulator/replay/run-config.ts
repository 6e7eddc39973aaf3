/** What one `sheetsim run` is asked to do: the CLI, compare and capacity fill a RunConfig and hand it to executeRun. */
import type { Writable } from 'node:stream';
import type { GateConfig } from '../report/gates.ts';
import type { TargetEnvEntry } from './target-env.ts';
import type { ValidityRules } from './validity.ts';

export type TargetChoice =
  | { kind: 'embedded'; backendProfile: 'lean' | 'zeues' }
  | { kind: 'url'; url: string; sheetsUrl: string | null }
  /** `cwd`: the folder the command runs in and whose git commit the report records (default: the run's cwd). */
  | { kind: 'command'; command: string; targetEnv?: TargetEnvEntry[]; cwd?: string };

export interface RunConfig {
  tracePath: string;
  mode: 'realtime' | 'exact';
  speed: number;
  target: TargetChoice;
  latency: 'off' | 'realistic';
  quota: 'on' | 'off';
  timeoutMs: number;
  /** How long a command target gets to answer /api/health. */
  readyTimeoutMs: number;
  shard: { index: number; count: number } | null;
  label: string | null;
  /** Report folder; default reports/<run-id> under cwd. */
  outDir: string | null;
  /** null = no gates. */
  gates: GateConfig | null;
  /** The flags, recorded for --reproduce. */
  options: Record<string, string | number | boolean | null>;
  cwd: string;
  env: NodeJS.ProcessEnv;
  version: string;
  signal?: AbortSignal;
  /** Where live progress goes (stderr keeps stdout for the summary and the contract lines). */
  progress?: { out: Writable; tty: boolean } | null;
  /** Ctrl-C grace for requests in flight (ms). */
  graceMs?: number;
  /** When a run may be judged at all (default DEFAULT_VALIDITY_RULES). */
  validity?: ValidityRules;
  /** Overload bound: a due event waiting longer than this (wall ms) is behind (default 5000). */
  maxLatenessMs?: number;
  /** Realtime deadline = trace duration ÷ speed + this grace (wall ms; default DEFAULT_DEADLINE_GRACE_MS). */
  deadlineGraceMs?: number;
  /** Realtime replay threads (`--threads`; default 1, the single-thread replayer). Exact mode uses one. */
  threads?: number;
}

/** Default grace after the trace's last event before a realtime run stops: long enough for a request at the default 30 s timeout. */
export const DEFAULT_DEADLINE_GRACE_MS = 30_000;
