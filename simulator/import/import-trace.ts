/** `sheetsim import` end to end: read the export, plan the trace, write it (temp file, then rename). */
import { TraceWriter } from '../trace/writer.ts';
import type { TraceHeader } from '../trace/types.ts';
import { metadataRows } from './metadata-table.ts';
import { type ImportReport, planImport } from './plan.ts';
import { type MetadataSource, readMetadataSource } from './source.ts';
import { WallClock } from './wall-time.ts';

export interface ImportRequest {
  source: MetadataSource;
  timeZone: string;
  /** Window bounds as given (parsed in `timeZone`), or null. */
  from: string | null;
  to: string | null;
  scale: number;
  seed: number;
  outPath: string;
}

export interface ImportResult {
  path: string;
  sha256: string;
  events: number;
  header: TraceHeader;
  report: ImportReport;
}

/** Import a Metadata export into a trace file. */
export async function importTrace(req: ImportRequest): Promise<ImportResult> {
  const clock = new WallClock(req.timeZone);
  const bound = (flag: string, v: string | null): number | null => {
    if (v === null) return null;
    const ms = clock.parse(v);
    if (ms === null) throw new Error(`--${flag} expects a time such as '02-03-2026 09:00:00' or 2026-03-02T09:00, got '${v}'`);
    return ms;
  };
  const fromMs = bound('from', req.from);
  const toMs = bound('to', req.to);
  if (fromMs !== null && toMs !== null && toMs <= fromMs) throw new Error(`--to (${req.to}) must be after --from (${req.from})`);
  const src = await readMetadataSource(req.source);
  const { rows } = metadataRows(src.records);
  const plan = planImport(rows, { clock, fromMs, toMs, scale: req.scale, source: src.name, sha256: src.sha256, seed: req.seed });
  const writer = await TraceWriter.open(req.outPath, plan.header);
  try {
    for (const e of plan.events) {
      const pending = writer.write(e);
      if (pending) await pending;
    }
    const written = await writer.close();
    return { path: written.path, sha256: written.sha256, events: written.events, header: plan.header, report: plan.report };
  } catch (err) {
    await writer.abort();
    throw err;
  }
}
