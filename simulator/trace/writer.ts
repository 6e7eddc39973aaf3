import { createHash, type Hash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { LineEncoder } from './line-encoder.ts';
import { footerLine, headerLine } from './lines.ts';
import type { TraceEvent, TraceHeader } from './types.ts';

/** What a finished trace file is. */
export interface WrittenTrace {
  path: string;
  sha256: string;
  events: number;
}

// Lines are encoded into a buffer and drained in chunks of about this size: one hash update and one stream write per
// chunk, so a million-event trace costs a couple of hundred large writes instead of a million small ones.
const CHUNK_BYTES = 1 << 20;

/**
 * Streaming trace writer. Writes `<path>.tmp-<pid>` and renames it on close, so a crash never leaves a half trace
 * under a valid name; hashes as it goes; refuses events out of (t, seq) order.
 */
export class TraceWriter {
  private readonly hash: Hash = createHash('sha256');
  private readonly lines = new LineEncoder(CHUNK_BYTES + (1 << 16));
  private count = 0;
  private lastSeq = -1;
  private lastT = 0;
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly tmpPath: string,
    private readonly stream: WriteStream,
  ) {}

  /** Create the folder if needed, open the temp file and write the header. */
  static async open(path: string, header: TraceHeader): Promise<TraceWriter> {
    await mkdir(dirname(path), { recursive: true });
    const tmpPath = `${path}.tmp-${process.pid}`;
    // A few chunks may queue while the disk catches up, so generating the next chunk overlaps writing the last one.
    const stream = createWriteStream(tmpPath, { highWaterMark: 4 * CHUNK_BYTES });
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
    const writer = new TraceWriter(path, tmpPath, stream);
    writer.lines.text(`${headerLine(header)}\n`);
    return writer;
  }

  /**
   * Append one event. Returns a promise only when a chunk went to disk (await it: that is the backpressure);
   * most calls return nothing, which keeps a million-event trace free of a million awaits.
   */
  write(event: TraceEvent): Promise<void> | undefined {
    if (this.closed) throw new Error('trace writer is closed');
    if (!Number.isSafeInteger(event.seq) || event.seq <= this.lastSeq) {
      throw new Error(`event seq must increase: got ${event.seq} after ${this.lastSeq}`);
    }
    if (!Number.isSafeInteger(event.t) || event.t < this.lastT) {
      throw new Error(`event t must be a non-decreasing integer: got ${event.t} after ${this.lastT} (seq ${event.seq})`);
    }
    this.lastSeq = event.seq;
    this.lastT = event.t;
    this.count += 1;
    this.lines.event(event);
    return this.lines.length >= CHUNK_BYTES ? this.flush() : undefined;
  }

  private async flush(): Promise<void> {
    if (this.lines.length === 0) return;
    // The stream keeps the chunk until it is written, so the encoder moves on to fresh memory.
    const chunk = this.lines.take();
    this.hash.update(chunk);
    if (!this.stream.write(chunk)) {
      await new Promise<void>((resolve, reject) => {
        const onError = (err: Error) => reject(err);
        this.stream.once('error', onError);
        this.stream.once('drain', () => {
          this.stream.off('error', onError);
          resolve();
        });
      });
    }
  }

  /** Write the footer, close the file and move it to its final name. */
  async close(): Promise<WrittenTrace> {
    await this.flush();
    this.closed = true;
    const sha256 = this.hash.digest('hex');
    this.stream.write(footerLine({ end: true, events: this.count, sha256 }) + '\n');
    await new Promise<void>((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(() => resolve());
    });
    await rename(this.tmpPath, this.path);
    return { path: this.path, sha256, events: this.count };
  }

  /** Give up: close and delete the temp file (the final name is never touched). */
  async abort(): Promise<void> {
    this.closed = true;
    if (!this.stream.closed) {
      await new Promise<void>((resolve) => {
        this.stream.once('close', () => resolve());
        this.stream.destroy();
      });
    }
    await unlink(this.tmpPath).catch(() => undefined);
  }
}
