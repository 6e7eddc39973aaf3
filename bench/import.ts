// `sheetsim import` speed: a 10,000-row Metadata CSV (as the reference backend writes it for a generated trace)
// into a trace. Prints figures; asserts nothing (see bench/README.md).
// Run: npx tsx bench/import.ts [--rows N] [--keep FILE.csv]  (--keep also writes the CSV, e.g. to time the CLI on it)
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatDate, formatTimestamp } from '../backend/time-format.ts';
import { importTrace } from '../simulator/import/import-trace.ts';
import { traceEpochMs } from '../simulator/replay/orchestrate.ts';
import { traceHeader, defaultTraceOptions, profileEvents } from '../simulator/workload/profiles.ts';
import { emptyStats } from '../simulator/workload/scenarios.ts';
import { generateWorld } from '../simulator/workload/world.ts';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '10000' }, keep: { type: 'string' } } });
const wanted = Number(values.rows);
const header = traceHeader({ ...defaultTraceOptions, conflicts: 0, workers: 40, durationMs: 8 * 3_600_000 });
const world = generateWorld(header.world);
const surname = new Map(world.workers.map((w) => [w.id, w.token]));
const epoch = traceEpochMs(header);
const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const lines = ['id,timestamp,evento_tipo,tag_spool,worker_id,worker_nombre,operacion,accion,fecha_operacion,metadata_json,N_UNION'];
let id = 0;
const row = (at: number, ev: string, tag: string, wid: number, who: string, op: string, accion: string, json: unknown, n: number | '') =>
  lines.push([`m${++id}`, formatTimestamp(at), ev, tag, String(wid), who, op, accion, formatDate(at), JSON.stringify(json), String(n)].map(cell).join(','));
for (const e of profileEvents(header, emptyStats(), world)) {
  if (lines.length - 1 >= wanted) break;
  const b = e.req.body as { tag_spool: string; worker_id: number; worker_nombre?: string; operacion: string; selected_unions?: string[] };
  const at = epoch + e.t;
  if (e.op === 'iniciar') row(at, 'TOMAR_SPOOL', b.tag_spool, b.worker_id, b.worker_nombre!, b.operacion, 'TOMAR', { v4_operation: 'INICIAR' }, '');
  else if (e.op === 'finalizar' && b.selected_unions!.length === 0) row(at, 'SPOOL_CANCELADO', b.tag_spool, b.worker_id, surname.get(b.worker_id)!, b.operacion, 'CANCELAR', { reason: 'zero_unions_selected' }, '');
  else if (e.op === 'finalizar') {
    const ev = b.operacion === 'ARM' ? 'UNION_ARM_REGISTRADA' : 'UNION_SOLD_REGISTRADA';
    row(at, ev, b.tag_spool, b.worker_id, surname.get(b.worker_id)!, b.operacion, 'COMPLETAR', { union_count: b.selected_unions!.length, union_ids: b.selected_unions }, '');
    for (const u of b.selected_unions!) row(at, ev, b.tag_spool, b.worker_id, surname.get(b.worker_id)!, b.operacion, 'COMPLETAR', { union_id: u }, Number(u.split('+')[1]));
  }
}
lines.length = Math.min(lines.length, wanted + 1);
if (values.keep) await writeFile(values.keep, lines.join('\n') + '\n');
const dir = await mkdtemp(join(tmpdir(), 'sheetsim-bench-import-'));
try {
  const csv = join(dir, 'metadata.csv');
  await writeFile(csv, lines.join('\n') + '\n');
  const rows = lines.length - 1;
  for (let run = 1; run <= 3; run++) {
    const t0 = performance.now();
    const res = await importTrace({ source: { kind: 'csv', path: csv, display: 'metadata.csv' }, timeZone: 'America/Santiago', from: null, to: null, scale: 1, seed: 0, outPath: join(dir, `out-${run}.jsonl`) });
    const ms = performance.now() - t0;
    process.stdout.write(`run ${run}: ${rows} rows → ${res.events} requests, ${res.report.spools} spools, ${res.report.unions} unions, ${res.report.workers} workers in ${ms.toFixed(0)} ms` +
      ` (unmapped ${res.report.unmapped.length}, predicted failures ${JSON.stringify(res.report.predictedFailures)})\n`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
