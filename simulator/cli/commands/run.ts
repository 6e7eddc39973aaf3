/** `sheetsim run`: replay a trace against a backend (realtime load test or exact reproduction) and write a report. */
import { resolve } from 'node:path';
import {
  type Command,
  type CommandContext,
  InputError,
  UsageError,
  boolOpt,
  durationOpt,
  enumOpt,
  intOpt,
  numberOpt,
  stringOpt,
} from '../command.ts';
import { SHEETSIM_VERSION } from '../../version.ts';
import { GATE_OPTIONS, gateConfigFromFlags } from '../gate-options.ts';
import { gatesPass } from '../../report/gates.ts';
import { readReport } from '../../report/read.ts';
import { renderSummary } from '../../report/terminal.ts';
import { TraceError } from '../../trace/error.ts';
import { type RunConfig, type TargetChoice, executeRun } from '../../replay/orchestrate.ts';
import { ensureTrace } from '../../replay/trace-file.ts';
import { PROFILES, defaultTraceOptions } from '../../workload/profiles.ts';
import type { WorkloadProfile } from '../../trace/types.ts';

/** Parse `--shard i/n`. */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw new UsageError(`--shard expects i/n such as 0/4, got '${text}'`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index >= count) throw new UsageError(`--shard i/n needs 0 <= i < n, got '${text}'`);
  return { index, count };
}

type Values = CommandContext['values'];

/** Everything `run` needs from the flags; the recorded `options` let `--reproduce` repeat it. */
async function configFromFlags(ctx: CommandContext, values: Values): Promise<RunConfig> {
  const c: CommandContext = { ...ctx, values };
  const mode = enumOpt(c, 'mode', ['realtime', 'exact'] as const, 'realtime');
  const speed = numberOpt(c, 'speed', 1, 0.001, 10_000);
  const targetUrl = stringOpt(c, 'target');
  const sheetsUrl = stringOpt(c, 'sheets') ?? null;
  const targetCmd = stringOpt(c, 'target-cmd');
  const backendProfile = enumOpt(c, 'backend-profile', ['lean', 'zeues'] as const, 'lean');
  const latency = enumOpt(c, 'latency', ['off', 'realistic'] as const, 'realistic');
  const quota = enumOpt(c, 'quota', ['on', 'off'] as const, 'on');
  const timeoutMs = intOpt(c, 'timeout', 30_000, 1, 3_600_000);
  const readyTimeoutMs = intOpt(c, 'ready-timeout', 30_000, 1, 3_600_000);
  const shardText = stringOpt(c, 'shard');
  const shard = shardText ? parseShard(shardText) : null;
  const label = stringOpt(c, 'label') ?? null;
  const outDir = stringOpt(c, 'out') ?? null;
  if (targetUrl && targetCmd) throw new UsageError('--target and --target-cmd cannot be used together');
  if (sheetsUrl && !targetUrl) throw new UsageError('--sheets names the mock an external --target uses; it needs --target URL');
  if (mode === 'exact' && targetUrl && !sheetsUrl) throw new UsageError('--mode exact with --target needs --sheets URL (the mock whose clock and call log exact mode drives)');
  if (mode === 'exact' && shard) throw new UsageError('--shard is for realtime runs: exact mode replays every event in trace order on one virtual clock');
  for (const [flag, url] of [['target', targetUrl], ['sheets', sheetsUrl]] as const) {
    if (url && !/^https?:\/\/[^/]+/.test(url)) throw new UsageError(`--${flag} expects an http(s) URL such as http://127.0.0.1:8000, got '${url}'`);
  }
  const target: TargetChoice = targetUrl
    ? { kind: 'url', url: targetUrl, sheetsUrl }
    : targetCmd
      ? { kind: 'command', command: targetCmd }
      : { kind: 'embedded', backendProfile };

  let tracePath = stringOpt(c, 'trace');
  const gen = {
    ...defaultTraceOptions,
    seed: intOpt(c, 'seed', defaultTraceOptions.seed, 0),
    profile: enumOpt(c, 'profile', PROFILES, defaultTraceOptions.profile) as WorkloadProfile,
    workers: intOpt(c, 'workers', defaultTraceOptions.workers, 1, 100_000),
    durationMs: durationOpt(c, 'duration', defaultTraceOptions.durationMs),
    spools: intOpt(c, 'spools', defaultTraceOptions.spools, 1),
    conflicts: numberOpt(c, 'conflicts', defaultTraceOptions.conflicts, 0, 1),
  };
  if (!tracePath) {
    try {
      const made = await ensureTrace(gen, ctx.cwd, ctx.signal);
      if (made.generated) ctx.stderr.write(`generated ${made.path}\n`);
      tracePath = made.path;
    } catch (err) {
      throw new UsageError(`cannot generate the trace: ${(err as Error).message}`);
    }
  }
  const options: RunConfig['options'] = {
    trace: tracePath,
    mode,
    speed,
    target: targetUrl ?? null,
    sheets: sheetsUrl,
    'target-cmd': targetCmd ?? null,
    'backend-profile': target.kind === 'embedded' ? backendProfile : null,
    latency,
    quota,
    timeout: timeoutMs,
    shard: shardText ?? null,
    label,
  };
  return {
    tracePath,
    mode,
    speed: mode === 'exact' ? 1 : speed,
    target,
    latency,
    quota,
    timeoutMs,
    readyTimeoutMs,
    shard,
    label,
    outDir,
    gates: gateConfigFromFlags(c),
    options,
    cwd: ctx.cwd,
    env: ctx.env,
    version: SHEETSIM_VERSION,
    signal: ctx.signal,
    progress: { out: ctx.stderr, tty: ctx.isTTY },
  };
}

