/** `sheetsim report DIR`: re-evaluate a run's PERF gates and print its summary; `--out` writes a re-rendered copy. */
import { copyFile, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type Command, InputError, UsageError, boolOpt, stringOpt } from '../command.ts';
import { gateConfigFromFlags, GATE_OPTIONS } from '../gate-options.ts';
import { evaluateGates, gatesPass } from '../../report/gates.ts';
import { readEvents, readReport } from '../../report/read.ts';
import { renderSummary } from '../../report/terminal.ts';
import { writeReportFiles } from '../../report/write.ts';

export const reportCommand: Command = {
  name: 'report',
  summary: 'Re-evaluate the PERF gates of a run folder and print its summary; --out writes a re-rendered copy.',
  usage: '[options] DIR',
  description: `
DIR is a folder written by 'sheetsim run' (report.json and events.jsonl). The gates are evaluated again with
the thresholds you give and the summary is printed; events.jsonl is read (streamed) to check it belongs to the
report. DIR itself is never modified: its report.json is the record of the run (--reproduce and diff read it).
With --out OUT, OUT receives report.json with the new verdicts, metrics.csv, scenarios.csv, timeline.csv,
report.html and summary.md (rendered by this sheetsim, findings derived again) and a copy of events.jsonl: a complete report folder.
Exit code 1 when a gate fails, 2 on bad input.`,
  options: {
    ...GATE_OPTIONS,
    out: { type: 'string', valueName: 'OUT', description: 'Write the re-rendered report folder here (not DIR itself).', defaultText: 'write nothing' },
    color: { type: 'boolean', description: 'Colour the summary (--no-color to force plain text).', defaultText: 'on a terminal' },
  },
  examples: [
    'sheetsim report reports/20261126-203000-zeues-seed42-realtime',
    'sheetsim report --gates gates.json reports/latest',
    'sheetsim report --no-gates --out reports/latest-no-gates reports/latest',
  ],
  async run(ctx) {
    if (ctx.positionals.length !== 1) throw new UsageError(`expects one report folder, got ${ctx.positionals.length} arguments (see 'sheetsim report --help')`);
    const dir = resolve(ctx.cwd, ctx.positionals[0]!);
    const outArg = stringOpt(ctx, 'out');
    const outDir = outArg === undefined ? undefined : resolve(ctx.cwd, outArg);
    if (outDir === dir) throw new UsageError(`--out ${outArg} is the run folder itself; its report.json is the run's record and is not rewritten (choose another folder)`);
    const config = gateConfigFromFlags(ctx);
    const report = await readReport(dir);
    let events = 0;
    for await (const e of readEvents(dir)) {
      if (e.seq < 0 || (report.trace.events > 0 && e.seq >= report.trace.events)) {
        throw new InputError(`${dir}/events.jsonl has event seq ${e.seq}, outside the trace's ${report.trace.events} events`);
      }
      events++;
    }
    if (events !== report.totals.requests) {
      ctx.stderr.write(`sheetsim report: warning: events.jsonl has ${events} events, report.json counts ${report.totals.requests} requests\n`);
    }
    // An invalid run (target unreachable, too many connection errors) stays without a verdict.
    const invalid = report.run.validity !== undefined && !report.run.validity.valid;
    report.gates = config && !invalid ? evaluateGates(report, config) : [];
    if (outDir) {
      await mkdir(outDir, { recursive: true });
      await copyFile(join(dir, 'events.jsonl'), join(outDir, 'events.jsonl'));
      await writeReportFiles(outDir, report);
    }
    ctx.stdout.write(renderSummary(report, { color: boolOpt(ctx, 'color', ctx.isTTY), reportDir: outDir ?? dir }));
    if (outDir) ctx.stdout.write(`report: ${outDir}\n`);
    return !invalid && gatesPass(report.gates) ? 0 : 1;
  },
};
