import { createHash, type Hash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { eventLine, footerLine, headerLine } from './lines.ts';
import type { TraceEvent, TraceHeader } from './types.ts';

/** What a finished trace file is. */
export interface WrittenTrace {
  path: string;
  sha256: string;
  events: number;
}

// Lines are batched into chunks of about this size: each chunk is encoded to UTF-8 once, then hashed and written as
// that one Buffer, so a million-event trace costs a few hundred large writes instead of a million small ones.
const CHUNK_CHARS = 1 << 16;

/**
 * Streaming trace writer. Writes `<path>.tmp-<pid>` and renames it on close, so a crash never leaves a half trace
 * under a valid name; hashes as it goes; refuses events out of (t, seq) order.
 */
export class TraceWriter {
  private readonly hash: Hash = createHash('sha256');
  private buffer = '';
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
    const stream = createWriteStream(tmpPath, { encoding: 'utf8' });
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
    const writer = new TraceWriter(path, tmpPath, stream);
    writer.buffer = headerLine(header) + '\n';
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
    this.buffer += eventLine(event) + '\n';
    return this.buffer.length >= CHUNK_CHARS ? this.flush() : undefined;
  }

  private async flush(): Promise<void> {
    if (this.buffer === '') return;
    const chunk = Buffer.from(this.buffer, 'utf8');
    this.buffer = '';
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
