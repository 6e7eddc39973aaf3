/** Buffered writer of events.jsonl: lines gather in memory up to a chunk, then go to the file stream. */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { EventRecord } from '../report/model.ts';

// Small: lines waiting here are live strings that every scavenge copies (its pause is lateness in a dense run), while
// the file stream holds what it was given as a Buffer outside the young generation. (It was 256 KB.)
const CHUNK = 32 * 1024;

export class EventsWriter {
  private stream: WriteStream;
  private buffer: string[] = [];
  private size = 0;
  count = 0;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path, { encoding: 'utf8' });
  }

  /** Append one event line. */
  write(record: EventRecord): void {
    this.writeLine(JSON.stringify(record));
  }

  /** Append one line already serialised (without its newline), e.g. by `eventLine`. */
  writeLine(json: string): void {
    const line = json + '\n';
    this.buffer.push(line);
    this.size += line.length;
    this.count += 1;
    if (this.size >= CHUNK) this.drain();
  }

  /** Append `n` lines given as one string, newline-separated, without the last newline (a replay thread's batch). */
  writeLines(lines: string, n: number): void {
    this.writeLine(lines);
    this.count += n - 1;
  }

  private drain(): void {
    if (this.buffer.length === 0) return;
    this.stream.write(this.buffer.join(''));
    this.buffer = [];
    this.size = 0;
  }

  /** Write what is buffered and close the file. */
  async close(): Promise<void> {
    this.drain();
    this.stream.end();
    await once(this.stream, 'close');
  }
}
