import { resolve } from 'node:path';
import { type Command, InputError, UsageError, boolOpt, intOpt, numberOpt, stringOpt } from '../command.ts';
import { type ImportResult, importTrace } from '../../import/import-trace.ts';
import { MAPPED_EVENT_TYPES } from '../../import/plan.ts';
import type { MetadataSource } from '../../import/source.ts';
import { DEFAULT_TIME_ZONE } from '../../import/wall-time.ts';
import { formatDurationMs, requestMixLine } from '../../workload/mix-text.ts';

function render(r: ImportResult, out: string): string {
  const rep = r.report;
  const imp = r.header.params.import!;
  const lines = [
    `trace: ${out}`,
    `sha256: ${r.sha256}`,
    `events: ${r.events} requests from ${rep.rows} Metadata rows (${r.header.params.workers} workers, ${formatDurationMs(r.header.params.durationMs)})`,
    `requests: ${requestMixLine(rep.scenarios)}`,
    `window: t = 0 is ${new Date(imp.originMs).toISOString()}${imp.scale !== 1 ? `, times x${imp.scale}` : ''}; ${rep.beforeWindow} requests before it (starting state only), ${rep.afterWindow} after it (left out)`,
    `world: ${rep.spools} spools, ${rep.unions} unions, ${rep.workers} workers; ${rep.occupiedAtStart} spools held at t = 0`,
    `source: ${imp.source} (sha256 ${imp.sha256.slice(0, 12)})`,
  ];
  const unmappedRows = rep.unmapped.reduce((s, u) => s + u.count, 0);
  if (rep.unmapped.length === 0) lines.push('unmapped: none');
  else {
    lines.push(`unmapped: ${unmappedRows}`);
    for (const u of rep.unmapped) lines.push(`  ${String(u.count).padStart(6)}  ${u.reason} (line${u.lines.length > 1 ? 's' : ''} ${u.lines.join(', ')}${u.count > u.lines.length ? ', …' : ''})`);
  }
  const failures = Object.entries(rep.predictedFailures);
  lines.push(failures.length === 0
    ? 'predicted: every request succeeds in the rebuilt world'
    : `predicted: ${failures.map(([s, n]) => `${n} x ${s}`).join(', ')} in the rebuilt world (first at line ${rep.firstPredictedFailureLine}): the export misses rows or disagrees with itself`);
  return lines.join('\n') + '\n';
}

