/** `sheetsim report DIR`: re-render a run's report files from report.json, re-evaluating the PERF gates. */
import { resolve } from 'node:path';
import { type Command, InputError, UsageError, boolOpt } from '../command.ts';
import { gateConfigFromFlags, GATE_OPTIONS } from '../gate-options.ts';
import { evaluateGates, gatesPass } from '../../report/gates.ts';
import { readEvents, readReport } from '../../report/read.ts';
import { renderSummary } from '../../report/terminal.ts';
import { writeReportFiles } from '../../report/write.ts';

export const reportCommand: Command = {
  name: 'report',
  summary: 'Re-render report.json, the CSV files and report.html of a run folder, re-evaluating the PERF gates.',
  usage: '[options] DIR',
  description: `
DIR is a folder written by 'sheetsim run' (report.json and events.jsonl). The gates are evaluated again with
the thresholds you give, report.json is rewritten with the new verdicts, metrics.csv, scenarios.csv,
timeline.csv and report.html are written again, and the summary is printed. events.jsonl is read (streamed)
to check it belongs to the report. Exit code 1 when a gate fails, 2 on bad input.`,
  options: {
    ...GATE_OPTIONS,
    color: { type: 'boolean', description: 'Colour the summary (--no-color to force plain text).', defaultText: 'on a terminal' },
  },
  examples: [
    'sheetsim report reports/20261126-203000-zeues-seed42-realtime',
    'sheetsim report --gates gates.json reports/latest',
    'sheetsim report --no-gates reports/latest',
  ],
  async run(ctx) {
    if (ctx.positionals.length !== 1) throw new UsageError(`expects one report folder, got ${ctx.positionals.length} arguments (see 'sheetsim report --help')`);
    const dir = resolve(ctx.cwd, ctx.positionals[0]!);
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
    report.gates = config ? evaluateGates(report, config) : [];
    await writeReportFiles(dir, report);
    ctx.stdout.write(renderSummary(report, { color: boolOpt(ctx, 'color', ctx.isTTY), reportDir: dir }));
    return gatesPass(report.gates) ? 0 : 1;
  },
};
