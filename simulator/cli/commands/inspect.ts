import { resolve } from 'node:path';
import { type Command, InputError, UsageError, boolOpt } from '../command.ts';
import { TraceError } from '../../trace/error.ts';
import { formatDurationMs, redrawLine, unfinishedLine } from '../../workload/mix-text.ts';
import { CHOICES } from '../../workload/scenarios.ts';
import { type TraceSummary, summarizeTrace } from '../../workload/summary.ts';

function render(s: TraceSummary): string {
  const h = s.header;
  const p = h.params;
  const pad = (x: string, n: number) => x.padEnd(n);
  const num = (x: number, n: number) => String(x).padStart(n);
  const lines = [
    `trace      ${s.file}`,
    `profile    ${h.profile}, seed ${h.seed}`,
    `params     ${p.workers} workers, duration ${formatDurationMs(p.durationMs)}, conflicts ${p.conflicts}, think ${p.thinkMinMs}-${p.thinkMaxMs} ms, start ${p.startDate}`,
    `world      seed ${h.world.seed}, ${h.world.spools} spools, ${h.world.workers} on payroll, start ${h.world.startDate} (spreadsheet ${s.spreadsheetId})`,
    `duration   ${formatDurationMs(p.durationMs)} planned, last event at ${formatDurationMs(s.lastEventMs)}`,
    `workers    ${s.workersSeen} of ${p.workers} sent requests`,
    `events     ${s.events}`,
    `sha256     ${s.sha256} (valid: footer count and hash match the content)`,
  ];
  if (s.generator) {
    lines.push(`regenerate ${s.generator.reproduces ? 'identical: this sheetsim rebuilds the file byte for byte from its header' : `DIFFERENT: this sheetsim generates ${s.generator.sha256} from the same header (made by another version?)`}`);
  }
  lines.push('', 'Requests by scenario', `  ${pad('scenario', 20)}${'count'.padStart(8)}${'share'.padStart(9)}`);
  for (const [k, v] of Object.entries(s.scenarios)) lines.push(`  ${pad(k, 20)}${num(v.count, 8)}${`${v.share.toFixed(1)}%`.padStart(9)}`);
  lines.push('', 'Choices (what the workers decided) vs the 3:2:1:1:1:1 target',
    `  ${pad('choice', 20)}${'count'.padStart(8)}${'share'.padStart(9)}${'target'.padStart(9)}`);
  for (const c of CHOICES) {
    const v = s.choices[c];
    lines.push(`  ${pad(c, 20)}${num(v.count, 8)}${`${v.share.toFixed(1)}%`.padStart(9)}${`${v.target.toFixed(1)}%`.padStart(9)}`);
  }
  lines.push(`  unfinished at the trace end (INICIAR sent, FINALIZAR after it; not counted above): ${
    s.generator ? unfinishedLine(s.generator.stats) : s.unfinishedChoices === 0 ? 'none' : s.unfinishedChoices}`);
  if (s.generator) {
    lines.push(`  re-draws (no spool fitted the choice): ${redrawLine(s.generator.stats)}`);
    const conflicts = Object.entries(s.generator.stats.conflicts);
    lines.push(`  deliberate conflicts: ${conflicts.length === 0 ? 'none' : conflicts.map(([st, n]) => `${st} x${n}`).join(', ')}`);
  }
  lines.push('', 'Expected outcomes');
  for (const [k, n] of Object.entries(s.expected).sort((a, b) => b[1] - a[1])) lines.push(`  ${pad(k, 20)}${num(n, 8)}`);
  lines.push('', 'Requests per simulated minute');
  lines.push(`  ${s.perMinute.map((n, i) => `m${i + 1}:${n}`).join('  ')}`);
  lines.push(`  peak ${s.peakPerMinute.requests} in minute ${s.peakPerMinute.minute}, mean ${(s.events / Math.max(1, s.perMinute.length)).toFixed(1)}`);
  return lines.join('\n') + '\n';
}

/** `sheetsim inspect FILE`: validate a trace and explain what it contains. */
export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'Validate a trace and explain it: mix, expected outcomes, requests per minute.',
  usage: '[options] FILE',
  description: `
Reads the whole trace, validating the header, every event and the footer (count and sha256). A bad file
gives one line naming the line number and the field, and exit code 2. Shows the profile, seed, options and
world, the duration, the workers, events per scenario, the choices the workers made against the original
suite's 3:2:1:1:1:1 target (and apart, those the trace's end cut off after their INICIAR), the expected statuses and actions, and the requests per simulated minute. It also
regenerates the trace from its header (in memory) to report re-draws and conflicts and to confirm that this
sheetsim reproduces the file byte for byte.`,
  options: {
    json: { type: 'boolean', description: 'Print the summary as JSON.', defaultText: 'off' },
    regenerate: { type: 'boolean', description: 'Regenerate from the header to check reproduction (--no-regenerate to skip).', defaultText: 'on' },
  },
  examples: ['sheetsim inspect traces/zeues-seed42-w40-d300s-s2000-c0.05.jsonl', 'sheetsim inspect --json a.jsonl | jq .choices', 'sheetsim inspect --no-regenerate big.jsonl'],
  async run(ctx) {
    if (ctx.positionals.length !== 1) throw new UsageError(`inspect takes one trace FILE, got ${ctx.positionals.length} (see 'sheetsim inspect --help')`);
    const file = ctx.positionals[0]!;
    let summary: TraceSummary;
    try {
      summary = await summarizeTrace(resolve(ctx.cwd, file), boolOpt(ctx, 'regenerate', true));
    } catch (err) {
      if (err instanceof TraceError) throw new InputError(err.message.replace(resolve(ctx.cwd, file), file));
      throw err;
    }
    summary.file = file;
    ctx.stdout.write(boolOpt(ctx, 'json') ? JSON.stringify(summary, null, 2) + '\n' : render(summary));
    return 0;
  },
};
