import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { TraceError } from './error.ts';
import type { TraceEvent, TraceFooter, TraceHeader } from './types.ts';
import { isFooter, validateEvent, validateFooter, validateHeader } from './validate.ts';

/** An open trace: the validated header, then events as they stream, then the checked footer. */
export interface TraceReader {
  header: TraceHeader;
  /** Each event validated and in order; throws a TraceError on the first bad line, count or hash mismatch or truncation. */
  events: AsyncIterable<TraceEvent>;
  /** Resolves once `events` has been read to the end and the footer checked; rejects with the same error otherwise. */
  footer: Promise<TraceFooter>;
  /** Stop reading early and release the file. */
  close(): Promise<void>;
}

interface RawLine {
  text: string;
  /** The line's bytes including its newline (the newline is absent only for an unterminated last line). */
  bytes: Buffer;
  terminated: boolean;
}

// Manual splitting on Buffers (not readline): the bytes hashed are exactly the bytes in the file, and it is faster.
async function* splitLines(path: string): AsyncGenerator<RawLine> {
  let rest: Buffer | undefined;
  for await (const data of createReadStream(path, { highWaterMark: 1 << 18 })) {
    const chunk: Buffer = rest ? Buffer.concat([rest, data as Buffer]) : (data as Buffer);
    let start = 0;
    let nl = chunk.indexOf(10, start);
    while (nl !== -1) {
      yield { text: chunk.toString('utf8', start, nl), bytes: chunk.subarray(start, nl + 1), terminated: true };
      start = nl + 1;
      nl = chunk.indexOf(10, start);
    }
    rest = start < chunk.length ? chunk.subarray(start) : undefined;
  }
  if (rest && rest.length > 0) yield { text: rest.toString('utf8'), bytes: rest, terminated: false };
}

function parseLine(file: string, lineNo: number, raw: RawLine): unknown {
  if (raw.text.trim() === '') throw new TraceError(file, lineNo, undefined, 'empty line (every line must be one JSON object)');
  try {
    return JSON.parse(raw.text);
  } catch (err) {
    if (!raw.terminated) throw new TraceError(file, lineNo, undefined, `truncated: the last line is cut short (no footer)`);
    throw new TraceError(file, lineNo, undefined, `not valid JSON (${(err as Error).message})`);
  }
}

/** Open a trace file, read and validate its header, and stream its events (`file` names it in errors). */
export async function readTrace(path: string, file: string = path): Promise<TraceReader> {
  const lines = splitLines(path);
  const hash = createHash('sha256');
  let lineNo = 1;
  let first: IteratorResult<RawLine>;
  try {
    first = await lines.next();
  } catch (err) {
    throw new TraceError(file, undefined, undefined, `cannot read: ${(err as Error).message}`);
  }
  if (first.done) throw new TraceError(file, undefined, undefined, 'empty file (expected a sheetsim trace header)');
  const header = validateHeader(parseLine(file, 1, first.value), 1, file);
  hash.update(first.value.bytes);

  let resolveFooter!: (f: TraceFooter) => void;
  let rejectFooter!: (e: unknown) => void;
  const footer = new Promise<TraceFooter>((resolve, reject) => {
    resolveFooter = resolve;
    rejectFooter = reject;
  });
  // Callers who only iterate get errors from the iterator; an unobserved footer promise must not crash the process.
  footer.catch(() => undefined);

  async function* events(): AsyncGenerator<TraceEvent> {
    let count = 0;
    let lastSeq = -1;
    let lastT = 0;
    try {
      for (;;) {
        const next = await lines.next();
        if (next.done) throw new TraceError(file, undefined, undefined, `truncated after line ${lineNo} (no footer)`);
        lineNo += 1;
        const obj = parseLine(file, lineNo, next.value);
        if (isFooter(obj)) {
          const f = validateFooter(obj, lineNo, file);
          if (f.events !== count) {
            throw new TraceError(file, lineNo, 'events', `footer says ${f.events} events, the file has ${count}`);
          }
          const actual = hash.digest('hex');
          if (f.sha256 !== actual) {
            throw new TraceError(file, lineNo, 'sha256', `footer sha256 ${f.sha256} does not match the content (${actual}): the file was edited or corrupted`);
          }
          const after = await lines.next();
          if (!after.done) throw new TraceError(file, lineNo + 1, undefined, 'content after the footer');
          resolveFooter(f);
          return;
        }
        const event = validateEvent(obj, lineNo, file);
        if (event.seq <= lastSeq) {
          throw new TraceError(file, lineNo, 'seq', `must increase: ${event.seq} after ${lastSeq}`);
        }
        if (event.t < lastT) {
          throw new TraceError(file, lineNo, 't', `goes backwards: ${event.t} after ${lastT}`);
        }
        lastSeq = event.seq;
        lastT = event.t;
        hash.update(next.value.bytes);
        count += 1;
        yield event;
      }
    } catch (err) {
      rejectFooter(err);
      throw err;
    } finally {
      await lines.return(undefined);
    }
  }

  return {
    header,
    events: events(),
    footer,
    async close() {
      await lines.return(undefined);
    },
  };
}

/** Read a whole (small) trace into memory, validated: for tests and tools that need random access. */
export async function collectTrace(path: string, file: string = path): Promise<{ header: TraceHeader; events: TraceEvent[]; footer: TraceFooter }> {
  const reader = await readTrace(path, file);
  const events: TraceEvent[] = [];
  for await (const e of reader.events) events.push(e);
  return { header: reader.header, events, footer: await reader.footer };
}
