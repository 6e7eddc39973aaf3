/**
 * A dense synthetic trace for the replayer benches: `rate` GET /api/health events per second for `seconds`,
 * round-robin over `workers` virtual workers, written as a valid trace file (header, footer, sha256) so it can be
 * replayed through the CLI (`sheetsim run --trace FILE --target URL`) as a user would.
 */
import { defaultTraceOptions, traceHeader } from '../simulator/workload/profiles.ts';
import { TraceWriter } from '../simulator/trace/writer.ts';

/** Write the trace to `path`; resolves with the number of events. */
export async function writeDenseTrace(path: string, rate: number, seconds: number, workers: number, reqPath = '/api/health'): Promise<number> {
  const header = traceHeader({ ...defaultTraceOptions, profile: 'locust', workers, durationMs: seconds * 1000, conflicts: 0 });
  const w = await TraceWriter.open(path, header);
  const n = Math.round(rate * seconds);
  for (let i = 0; i < n; i++) {
    const p = w.write({ seq: i, t: Math.floor((i * 1000) / rate), worker: 1 + (i % workers), op: 'health', scenario: 'bench', req: { method: 'GET', path: reqPath } });
    if (p) await p;
  }
  await w.close();
  return n;
}
