import { createHash } from 'node:crypto';
import { LineEncoder } from '../trace/line-encoder.ts';
import { headerLine } from '../trace/lines.ts';
import type { TraceHeader } from '../trace/types.ts';
import { TraceWriter } from '../trace/writer.ts';
import { type TraceOptions, profileEvents, traceHeader, validateTraceOptions } from './profiles.ts';
import { type GeneratorStats, emptyStats } from './scenarios.ts';

/** A written trace and what the generator did to make it. */
export interface GeneratedTrace {
  path: string;
  sha256: string;
  events: number;
  header: TraceHeader;
  stats: GeneratorStats;
  /** Requests per scenario label. */
  scenarios: Record<string, number>;
}

/** Generate a trace file at `outPath` (temp file, then rename); the replayer calls this too. */
export async function generateTrace(options: TraceOptions, outPath: string, signal?: AbortSignal): Promise<GeneratedTrace> {
  validateTraceOptions(options);
  const header = traceHeader(options);
  const stats = emptyStats();
  const scenarios: Record<string, number> = {};
  const writer = await TraceWriter.open(outPath, header);
  try {
    let n = 0;
    for (const event of profileEvents(header, stats)) {
      scenarios[event.scenario] = (scenarios[event.scenario] ?? 0) + 1;
      const pending = writer.write(event);
      if (pending) await pending;
      if ((++n & 0xffff) === 0 && signal?.aborted) throw new Error('interrupted');
    }
    const written = await writer.close();
    return { ...written, header, stats, scenarios };
  } catch (err) {
    await writer.abort();
    throw err;
  }
}

/** Regenerate a trace in memory from its header (no file): its sha256, event count and generator stats. */
export function regenerate(header: TraceHeader): { sha256: string; events: number; stats: GeneratorStats } {
  const stats = emptyStats();
  const hash = createHash('sha256');
  const lines = new LineEncoder();
  lines.text(`${headerLine(header)}\n`);
  let events = 0;
  for (const event of profileEvents(header, stats)) {
    lines.event(event);
    events += 1;
    // hash.update consumes the bytes at once, so the encoder's memory is reused for the next chunk.
    if (lines.length >= 1 << 20) {
      hash.update(lines.view());
      lines.reset();
    }
  }
  hash.update(lines.view());
  return { sha256: hash.digest('hex'), events, stats };
}