async function execute(ctx: CommandContext, cfg: RunConfig): Promise<Awaited<ReturnType<typeof executeRun>>> {
  try {
    return await executeRun(cfg);
  } catch (err) {
    if (err instanceof TraceError) throw new InputError(err.message);
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && String((err as Error).message).includes(cfg.tracePath)) {
      throw new InputError(`trace file not found: ${cfg.tracePath}`);
    }
    throw err;
  }
}

/** Re-run the trace and parameters recorded in DIR/report.json in exact mode; exit 0 when the digest matches. */
async function reproduce(ctx: CommandContext, dirArg: string): Promise<number> {
  const dir = resolve(ctx.cwd, dirArg);
  const previous = await readReport(dir);
  if (!previous.digest) throw new InputError(`${dir}/report.json has no digest (only exact-mode runs have one); nothing to compare with`);
  const values: Values = {};
  for (const [k, v] of Object.entries(previous.run.options)) if (v !== null && v !== undefined) values[k] = typeof v === 'boolean' ? v : String(v);
  values.mode = 'exact';
  delete values.shard;
  for (const keep of ['out', 'label', 'gates', 'no-gates', 'warn-only']) if (ctx.values[keep] !== undefined) values[keep] = ctx.values[keep];
  const cfg = await configFromFlags(ctx, values);
  if (previous.trace.sha256 && cfg.tracePath) ctx.stderr.write(`reproducing ${dir} with ${cfg.tracePath}\n`);
  const { report, dir: outDir, notes } = await execute(ctx, cfg);
  for (const n of notes) ctx.stderr.write(`sheetsim run: ${n}\n`);
  if (report.trace.sha256 !== previous.trace.sha256) {
    ctx.stderr.write(`sheetsim run: the trace changed since the run (sha256 ${previous.trace.sha256.slice(0, 12)} → ${report.trace.sha256.slice(0, 12)})\n`);
  }
  ctx.stdout.write(`report: ${outDir}\ndigest: ${report.digest ?? 'none'}\n`);
  const same = report.digest === previous.digest;
  ctx.stdout.write(same ? `reproduced: the digest matches ${dirArg}\n` : `not reproduced: ${dirArg} recorded digest ${previous.digest}\n`);
  return same ? 0 : 1;
}

