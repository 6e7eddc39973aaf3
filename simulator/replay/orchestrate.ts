/**
 * One `sheetsim run`: open the trace, start the target, replay in the chosen mode, sample memory, and write
 * reports/<run-id>/ (report.json and the files rendered from it, events.jsonl). The CLI only parses flags.
 */
import { mkdirSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { MemorySampler, selfRssMb } from '../metrics/memory.ts';
import { buildReport } from '../metrics/report-builder.ts';
import { RunMetrics } from '../metrics/run-metrics.ts';
import { evaluateGates, type GateConfig } from '../report/gates.ts';
import type { Report, RunInfo } from '../report/model.ts';
import { writeReportFiles } from '../report/write.ts';
import { readTrace, verifyTrace } from '../trace/reader.ts';
import type { TraceEvent, TraceHeader } from '../trace/types.ts';
import { EventsWriter } from './events-writer.ts';
import { runExact } from './exact.ts';
import { toEventRecord } from '../outcome/outcome.ts';
import { ProgressReporter } from './progress.ts';
import { runRealtime } from './realtime.ts';
import { runId, uniqueDir } from './run-id.ts';
import { createSheetsAdmin, type SheetsAdmin } from './sheets-admin.ts';
import { startTarget, type TargetSpec } from './targets.ts';

export type TargetChoice =
  | { kind: 'embedded'; backendProfile: 'lean' | 'zeues' }
  | { kind: 'url'; url: string; sheetsUrl: string | null }
  | { kind: 'command'; command: string };

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
}

export interface RunOutcome {
  report: Report;
  dir: string;
  /** Things the user should know that the report has no field for (a dead target, an unreadable call log). */
  notes: string[];
}

/** Epoch ms of trace time 0: 08:00 in Santiago (-03:00) on the trace's start date, as the mock's default. */
export function traceEpochMs(header: TraceHeader): number {
  const ms = Date.parse(`${header.params.startDate}T08:00:00-03:00`);
  if (!Number.isFinite(ms)) throw new Error(`trace header params.startDate: expected YYYY-MM-DD, got ${JSON.stringify(header.params.startDate)}`);
  return ms;
}

// A partial run stops reading before the footer; its sha256 (unverified) is still worth recording.
async function lastLineFooter(path: string): Promise<{ sha256: string; events: number } | null> {
  try {
    const fh = await open(path, 'r');
    try {
      const { size } = await fh.stat();
      const len = Math.min(size, 4096);
      const buf = Buffer.alloc(len);
      await fh.read(buf, 0, len, size - len);
      const last = buf.toString('utf8').trimEnd().split('\n').pop() ?? '';
      const f = JSON.parse(last) as { end?: boolean; sha256?: unknown; events?: unknown };
      return f.end === true && typeof f.sha256 === 'string' && typeof f.events === 'number' ? { sha256: f.sha256, events: f.events } : null;
    } finally {
      await fh.close();
    }
  } catch {
    return null;
  }
}

async function* shardEvents(events: AsyncIterable<TraceEvent>, shard: RunConfig['shard']): AsyncGenerator<TraceEvent> {
  for await (const e of events) if (!shard || e.worker % shard.count === shard.index) yield e;
}

