/** The one interface every target kind (embedded, url, command) implements, and what each kind is started from. */
import type { TargetKind } from '../report/model.ts';
import type { ExactChannel } from './embedded-exact.ts';
import type { MockSettings } from './embedded-servers.ts';
import type { TargetEnvEntry } from './target-env.ts';
import type { Warmup } from './warmup.ts';

export interface Target {
  kind: TargetKind;
  /** Base URL of the backend under test. */
  url: string;
  /** Base URL of the mock Sheets API whose call log and clock the replayer reads, or null. */
  sheetsUrl: string | null;
  command: string | null;
  backendProfile: string | null;
  /** Git commit of the target's checkout (command targets), else null. */
  commit: string | null;
  /** RSS of the target in MB, or null when sheetsim cannot see it (an external URL). */
  rssMb: (() => number) | null;
  /** Set when the target's process (a command, or the embedded child) exited on its own: the message says how. */
  died(): string | null;
  /** Exact mode run inside the target's own process (the embedded target: embedded-exact.ts), else absent. */
  exactInside?: ExactChannel;
  /** The warm-up the target's own process ran before it said it was ready (the embedded target in exact mode). */
  warmup?: Warmup;
  stop(): Promise<void>;
}

export type TargetSpec =
  | ({ kind: 'embedded'; backendProfile: 'lean' | 'zeues'; readyTimeoutMs: number; warmupTimeoutMs?: number } & MockSettings)
  | { kind: 'url'; url: string; sheetsUrl: string | null }
  | ({ kind: 'command'; command: string; cwd: string; env: NodeJS.ProcessEnv; readyTimeoutMs: number; targetEnv?: TargetEnvEntry[] } & MockSettings);