/** `sheetsim import`: turn a production Metadata export into a trace (requests at their recorded times + world). */
export const importCommand: Command = {
  name: 'import',
  summary: 'Turn an export of a workbook\'s Metadata sheet (the audit log) into a trace that replays it.',
  usage: '[options] (FILE.csv | --sheets URL --spreadsheet-id ID --token T)',
  description: `
Every INICIAR and FINALIZAR the backend completed left rows in the Metadata sheet (timestamp, event type,
spool, worker, operation, unions). import rebuilds the request behind each one, at its recorded time, and the
world they need: the spools, unions and workers the rows touch, in the state they had when the window opened
(unions finished before it are done, spools taken before it and finished inside it start held). The trace
(profile 'import', docs/trace-format.md) carries that world in its header, so 'sheetsim run' replays it against
the embedded mock and backend like any other trace.

Event types mapped: ${MAPPED_EVENT_TYPES.join(', ')}. A FINALIZAR is one summary row (union_ids in
metadata_json) plus one row per union; union rows without a summary row are grouped by time, spool, worker and
operation. Anything else (other event types, unreadable timestamps, rows without spool or worker) is counted and
listed with its line numbers; the output also says how many requests the rebuilt world predicts to fail (a
FINALIZAR whose INICIAR row is missing, a union finished twice...).

Times: Metadata holds wall time of --time-zone to the second. Without --from, t = 0 is 08:00 (-03:00) of the
first event's day, as generated traces start (or the first event's minute, if earlier). --scale multiplies
every gap: 0.5 replays a day in half the time with twice the pressure on the quota.`,
  options: {
    sheets: { type: 'string', valueName: 'URL', description: 'Read Metadata from a Sheets API root (the mock\'s URL, or https://sheets.googleapis.com).' },
    'spreadsheet-id': { type: 'string', valueName: 'ID', description: 'Spreadsheet to read (with --sheets).' },
    token: { type: 'string', valueName: 'T', description: 'Bearer token for --sheets (the mock accepts any).' },
    sheet: { type: 'string', valueName: 'NAME', description: 'Tab to read.', defaultText: 'Metadata' },
    from: { type: 'string', valueName: 'TIME', description: "Window start, e.g. '02-03-2026 09:00:00' or 2026-03-02T09:00 (earlier rows only set the start state).", defaultText: 'first row' },
    to: { type: 'string', valueName: 'TIME', description: 'Window end (exclusive; later rows are left out).', defaultText: 'last row' },
    scale: { type: 'string', valueName: 'F', description: 'Multiply every time gap by F (0.5 = twice as fast).', defaultText: '1' },
    'time-zone': { type: 'string', valueName: 'TZ', description: 'Zone of the recorded wall times.', defaultText: DEFAULT_TIME_ZONE },
    seed: { type: 'string', valueName: 'N', description: 'Seed of the world\'s filler columns (NV, weights...).', defaultText: '0' },
    out: { type: 'string', short: 'o', valueName: 'FILE', description: 'Output trace.', defaultText: 'traces/import-<source>.jsonl' },
    json: { type: 'boolean', description: 'Print the import report as JSON.', defaultText: 'off' },
    strict: { type: 'boolean', description: 'Exit 1 when a row could not be mapped or a request is predicted to fail.', defaultText: 'off' },
  },
  examples: [
    'sheetsim import metadata.csv --out traces/monday.jsonl',
    "sheetsim import metadata.csv --from '02-03-2026 09:00:00' --to '02-03-2026 10:00:00' --scale 0.5",
    'sheetsim import --sheets http://127.0.0.1:8090 --spreadsheet-id zeues-seed-42 --token any --out again.jsonl',
    'sheetsim run --mode exact traces/monday.jsonl',
  ],
  async run(ctx) {
    const url = stringOpt(ctx, 'sheets');
    let source: MetadataSource;
    let stem: string;
    if (url !== undefined) {
      if (ctx.positionals.length > 0) throw new UsageError(`give either a CSV FILE or --sheets, not both (got '${ctx.positionals[0]}')`);
      const spreadsheetId = stringOpt(ctx, 'spreadsheet-id');
      const token = stringOpt(ctx, 'token');
      if (!spreadsheetId) throw new UsageError('--sheets needs --spreadsheet-id ID');
      if (!token) throw new UsageError('--sheets needs --token T (the bearer token the Sheets API expects; the mock accepts any)');
      if (!/^https?:\/\//.test(url)) throw new UsageError(`--sheets expects an http(s) URL, got '${url}'`);
      source = { kind: 'sheets', url, spreadsheetId, token, sheet: stringOpt(ctx, 'sheet', 'Metadata'), timeoutMs: 60_000 };
      stem = spreadsheetId;
    } else {
      if (ctx.positionals.length !== 1) throw new UsageError(`import takes one CSV FILE or --sheets URL, got ${ctx.positionals.length} arguments (see 'sheetsim import --help')`);
      const file = ctx.positionals[0]!;
      source = { kind: 'csv', path: resolve(ctx.cwd, file), display: file };
      stem = file.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
    }
    const scale = numberOpt(ctx, 'scale', 1, 1e-6, 1e6);
    if (!(scale > 0)) throw new UsageError(`--scale must be greater than 0, got ${scale}`);
    const out = stringOpt(ctx, 'out') ?? `traces/import-${stem}.jsonl`;
    let result: ImportResult;
    try {
      result = await importTrace({
        source,
        timeZone: stringOpt(ctx, 'time-zone', DEFAULT_TIME_ZONE),
        from: stringOpt(ctx, 'from') ?? null,
        to: stringOpt(ctx, 'to') ?? null,
        scale,
        seed: intOpt(ctx, 'seed', 0, 0),
        outPath: resolve(ctx.cwd, out),
      });
    } catch (err) {
      const msg = (err as Error).message;
      if (msg.startsWith('--')) throw new UsageError(msg);
      throw new InputError(msg);
    }
    ctx.stdout.write(boolOpt(ctx, 'json') ? JSON.stringify({ trace: out, sha256: result.sha256, ...result.report }, null, 2) + '\n' : render(result, out));
    const imperfect = result.report.unmapped.length > 0 || Object.keys(result.report.predictedFailures).length > 0;
    return boolOpt(ctx, 'strict') && imperfect ? 1 : 0;
  },
};
