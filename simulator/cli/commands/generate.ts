import { existsSync } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type Command, InputError, UsageError, boolOpt, durationOpt, enumOpt, intOpt, numberOpt, stringOpt } from '../command.ts';
import { choiceMixLine, formatDurationMs, redrawLine, requestMixLine, unfinishedLine } from '../../workload/mix-text.ts';
import { PROFILES, type TraceOptions, defaultTraceOptions } from '../../workload/trace-options.ts';
import { CHOICES } from '../../workload/scenarios.ts';
import { MAX_PAYROLL, MAX_SPOOLS } from '../../workload/world-params.ts';
import { defaultTraceName } from '../../replay/trace-file.ts';
import { peekFooter } from '../../trace/peek-footer.ts';

const d = defaultTraceOptions;

/** `sheetsim generate`: write a seeded, byte-reproducible trace and print its sha256 and mix. */
export const generateCommand: Command = {
  name: 'generate',
  summary: 'Write a seeded trace of shop-floor traffic (byte-identical for the same seed and options).',
  usage: '[options]',
  description: `
The trace is JSON Lines (docs/trace-format.md): a header with the seed and options, one line per HTTP request
with its time, worker, scenario and expected answer, and a footer with the event count and sha256. The world
the trace runs against (spools, unions, workers) is generated from the same seed and options, so the mock
Sheets server can be filled with exactly the data the trace expects.

Profiles: zeues (default) = stateful worker sessions that INICIAR a free spool and FINALIZAR it with unions
that are still available, choices weighted 3:2:1:1:1:1 as the original Locust suite, think time 5-15 s, a
share of deliberately wrong requests (--conflicts). locust = the original locustfile as written (random tags
OT-001..OT-100, worker ids 1-100, its exact bodies, which the API mostly rejects or cancels).

The default file name carries every option that changes the bytes (payroll and start date only when not the
defaults), so 'sheetsim run' with the same flags replays it instead of generating it again. An existing FILE that
holds the same trace is rewritten with the same bytes; one that holds another trace, or something else, is left
alone (exit 2) unless --force.

Prints the output path, a line 'sha256: <hex>' (scripts rely on it), the event count and the mix. A choice is
counted when its last request is in the trace, as 'sheetsim inspect' counts it; choices whose FINALIZAR falls
after the end are listed as unfinished.`,
  options: {
    seed: { type: 'string', valueName: 'N', description: 'Seed of the world and the workload.', defaultText: String(d.seed) },
    profile: { type: 'string', valueName: 'NAME', description: `Workload profile: ${PROFILES.join(' | ')}.`, defaultText: d.profile },
    workers: { type: 'string', valueName: 'N', description: 'Concurrent virtual workers.', defaultText: String(d.workers) },
    duration: { type: 'string', valueName: 'TIME', description: 'Simulated duration: 90s, 5m, 1h.', defaultText: formatDurationMs(d.durationMs) },
    spools: { type: 'string', valueName: 'N', description: 'Spools in the world (OT-001...).', defaultText: String(d.spools) },
    payroll: { type: 'string', valueName: 'N', description: 'Workers on payroll (Trabajadores rows; 10% inactive).', defaultText: String(d.payroll) },
    conflicts: { type: 'string', valueName: 'P', description: 'Share of deliberately wrong choices, 0..1 (zeues only).', defaultText: String(d.conflicts) },
    'start-date': { type: 'string', valueName: 'YYYY-MM-DD', description: "Day the trace starts; the world's dates derive from it.", defaultText: d.startDate },
    out: { type: 'string', short: 'o', valueName: 'FILE', description: 'Output file (its folder is created).', defaultText: 'traces/<profile>-seed<seed>-w<workers>-d<duration>-s<spools>-c<conflicts>[-p<payroll>][-<start-date>].jsonl, the name sheetsim run looks for' },
    force: { type: 'boolean', description: 'Replace FILE even when it holds another trace (or is not a trace).', defaultText: 'off: refuse, exit 2' },
  },
  examples: [
    'sheetsim generate --seed 42',
    'sheetsim generate --seed 7 --workers 50 --duration 10m --out traces/peak.jsonl',
    'sheetsim generate --profile locust --out traces/locust.jsonl',
    'sheetsim generate --conflicts 0 --spools 500 --duration 30m',
  ],
  async run(ctx) {
    if (ctx.positionals.length > 0) throw new UsageError(`unexpected argument '${ctx.positionals[0]}' (generate takes only options)`);
    const options: TraceOptions = {
      ...d,
      seed: intOpt(ctx, 'seed', d.seed, 0),
      profile: enumOpt(ctx, 'profile', PROFILES, d.profile),
      workers: intOpt(ctx, 'workers', d.workers, 1, 1_000_000),
      durationMs: durationOpt(ctx, 'duration', d.durationMs),
      spools: intOpt(ctx, 'spools', d.spools, 1, MAX_SPOOLS),
      payroll: intOpt(ctx, 'payroll', d.payroll, 1, MAX_PAYROLL),
      conflicts: numberOpt(ctx, 'conflicts', d.conflicts, 0, 1),
      startDate: stringOpt(ctx, 'start-date', d.startDate),
    };
    if (!/^\d{4}-\d{2}-\d{2}$/.test(options.startDate)) throw new UsageError(`--start-date expects YYYY-MM-DD, got '${options.startDate}'`);
    const out = stringOpt(ctx, 'out') ?? `traces/${defaultTraceName(options)}`;
    const outPath = resolve(ctx.cwd, out);
    const force = boolOpt(ctx, 'force');
    // An existing file is only replaced by the same trace (or with --force): generate beside it, then compare.
    const existing = existsSync(outPath) ? await peekFooter(outPath) : undefined;
    if (existing === null && !force) throw new InputError(`${out} exists and is not a sheetsim trace; pass --force to replace it or choose another --out`);
    const writePath = existing ? `${outPath}.new-${process.pid}` : outPath;
    // Loaded here, not at the top: `generate --help` prints the defaults without loading the generators.
    const { generateTrace } = await import('../../workload/generate.ts');
    let result;
    try {
      result = await generateTrace(options, writePath, ctx.signal);
    } catch (err) {
      const msg = (err as Error).message;
      if (/must be|is not a real/.test(msg)) throw new UsageError(msg);
      if ((err as NodeJS.ErrnoException).code) throw new InputError(`cannot write ${out}: ${msg}`);
      throw err;
    }
    if (existing) {
      if (existing.sha256 !== result.sha256 && !force) {
        await unlink(writePath);
        throw new InputError(`${out} already holds another trace (sha256 ${existing.sha256.slice(0, 12)}…, this one is ${result.sha256.slice(0, 12)}…); pass --force to replace it or choose another --out`);
      }
      await rename(writePath, outPath);
    }
    const { stats } = result;
    ctx.stdout.write([
      `trace: ${out}`,
      `sha256: ${result.sha256}`,
      `events: ${result.events} (profile ${options.profile}, seed ${options.seed}, ${options.workers} workers, ${formatDurationMs(options.durationMs)})`,
      `requests: ${requestMixLine(result.scenarios)}`,
      `choices: ${choiceMixLine(stats.realised)}`,
      `unfinished: ${unfinishedLine(stats)}${CHOICES.some((c) => stats.unfinished[c] > 0) ? ', INICIAR sent, FINALIZAR past the end' : ''}`,
      `re-draws: ${redrawLine(stats)}`,
      `conflicts: ${Object.keys(stats.conflicts).length === 0 ? 'none' : Object.entries(stats.conflicts).map(([s, n]) => `${s} x${n}`).join(', ')}`,
      '',
    ].join('\n'));
    return 0;
  },
};
