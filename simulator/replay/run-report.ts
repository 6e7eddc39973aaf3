/**
 * A replayed run's report: its measurements turned into the report model (run info, trace, metrics, memory,
 * validity), the gates evaluated when the run may be judged, and the report folder written.
 */
import { resolve } from 'node:path';
import { buildReport } from '../metrics/report-builder.ts';
import { evaluateGates } from '../report/gates.ts';
import type { Report, RunInfo, RunValidity } from '../report/model.ts';
import { writeReportFiles } from '../report/write.ts';
import { peekFooter } from '../trace/peek-footer.ts';
import type { RunConfig } from './run-config.ts';
import type { Replayed } from './run-execute.ts';
import type { PreparedRun } from './run-prepare.ts';

export interface RunOutcome {
  report: Report;
  dir: string;
  /** Things the user should know that the report has no field for (a dead target, an unreadable call log). */
  notes: string[];
}

/** report.json `run`: what ran, how long, against what, and whether it may be judged. */
function runInfo(cfg: RunConfig, run: PreparedRun, r: Replayed, validity: RunValidity, stoppedEarly: boolean): RunInfo {
  const { target, id, dir } = run;
  return {
    id: cfg.outDir ? id : dir.split(/[\\/]/).pop()!,
    mode: cfg.mode,
    startedAt: run.startedAt.toISOString(),
    wallDurationMs: Math.round(r.wallDurationMs),
    simulatedDurationMs: r.simulatedDurationMs,
    speed: cfg.mode === 'exact' ? 1 : cfg.speed,
    warmup: r.warmup,
    targetTimersScaled: r.targetTimersScaled,
    partial: stoppedEarly || r.died !== null,
    shard: cfg.shard,
    threads: cfg.mode === 'exact' ? 1 : (cfg.threads ?? 1),
    label: cfg.label,
    target: {
      kind: target.kind,
      // Ports of targets sheetsim started are throwaway; record them all the same (they show in logs).
      url: target.url,
      sheetsUrl: target.sheetsUrl,
      command: target.command,
      backendProfile: target.backendProfile,
      commit: target.commit ?? cfg.label,
    },
    options: cfg.options,
    validity,
    overload: r.overload,
    replayer: r.replayer,
  };
}

/** Build the run's report, evaluate its gates and write reports/<run-id>/. */
export async function reportRun(cfg: RunConfig, run: PreparedRun, r: Replayed): Promise<RunOutcome> {
  const validity = r.watch.evaluate();
  // Stopping early leaves events unread, like an interruption.
  const stoppedEarly = r.interrupted || r.stoppedUnreachable;
  const info = runInfo(cfg, run, r, validity, stoppedEarly);
  // After an interruption the reader stopped before the footer and its promise never settles: read the line itself.
  const footer = stoppedEarly ? await peekFooter(resolve(cfg.cwd, cfg.tracePath)) : await run.trace.footer.catch(() => null);
  const report = buildReport({
    version: cfg.version,
    run: info,
    trace: { path: cfg.tracePath, sha256: footer?.sha256 ?? '', events: footer?.events ?? r.metrics.total.count, header: run.header },
    metrics: r.metrics,
    sheetsAvailable: r.sheetsAvailable,
    digest: stoppedEarly ? null : r.digest,
    workbookDigest: r.workbookDigest,
    memory: r.memory,
  });
  // A run that broke gets no verdict: its gates are not evaluated (the summary says why).
  if (cfg.gates && validity.valid) report.gates = evaluateGates(report, cfg.gates);
  await writeReportFiles(run.dir, report);
  return { report, dir: run.dir, notes: r.notes };
}
