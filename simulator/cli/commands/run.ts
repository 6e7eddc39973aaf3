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
import { TRACE_OPTIONS, traceOptionsFromFlags } from '../trace-options.ts';
import { gatesPass } from '../../report/gates.ts';
import { readReport } from '../../report/read.ts';
import { currentRuntime, runtimeDifferences } from '../../runtime-versions.ts';
import { renderSummary } from '../../report/terminal.ts';
import { TraceError } from '../../trace/error.ts';
import { DEFAULT_DEADLINE_GRACE_MS, type RunConfig, type TargetChoice, executeRun } from '../../replay/orchestrate.ts';
import { DEFAULT_OVERLOAD_RULES } from '../../replay/overload.ts';
import { TargetUnreachableError } from '../../replay/targets.ts';
import { DEFAULT_VALIDITY_RULES, parseShare, type ValidityRules } from '../../replay/validity.ts';
import { FASTAPI_GSPREAD_MAPPING, TARGET_ENV_PLACEHOLDERS, TargetEnvError, type TargetEnvEntry, parseTargetEnv } from '../../replay/target-env.ts';
import { ensureTrace } from '../../replay/trace-file.ts';
import { defaultThreads, isLocalTarget } from '../../replay/threads.ts';

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

/** A share flag (`5%` or `0.05`). */
function shareOpt(c: CommandContext, name: string, fallback: number): number {
  const text = stringOpt(c, name);
  if (text === undefined) return fallback;
  const v = parseShare(text);
  if (v === null) throw new UsageError(`--${name} expects a share such as 5% or 0.05 (0..100%), got '${text}'`);
  return v;
}

/** The validity rules from --max-transport-errors, --min-success, --unreachable-after. */
function validityFromFlags(c: CommandContext): ValidityRules {
  return {
    maxTransportErrorShare: shareOpt(c, 'max-transport-errors', DEFAULT_VALIDITY_RULES.maxTransportErrorShare),
    minSuccessShare: shareOpt(c, 'min-success', DEFAULT_VALIDITY_RULES.minSuccessShare),
    unreachableAfter: intOpt(c, 'unreachable-after', DEFAULT_VALIDITY_RULES.unreachableAfter, 1, 1_000_000),
  };
}

/** Everything `run` needs from the flags; the recorded `options` let `--reproduce` repeat it. */
async function configFromFlags(ctx: CommandContext, values: Values): Promise<RunConfig> {
  const c: CommandContext = { ...ctx, values };
  const mode = enumOpt(c, 'mode', ['realtime', 'exact'] as const, 'realtime');
  const speed = numberOpt(c, 'speed', 1, 0.001, 10_000);
  const targetUrl = stringOpt(c, 'target');
  const sheetsUrl = stringOpt(c, 'sheets') ?? null;
  const targetCmd = stringOpt(c, 'target-cmd');
  // Repeated flags arrive as a list; a --reproduce'd run's recorded option as one newline-separated string.
  const targetEnvRaw = c.values['target-env'];
  const targetEnvList = targetEnvRaw === undefined ? [] : Array.isArray(targetEnvRaw) ? targetEnvRaw : String(targetEnvRaw).split('\n').filter((l) => l !== '');
  if (targetEnvList.length > 0 && !targetCmd) throw new UsageError('--target-env maps variables for the backend --target-cmd starts; it needs --target-cmd CMD');
  let targetEnv: TargetEnvEntry[];
  try {
    targetEnv = parseTargetEnv(targetEnvList);
  } catch (err) {
    if (err instanceof TargetEnvError) throw new UsageError(err.message);
    throw err;
  }
  const targetCwd = stringOpt(c, 'target-cwd');
  if (targetCwd && !targetCmd) throw new UsageError('--target-cwd is the folder of a --target-cmd backend; it needs --target-cmd');
  const backendProfile = enumOpt(c, 'backend-profile', ['lean', 'zeues'] as const, 'lean');
  const latency = enumOpt(c, 'latency', ['off', 'realistic'] as const, 'realistic');
  const quota = enumOpt(c, 'quota', ['on', 'off'] as const, 'on');
  const timeoutMs = intOpt(c, 'timeout', 30_000, 1, 3_600_000);
  const readyTimeoutMs = intOpt(c, 'ready-timeout', 30_000, 1, 3_600_000);
  const shardText = stringOpt(c, 'shard');
  const shard = shardText ? parseShard(shardText) : null;
  const label = stringOpt(c, 'label') ?? null;
  const outDir = stringOpt(c, 'out') ?? null;
  const validity = validityFromFlags(c);
  const maxLatenessMs = durationOpt(c, 'max-lateness', DEFAULT_OVERLOAD_RULES.maxLatenessMs);
  const deadlineGraceMs = durationOpt(c, 'deadline-grace', DEFAULT_DEADLINE_GRACE_MS);
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
      ? { kind: 'command', command: targetCmd, targetEnv, ...(targetCwd ? { cwd: targetCwd } : {}) }
      : { kind: 'embedded', backendProfile };

  // Exact mode replays one event at a time on one virtual clock: more threads could not run anything at once.
  const threadsText = stringOpt(c, 'threads');
  const threads = intOpt(c, 'threads', defaultThreads(isLocalTarget(target.kind === 'url' ? { kind: 'url', url: target.url } : { kind: target.kind })), 1, 256);
  if (mode === 'exact' && threadsText !== undefined && threads > 1) throw new UsageError('--threads is for realtime runs: exact mode replays one event at a time on one virtual clock');

  let tracePath = stringOpt(c, 'trace');
  const gen = traceOptionsFromFlags(c);
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
    'target-env': targetEnvList.length > 0 ? targetEnvList.join('\n') : null,
    'target-cwd': targetCwd ?? null,
    'backend-profile': target.kind === 'embedded' ? backendProfile : null,
    latency,
    quota,
    timeout: timeoutMs,
    shard: shardText ?? null,
    threads: threadsText ?? null,
    label,
    'max-transport-errors': stringOpt(c, 'max-transport-errors') ?? null,
    'min-success': stringOpt(c, 'min-success') ?? null,
    'unreachable-after': stringOpt(c, 'unreachable-after') ?? null,
    'max-lateness': stringOpt(c, 'max-lateness') ?? null,
    'deadline-grace': stringOpt(c, 'deadline-grace') ?? null,
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
    validity,
    maxLatenessMs,
    deadlineGraceMs,
    threads: mode === 'exact' ? 1 : threads,
  };
}

