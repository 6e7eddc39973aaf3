/**
 * A dense trace for the replayer benchmark: `rate` GET events per second for `seconds`, round-robin over `workers`,
 * written in the trace format (header, events, hashed footer) so `sheetsim run --trace` reads it as any trace.
 * Usage as a script: `npx tsx bench/dense-trace.ts OUT RATE SECONDS [WORKERS] [PATH]`.
 */
import { fileURLToPath } from 'node:url';
import { TraceWriter, type WrittenTrace } from '../simulator/trace/writer.ts';
import { TRACE_FORMAT, TRACE_VERSION, type TraceHeader } from '../simulator/trace/types.ts';

/** Write a dense trace: event i at floor(i * 1000 / rate) ms, worker 1 + i % workers, `GET path`. */
export async function writeDenseTrace(out: string, rate: number, seconds: number, workers = 256, path = '/'): Promise<WrittenTrace> {
  const header: TraceHeader = {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    seed: 1,
    profile: 'locust',
    params: { workers, durationMs: seconds * 1000, conflicts: 0, thinkMinMs: 0, thinkMaxMs: 0, startDate: '2026-01-05' },
    world: { seed: 1, spools: 1, workers, startDate: '2026-01-05' },
  };
  const writer = await TraceWriter.open(out, header);
  const n = Math.round(rate * seconds);
  for (let i = 0; i < n; i++) {
    const p = writer.write({ seq: i, t: Math.floor((i * 1000) / rate), worker: 1 + (i % workers), op: 'health', scenario: 'bench', req: { method: 'GET', path } });
    if (p) await p;
  }
  return writer.close();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [out, rate, seconds, workers, path] = process.argv.slice(2);
  if (!out || !rate || !seconds) {
    console.error('usage: tsx bench/dense-trace.ts OUT RATE SECONDS [WORKERS] [PATH]');
    process.exit(2);
  }
  const w = await writeDenseTrace(out, Number(rate), Number(seconds), workers ? Number(workers) : 256, path ?? '/');
  console.log(`${w.path}: ${w.events} events, sha256 ${w.sha256}`);
}