/** Run one replay and write its report folder. */
export async function executeRun(cfg: RunConfig): Promise<RunOutcome> {
  // Refuse a truncated or edited trace before anything starts, not minutes into the run (one streaming pass:
  // about 4 s for a million events).
  await verifyTrace(resolve(cfg.cwd, cfg.tracePath), cfg.tracePath);
  const trace = await readTrace(resolve(cfg.cwd, cfg.tracePath), cfg.tracePath);
  const header = trace.header;
  // The footer promise rejects when the events are not read to the end (Ctrl-C); handled where it is awaited.
  trace.footer.catch(() => undefined);
  const epochMs = traceEpochMs(header);
  const startedAt = new Date();
  const baseId = runId(startedAt, header.profile, header.seed, cfg.mode);
  const { id, dir } = cfg.outDir ? { id: baseId, dir: resolve(cfg.cwd, cfg.outDir) } : uniqueDir(resolve(cfg.cwd, 'reports'), baseId);
  mkdirSync(dir, { recursive: true });

  const mock = { world: header.world, mode: cfg.mode, speed: cfg.speed, epochMs, latency: cfg.latency, quota: cfg.quota };
  const spec: TargetSpec =
    cfg.target.kind === 'embedded'
      ? { kind: 'embedded', backendProfile: cfg.target.backendProfile, ...mock }
      : cfg.target.kind === 'url'
        ? { kind: 'url', url: cfg.target.url, sheetsUrl: cfg.target.sheetsUrl }
        : { kind: 'command', command: cfg.target.command, cwd: cfg.cwd, env: cfg.env, readyTimeoutMs: cfg.readyTimeoutMs, ...mock };
  const sheetsimMemory = new MemorySampler(selfRssMb, () => performance.now());
  let target;
  try {
    target = await startTarget(spec);
  } catch (err) {
    sheetsimMemory.stop();
    await trace.close();
    throw err;
  }
  const targetMemory = target.rssMb ? new MemorySampler(target.rssMb, () => performance.now()) : null;
  let admin: SheetsAdmin | null = target.sheetsUrl ? createSheetsAdmin(target.sheetsUrl, cfg.timeoutMs) : null;
  const metrics = new RunMetrics();
  const writer = new EventsWriter(resolve(dir, 'events.jsonl'));
  const onEvent: Parameters<typeof runRealtime>[0]['onEvent'] = (o, calls) => writer.write(toEventRecord(o, calls));
  const durationMs = Math.max(1, header.params.durationMs);
  const wallStart = performance.now();
  let lastT = 0;
  const progress = cfg.progress
    ? new ProgressReporter(cfg.progress.out, cfg.progress.tty, () => {
        const elapsedMs = performance.now() - wallStart;
        return {
          done: metrics.total.count,
          fraction: cfg.mode === 'realtime' ? (elapsedMs * cfg.speed) / durationMs : lastT / durationMs,
          elapsedMs,
          p95Ms: metrics.total.response.getValueAtPercentile(95) / 1000,
          errors: metrics.errorCount,
          status429: metrics.status429Count,
        };
      })
    : null;
  const events = (async function* () {
    for await (const e of shardEvents(trace.events, cfg.shard)) {
      lastT = e.t;
      yield e;
    }
  })();

  let digest: string | null = null;
  let workbookDigest: string | null = null;
  let interrupted = false;
  let sheetsAvailable = admin !== null;
  let simulatedDurationMs = 0;
  let wallDurationMs = 0;
  const notes: string[] = [];
  progress?.start();
  try {
    if (cfg.mode === 'exact') {
      if (!admin) throw new Error('exact mode needs the mock Sheets API (--sheets URL with --target)');
      if (cfg.target.kind === 'url') await admin.reset(header.world.seed);
      const res = await runExact({ events, url: target.url, sheets: admin, epochMs, timeoutMs: cfg.timeoutMs, metrics, onEvent, ...(cfg.signal ? { signal: cfg.signal } : {}) });
      digest = res.digest;
      workbookDigest = res.workbookDigest;
      interrupted = res.interrupted;
      simulatedDurationMs = res.virtualMs;
    } else {
      const res = await runRealtime({
        events,
        url: target.url,
        speed: cfg.speed,
        // One socket per worker, capped: past ~1,000 sockets undici queues instead (counted in service time).
        connections: Math.min(1024, Math.max(1, header.params.workers)),
        timeoutMs: cfg.timeoutMs,
        metrics,
        onEvent,
        sheets: admin,
        countUntracedCalls: cfg.shard === null,
        ...(cfg.signal ? { signal: cfg.signal } : {}),
        graceMs: cfg.graceMs ?? 5000,
      });
      interrupted = res.interrupted || res.abandoned > 0;
      if (res.sheetsError) {
        notes.push(res.sheetsError);
        sheetsAvailable = false;
      }
      simulatedDurationMs = metrics.lastT;
    }
    wallDurationMs = performance.now() - wallStart;
    if (!interrupted) await trace.footer; // a truncated or edited trace fails here, after the replay
  } catch (err) {
    // A bad trace line or a broken target: release everything before reporting the error.
    targetMemory?.stop();
    sheetsimMemory.stop();
    await target.stop().catch(() => undefined);
    throw err;
  } finally {
    progress?.stop();
    await writer.close();
    await trace.close();
    await admin?.close();
    admin = null;
  }
  const died = target.died();
  const targetMem = targetMemory?.stop() ?? null;
  const ownMem = sheetsimMemory.stop();
  await target.stop();
  if (died) notes.push(died);

  const run: RunInfo = {
    id: cfg.outDir ? id : dir.split(/[\\/]/).pop()!,
    mode: cfg.mode,
    startedAt: startedAt.toISOString(),
    wallDurationMs: Math.round(wallDurationMs),
    simulatedDurationMs,
    speed: cfg.mode === 'exact' ? 1 : cfg.speed,
    partial: interrupted || died !== null,
    shard: cfg.shard,
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
  };
  // After an interruption the reader stopped before the footer and its promise never settles: read the line itself.
  const footer = interrupted ? await lastLineFooter(resolve(cfg.cwd, cfg.tracePath)) : await trace.footer.catch(() => null);
  const report = buildReport({
    version: cfg.version,
    run,
    trace: { path: cfg.tracePath, sha256: footer?.sha256 ?? '', events: footer?.events ?? metrics.total.count, header },
    metrics,
    sheetsAvailable,
    digest: interrupted ? null : digest,
    workbookDigest,
    memory: { target: targetMem, sheetsim: ownMem },
  });
  if (cfg.gates) report.gates = evaluateGates(report, cfg.gates);
  await writeReportFiles(dir, report);
  return { report, dir, notes };
}
