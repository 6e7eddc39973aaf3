/**
 * One `sheetsim run`, in three steps: prepare (run-prepare.ts: open the trace, start the target, make the report
 * folder), execute (run-execute.ts: warm up, replay in the chosen mode, sample memory, write events.jsonl) and
 * report (run-report.ts: the report model, gates, reports/<run-id>/). The CLI only parses flags.
 */
import type { RunConfig } from './run-config.ts';
import { executeReplay } from './run-execute.ts';
import { prepareRun } from './run-prepare.ts';
import { reportRun, type RunOutcome } from './run-report.ts';

export { DEFAULT_DEADLINE_GRACE_MS, type RunConfig, type TargetChoice } from './run-config.ts';
export type { RunOutcome } from './run-report.ts';
export { traceEpochMs } from './run-prepare.ts';

/** Run one replay and write its report folder. */
export async function executeRun(cfg: RunConfig): Promise<RunOutcome> {
  const run = await prepareRun(cfg);
  const replayed = await executeReplay(cfg, run);
  return reportRun(cfg, run, replayed);
}
