/** `sheetsim merge`: combine shard reports of one trace into one report folder. */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Command, UsageError, boolOpt, stringOpt } from '../command.ts';
import { GATE_OPTIONS, gateConfigFromFlags } from '../gate-options.ts';
import { evaluateGates, gatesPass } from '../../report/gates.ts';
import { renderSummary } from '../../report/terminal.ts';
import { writeReportFiles } from '../../report/write.ts';
import { mergeReports } from '../../report/merge.ts';
import { EventsWriter } from '../../replay/events-writer.ts';

export const mergeCommand: Command = {
  name: 'merge',
  summary: 'Combine the reports of the shards of one run (--shard i/n) into one report.',
  usage: '[options] DIR... --out DIR',
  description: `
Each DIR is a report folder written by 'sheetsim run --shard i/n' for the same trace. Per-event statistics
(histograms, statuses, errors, Sheets calls per event) are rebuilt from every shard's events.jsonl, so the
merged percentiles are exact; Sheets rates (sliding 60 s peaks, bursts, 429s) are recomputed on the shards'
per-second timelines added second by second. Shards of one run should share one mock (--sheets URL) so the
quota is global, as it is at Google. The merged folder gets report.json, events.jsonl (the shards' events in
shard order), the CSV files and report.html; gates are evaluated on the merged report.
Exit codes: 0 ok, 1 a PERF gate failed (unless --warn-only), 2 bad usage or input (different traces, a shard
given twice).`,
  options: {
    out: { type: 'string', valueName: 'DIR', description: 'Folder for the merged report (required).' },
    ...GATE_OPTIONS,
    'warn-only': { type: 'boolean', description: 'Report failed gates but exit 0.' },
  },
  examples: [
    'sheetsim merge reports/shard-0 reports/shard-1 --out reports/merged',
    'sheetsim merge shards/*/ --out reports/nightly --warn-only',
  ],
  async run(ctx) {
    if (ctx.positionals.length === 0) throw new UsageError("expects one or more report folders (see 'sheetsim merge --help')");
    const out = stringOpt(ctx, 'out');
    if (!out) throw new UsageError('--out DIR is required (where the merged report goes)');
    const gates = gateConfigFromFlags(ctx);
    const dir = resolve(ctx.cwd, out);
    // A folder this command creates is removed again when the inputs turn out unusable: no empty report left.
    const created = !existsSync(dir);
    mkdirSync(dir, { recursive: true });
    const writer = new EventsWriter(resolve(dir, 'events.jsonl'));
    let report;
    try {
      report = await mergeReports(
        ctx.positionals.map((p) => ({ name: p, dir: resolve(ctx.cwd, p) })),
        (e) => writer.write(e),
      );
    } catch (err) {
      await writer.close().catch(() => undefined);
      if (created) rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    await writer.close();
    // A shard that broke leaves the merged run without a verdict.
    const invalid = report.run.validity !== undefined && !report.run.validity.valid;
    if (gates && !invalid) report.gates = evaluateGates(report, gates);
    await writeReportFiles(dir, report);
    ctx.stdout.write(renderSummary(report, { color: ctx.isTTY, reportDir: dir }));
    ctx.stdout.write(`report: ${dir}\n`);
    if (invalid) return 1;
    return gatesPass(report.gates) || boolOpt(ctx, 'warn-only') ? 0 : 1;
  },
};