async function execute(ctx: CommandContext, cfg: RunConfig): Promise<Awaited<ReturnType<typeof executeRun>>> {
  try {
    return await executeRun(cfg);
  } catch (err) {
    if (err instanceof TraceError) throw new InputError(err.message);
    // Nothing to measure: refused before the run, no report folder made.
    if (err instanceof TargetUnreachableError) throw new InputError(err.message);
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
  if (!previous.digest) {
    throw new InputError(`${dirArg} is a ${previous.run.mode} run without a digest: --reproduce re-runs exact-mode reports only (to repeat this one, run --trace ${previous.trace.path} again)`);
  }
  // The digest should not depend on these, but a backend that formats dates or strings through ICU may: say so.
  const runtime = runtimeDifferences(previous.sheetsim, currentRuntime());
  if (runtime.length > 0) ctx.stderr.write(`sheetsim run: warning: ${dirArg} was recorded with another runtime (${runtime.join(', ')}); a different digest may come from that\n`);
  const values: Values = {};
  for (const [k, v] of Object.entries(previous.run.options)) if (v !== null && v !== undefined) values[k] = typeof v === 'boolean' ? v : String(v);
  values.mode = 'exact';
  delete values.shard;
  delete values.threads;
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
and the reference backend are started in a child process of their own on free loopback ports (the embedded
target), so their CPU and memory are not the replayer's. The embedded target keeps the worlds it builds in
~/.cache/sheetsim (SHEETSIM_CACHE_DIR=DIR for another folder, SHEETSIM_CACHE_DIR=off for none) and opens them from
there the next time: the same world and digest, a faster start.

Modes:
  realtime  the load test (open model): event e is sent at t0 + e.t / speed whether or not earlier requests
            returned; a worker's own requests stay in order. Response time counts from the intended start
            (coordinated-omission-correct), service time from the actual send, lateness separately. --speed N
            is time dilation: the embedded mock's latencies and quota minute and the reference backend's clock,
            backoff and cache TTLs all run N times faster; reports are in simulated time.
  exact     the reproduction: a discrete-event simulation of the realtime run on a virtual clock shared with
            the mock: each worker on its own timeline, events one at a time in (start, seq) order, each Sheets
            call at its own instant; latency and backoff are accounted, never slept. Response time = modelled
            Sheets time + waits + the backend's measured compute. Prints 'digest: <sha256>' (statuses, bodies,
            Sheets calls, final workbook):
            the same trace against the same build gives the same digest on every run and machine.

Targets:
  (default)         embedded mock + reference backend in a child process (--backend-profile, --latency, --quota)
  --target URL      an already running backend; --sheets URL names its mock (Sheets metrics and exact mode)
  --target-cmd CMD  sheetsim starts the mock, writes fake service-account credentials, runs CMD through the
                    shell with PORT, SHEETS_API_URL, SPREADSHEET_ID, SHEETSIM_AUDIT_SPREADSHEET_ID,
                    GOOGLE_APPLICATION_CREDENTIALS (and SHEETSIM_SIM_CLOCK=1 in exact mode), waits for
                    GET /api/health, samples its memory and stops it. PYTHONPATH starts with the Python adapter
                    (adapters/python: sitecustomize sends gspread/google-auth's Google hosts to the mock and forwards
                    each request's traceparent on its Sheets calls) and SHEETSIM_SHEETS_URL is the mock's URL.
  --target-env NAME=TEMPLATE (repeatable, with --target-cmd) sets NAME for the backend, replacing
                    ${TARGET_ENV_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}
                    ({credentials_json}: the key file's content; {{ and }} are literal braces). The founding users'
                    FastAPI + gspread backend reads GOOGLE_SHEET_ID, GOOGLE_AUDIT_SHEET_ID and
                    GOOGLE_APPLICATION_CREDENTIALS_JSON:
                      ${FASTAPI_GSPREAD_MAPPING.map((m) => `--target-env '${m}'`).join(' \\\n                      ')}

Validity (no verdict from a broken run): an external --target (and --sheets) must answer HTTP before the
run starts, else exit 2 and no report. During the run, --unreachable-after connection errors in a row
(ECONNREFUSED, ECONNRESET, OTHER; default 10), a health probe refused after such an error, or the exit of
the target's process mark the target unreachable: the run stops sending at once and is invalid. A run is
also invalid when connection errors exceed --max-transport-errors of the events sent (default 5%) or 2xx
answers stay below --min-success (default 1%; 0 turns it off). TIMEOUTs are slow answers, not connection errors: the gates judge them. An
invalid run's PERF gates are not evaluated ('no verdict'), report.json run.validity says why, exit 1.

Threads (realtime): --threads N splits the virtual workers across N worker threads of one process (a worker's
events all go to one thread, in trace order), each with its own HTTP pool; the trace is read once, all threads
share one t0, and every event is recorded into one report and one events.jsonl (lines in completion order, as
with one thread). The default is the cores available, less one when the target runs on this machine (embedded,
--target-cmd, or a --target on localhost/127.x), so at least 1; --threads 1 is the single-thread replayer.
Exact mode runs on one thread (--threads N > 1 with --mode exact is refused).

Overload (realtime): the run has a deadline, trace duration / speed + --deadline-grace (default 30s).
Events not sent by then are recorded as NOT_SENT, requests still in flight as ABANDONED; both count as
failures, with the wait until the deadline as their response time (a lower bound). The run is SATURATED
(live on the progress line, run.overload in the report) when a due event waits longer than --max-lateness
(default 5s wall) for 3 s, or when the backlog of due, unanswered events keeps rising for 10 s and doubles.
The replayer judges itself too (run.replayer, one line of the summary): it was the bottleneck, not the
target, when its event loop was saturated (>= 95 % busy) for 5 % of the replay, its loop delay p99 reached
50 ms, or its own send lag p99 (how late it sent events whose virtual worker was free) reached 20 ms. Then
lower --speed or add --threads on a machine with cores to spare.

Output: reports/<run-id>/ (report.json, events.jsonl, metrics.csv, scenarios.csv, timeline.csv, report.html,
summary.md);
the last lines on stdout are 'report: <folder>' and, in exact mode, 'digest: <64 hex>'. Live progress goes to
stderr. Ctrl-C stops scheduling, waits up to 5 s for requests in flight and writes a report marked partial.
Exit codes: 0 ok, 1 a PERF gate failed (unless --warn-only), the run is invalid (even with --warn-only) or
--reproduce found another digest, 2 bad usage or input or nothing answers at --target/--sheets, 130 interrupted.`,
  options: {
    ...TRACE_OPTIONS,
    mode: { type: 'string', valueName: 'MODE', description: 'realtime or exact.', defaultText: 'realtime' },
    speed: { type: 'string', valueName: 'X', description: 'Realtime time dilation: think times, Sheets latencies, the quota minute and the embedded backend\'s timers run X times faster.', defaultText: '1 (npm start: 10)' },
    target: { type: 'string', valueName: 'URL', description: 'Drive an already running backend.' },
    sheets: { type: 'string', valueName: 'URL', description: 'The mock Sheets API the --target backend uses (call log, clock).' },
    'target-cmd': { type: 'string', valueName: 'CMD', description: 'Start this backend command (through the shell) against a fresh mock.' },
    'target-env': { type: 'string', multiple: true, valueName: 'NAME=TEMPLATE', description: 'Set NAME for the --target-cmd backend from a template ({spreadsheet_id}, {audit_spreadsheet_id}, {sheets_url}, {credentials_path}, {credentials_json}, {port}); repeatable.' },
    'target-cwd': { type: 'string', valueName: 'DIR', description: "Folder the --target-cmd runs in; the report records this folder's git commit.", defaultText: 'the current folder' },
    'backend-profile': { type: 'string', valueName: 'NAME', description: 'Call pattern of the embedded reference backend: lean or zeues.', defaultText: 'lean' },
    latency: { type: 'string', valueName: 'off|realistic', description: 'Latency model of the mock sheetsim starts.', defaultText: 'realistic' },
    quota: { type: 'string', valueName: 'on|off', description: 'Per-minute quotas of the mock sheetsim starts.', defaultText: 'on' },
    ...GATE_OPTIONS,
    'warn-only': { type: 'boolean', description: 'Report failed gates but exit 0.' },
    out: { type: 'string', valueName: 'DIR', description: 'Report folder.', defaultText: 'reports/<YYYYMMDD-HHMMSS>-<profile>-seed<seed>-<mode>' },
    label: { type: 'string', valueName: 'TEXT', description: 'A label for the run (recorded as the target commit when git cannot tell).' },
    threads: { type: 'string', valueName: 'N', description: 'Realtime: replay on N worker threads (virtual workers split across them, one report).', defaultText: 'the cores available, less one when the target runs on this machine' },
    shard: { type: 'string', valueName: 'i/n', description: "Replay only events whose worker % n == i (realtime; merge shards with 'sheetsim merge')." },
    timeout: { type: 'string', valueName: 'MS', description: 'Per-request headers/body timeout; a timeout is recorded as TIMEOUT.', defaultText: '30000' },
    'ready-timeout': { type: 'string', valueName: 'MS', description: 'How long a --target-cmd backend gets to answer GET /api/health (and the embedded target to load its world, and in exact mode to warm up).', defaultText: '30000' },
    'max-transport-errors': { type: 'string', valueName: 'SHARE', description: 'Invalid when connection errors exceed this share of events sent.', defaultText: '5%' },
    'min-success': { type: 'string', valueName: 'SHARE', description: 'Invalid when fewer events sent than this share get a 2xx (0 = off).', defaultText: '1%' },
    'unreachable-after': { type: 'string', valueName: 'N', description: 'Connection errors in a row that mark the target unreachable and stop the run.', defaultText: '10' },
    'max-lateness': { type: 'string', valueName: 'DUR', description: 'Saturated when a due event waits longer than this (wall) for 3 s.', defaultText: '5s' },
    'deadline-grace': { type: 'string', valueName: 'DUR', description: 'Realtime deadline = trace duration / speed + this; later events are NOT_SENT.', defaultText: '30s' },
    reproduce: { type: 'string', valueName: 'DIR', description: "Re-run an exact-mode report's trace and parameters and compare digests: exit 0 if they match, 1 if not, 2 for a realtime report (it has no digest)." },
  },
  examples: [
    'sheetsim run                                    # seed-42 trace, embedded target, realtime at 1x',
    'sheetsim run --speed 10 --warn-only             # what npm start does',
    'sheetsim run --mode exact --seed 7 --duration 2m',
    'sheetsim run --target-cmd "npx sheetsim backend --profile zeues"',
    `sheetsim run --target-cmd "python3 -m uvicorn main:app --port \$PORT" ${FASTAPI_GSPREAD_MAPPING.map((m) => `--target-env '${m}'`).join(' ')}`,
    'sheetsim run --target http://127.0.0.1:8000 --sheets http://127.0.0.1:8090 --shard 0/2',
    'sheetsim run --target http://10.0.0.5:8000 --threads 2   # a remote target: both cores send',
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
    // An invalid run has no verdict: never exit 0, --warn-only or not.
    if (report.run.validity && !report.run.validity.valid) return 1;
    if (!gatesPass(report.gates) && !boolOpt(ctx, 'warn-only')) return 1;
    return 0;
  },
};
