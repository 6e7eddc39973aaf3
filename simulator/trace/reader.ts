import { createHash } from 'node:crypto';
import { ChunkedLines } from './chunked-lines.ts';
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

function parseLine(file: string, lineNo: number, text: string, terminated: boolean): unknown {
  if (text.trim() === '') throw new TraceError(file, lineNo, undefined, 'empty line (every line must be one JSON object)');
  try {
    return JSON.parse(text);
  } catch (err) {
    if (!terminated) throw new TraceError(file, lineNo, undefined, `truncated: the last line is cut short (no footer)`);
    throw new TraceError(file, lineNo, undefined, `not valid JSON (${(err as Error).message})`);
  }
}

/** Open a trace file, read and validate its header, and stream its events (`file` names it in errors). */
export async function readTrace(path: string, file: string = path): Promise<TraceReader> {
  // Everything before the footer line is hashed (header and event lines, with their newlines).
  const hash = createHash('sha256');
  const lines = new ChunkedLines(path, hash);
  let lineNo = 1;
  let first: string | undefined;
  try {
    first = (await lines.fill()) ? lines.next() : undefined;
  } catch (err) {
    await lines.close();
    throw new TraceError(file, undefined, undefined, `cannot read: ${(err as Error).message}`);
  }
  if (first === undefined) throw new TraceError(file, undefined, undefined, 'empty file (expected a sheetsim trace header)');
  let header: TraceHeader;
  try {
    header = validateHeader(parseLine(file, 1, first, lines.terminated), 1, file);
  } catch (err) {
    await lines.close();
    throw err;
  }

  let resolveFooter!: (f: TraceFooter) => void;
  let rejectFooter!: (e: unknown) => void;
  const footer = new Promise<TraceFooter>((resolve, reject) => {
    resolveFooter = resolve;
    rejectFooter = reject;
  });
  // Callers who only iterate get errors from the iterator; an unobserved footer promise must not crash the process.
  footer.catch(() => undefined);

  // The next line, reading a new chunk only when the current one is used up; undefined at the end of the file.
  async function nextLine(): Promise<string | undefined> {
    const line = lines.next();
    if (line !== undefined) return line;
    return (await lines.fill()) ? lines.next() : undefined;
  }

  async function* events(): AsyncGenerator<TraceEvent> {
    let count = 0;
    let lastSeq = -1;
    let lastT = 0;
    try {
      for (;;) {
        // Lines of the current chunk are taken synchronously; only a chunk boundary awaits.
        let text = lines.next();
        if (text === undefined) text = await nextLine();
        if (text === undefined) throw new TraceError(file, undefined, undefined, `truncated after line ${lineNo} (no footer)`);
        lineNo += 1;
        const obj = parseLine(file, lineNo, text, lines.terminated);
        if (isFooter(obj)) {
          lines.stopHashingBeforeLastLine();
          const f = validateFooter(obj, lineNo, file);
          if (f.events !== count) {
            throw new TraceError(file, lineNo, 'events', `footer says ${f.events} events, the file has ${count}`);
          }
          const actual = hash.digest('hex');
          if (f.sha256 !== actual) {
            throw new TraceError(file, lineNo, 'sha256', `footer sha256 ${f.sha256} does not match the content (${actual}): the file was edited or corrupted`);
          }
          if ((await nextLine()) !== undefined) throw new TraceError(file, lineNo + 1, undefined, 'content after the footer');
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
        count += 1;
        yield event;
      }
    } catch (err) {
      rejectFooter(err);
      throw err;
    } finally {
      await lines.close();
    }
  }

  return {
    header,
    events: events(),
    footer,
    async close() {
      await lines.close();
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

/** Read a whole trace once, validating every line and the footer, without keeping the events; the footer. */
export async function verifyTrace(path: string, file: string = path): Promise<TraceFooter> {
  const reader = await readTrace(path, file);
  for await (const _ of reader.events);
  return reader.footer;
}