export const runCommand: Command = {
  name: 'run',
  summary: 'Replay a trace against a backend: a realtime load test or an exact reproduction, with a report.',
  usage: '[options]',
  description: `
Without --trace, the trace is generated from --seed/--profile/--workers/--duration/--spools/--conflicts into
traces/ (reused when that exact trace already exists). Without --target or --target-cmd, the mock Sheets API
and the reference backend are started in-process on free loopback ports (the embedded target).

Modes:
  realtime  the load test (open model): event e is sent at t0 + e.t / speed whether or not earlier requests
            returned; a worker's own requests stay in order. Response time counts from the intended start
            (coordinated-omission-correct), service time from the actual send, lateness separately. The
            embedded mock's quota minute shrinks by the same --speed; Sheets latencies do not.
  exact     the reproduction: events one at a time on a virtual clock shared with the mock; Sheets latency is
            accounted, never slept. Prints 'digest: <sha256>' (statuses, bodies, Sheets calls, final workbook):
            the same trace against the same build gives the same digest on every run and machine.

Targets:
  (default)         embedded mock + reference backend (--backend-profile, --latency, --quota apply)
  --target URL      an already running backend; --sheets URL names its mock (Sheets metrics and exact mode)
  --target-cmd CMD  sheetsim starts the mock, writes fake service-account credentials, runs CMD through the
                    shell with PORT, SHEETS_API_URL, SPREADSHEET_ID, GOOGLE_APPLICATION_CREDENTIALS (and
                    SHEETSIM_SIM_CLOCK=1 in exact mode), waits for GET /api/health, samples its memory and stops it.

Output: reports/<run-id>/ (report.json, events.jsonl, metrics.csv, scenarios.csv, timeline.csv, report.html);
the last lines on stdout are 'report: <folder>' and, in exact mode, 'digest: <64 hex>'. Live progress goes to
stderr. Ctrl-C stops scheduling, waits up to 5 s for requests in flight and writes a report marked partial.
Exit codes: 0 ok, 1 a PERF gate failed (unless --warn-only) or --reproduce found another digest, 2 bad usage
or input, 130 interrupted.`,
  options: {
    trace: { type: 'string', valueName: 'FILE', description: 'Trace to replay.', defaultText: 'generated into traces/ from the flags below' },
    seed: { type: 'string', valueName: 'N', description: 'Seed of the generated trace and its world.', defaultText: '42' },
    profile: { type: 'string', valueName: 'NAME', description: 'Workload profile of the generated trace: zeues or locust.', defaultText: 'zeues' },
    workers: { type: 'string', valueName: 'N', description: 'Concurrent virtual workers of the generated trace.', defaultText: '40' },
    duration: { type: 'string', valueName: 'DUR', description: 'Duration of the generated trace (90s, 5m, 1h).', defaultText: '5m' },
    spools: { type: 'string', valueName: 'N', description: 'Spools in the generated world.', defaultText: String(defaultTraceOptions.spools) },
    conflicts: { type: 'string', valueName: 'X', description: 'Share of deliberate conflicts in the generated trace (0..1).', defaultText: '0.05' },
    mode: { type: 'string', valueName: 'MODE', description: 'realtime or exact.', defaultText: 'realtime' },
    speed: { type: 'string', valueName: 'X', description: 'Realtime speed-up: think times and the mock quota minute shrink by X.', defaultText: '1 (npm start: 10)' },
    target: { type: 'string', valueName: 'URL', description: 'Drive an already running backend.' },
    sheets: { type: 'string', valueName: 'URL', description: 'The mock Sheets API the --target backend uses (call log, clock).' },
    'target-cmd': { type: 'string', valueName: 'CMD', description: 'Start this backend command (through the shell) against a fresh mock.' },
    'backend-profile': { type: 'string', valueName: 'NAME', description: 'Call pattern of the embedded reference backend: lean or zeues.', defaultText: 'lean' },
    latency: { type: 'string', valueName: 'off|realistic', description: 'Latency model of the mock sheetsim starts.', defaultText: 'realistic' },
    quota: { type: 'string', valueName: 'on|off', description: 'Per-minute quotas of the mock sheetsim starts.', defaultText: 'on' },
    ...GATE_OPTIONS,
    'warn-only': { type: 'boolean', description: 'Report failed gates but exit 0.' },
    out: { type: 'string', valueName: 'DIR', description: 'Report folder.', defaultText: 'reports/<YYYYMMDD-HHMMSS>-<profile>-seed<seed>-<mode>' },
    label: { type: 'string', valueName: 'TEXT', description: 'A label for the run (recorded as the target commit when git cannot tell).' },
    shard: { type: 'string', valueName: 'i/n', description: "Replay only events whose worker % n == i (realtime; merge shards with 'sheetsim merge')." },
    timeout: { type: 'string', valueName: 'MS', description: 'Per-request headers/body timeout; a timeout is recorded as TIMEOUT.', defaultText: '30000' },
    'ready-timeout': { type: 'string', valueName: 'MS', description: 'How long a --target-cmd backend gets to answer GET /api/health.', defaultText: '30000' },
    reproduce: { type: 'string', valueName: 'DIR', description: "Re-run DIR's trace and parameters in exact mode; exit 0 if the digest matches, 1 if not." },
  },
  examples: [
    'sheetsim run                                    # seed-42 trace, embedded target, realtime at 1x',
    'sheetsim run --speed 10 --warn-only             # what npm start does',
    'sheetsim run --mode exact --seed 7 --duration 2m',
    'sheetsim run --target-cmd "npx sheetsim backend --profile zeues"',
    'sheetsim run --target http://127.0.0.1:8000 --sheets http://127.0.0.1:8090 --shard 0/2',
    'sheetsim run --reproduce reports/20261126-203000-zeues-seed42-exact',
  ],
  async run(ctx) {
    if (ctx.positionals.length > 0) throw new UsageError(`takes no positional arguments, got '${ctx.positionals[0]}' (did you mean --trace ${ctx.positionals[0]}?)`);
    const reproduceDir = stringOpt(ctx, 'reproduce');
    if (reproduceDir) return reproduce(ctx, reproduceDir);
    const cfg = await configFromFlags(ctx, ctx.values);
    const { report, dir, notes } = await execute(ctx, cfg);
    for (const n of notes) ctx.stderr.write(`sheetsim run: ${n}\n`);
    ctx.stdout.write(renderSummary(report, { color: ctx.isTTY, reportDir: dir }));
    ctx.stdout.write(`report: ${dir}\n`);
    if (report.digest) ctx.stdout.write(`digest: ${report.digest}\n`);
    if (ctx.signal.aborted) return 130;
    if (!gatesPass(report.gates) && !boolOpt(ctx, 'warn-only')) return 1;
    return 0;
  },
};
