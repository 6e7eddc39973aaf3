import type { Hash } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';

// A trace is read in large chunks: each chunk's complete lines are decoded once and handed out synchronously, and
// its bytes are hashed in one update. Per-line async iteration, per-line decoding and per-line hashing were most of
// the reader's cost besides JSON.parse. Splitting at newline bytes keeps every multi-byte character inside its chunk.

const CHUNK_BYTES = 1 << 20;
const EMPTY = Buffer.alloc(0);

/** The lines of a file, read in big chunks; the bytes of the lines read so far are hashed until told to stop. */
export class ChunkedLines {
  private readonly stream: ReadStream;
  private readonly chunks: AsyncIterator<Buffer>;
  /** The current chunk's complete lines with their newlines (or the file's unterminated end). */
  private bytes: Buffer = EMPTY;
  private text = '';
  /** Char offset of the next line in `text`. */
  private pos = 0;
  /** Lines handed out from the current chunk, and the char offset where the last one starts. */
  private linesInChunk = 0;
  private lastStart = 0;
  private rest: Buffer | undefined;
  private ended = false;
  private hashing = true;
  /** False when the last line returned is the file's end without a newline. */
  terminated = true;

  constructor(path: string, private readonly hash: Hash) {
    this.stream = createReadStream(path, { highWaterMark: CHUNK_BYTES });
    this.chunks = this.stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  /** The next line of the current chunk (without its newline), or undefined when `fill()` must be awaited first. */
  next(): string | undefined {
    const text = this.text;
    if (this.pos > text.length) return undefined;
    let end = text.indexOf('\n', this.pos);
    if (end === -1) end = text.length;
    this.lastStart = this.pos;
    this.linesInChunk += 1;
    const line = text.slice(this.pos, end);
    this.pos = end + 1;
    return line;
  }

  /** Read the next chunk holding at least one line; false at the end of the file. */
  async fill(): Promise<boolean> {
    if (this.hashing && this.bytes.length > 0) this.hash.update(this.bytes);
    this.bytes = EMPTY;
    this.text = '';
    this.pos = 1;
    this.linesInChunk = 0;
    while (!this.ended) {
      const r = await this.chunks.next();
      if (r.done) {
        this.ended = true;
        break;
      }
      const chunk = this.rest ? Buffer.concat([this.rest, r.value]) : r.value;
      const lastNl = chunk.lastIndexOf(10);
      if (lastNl === -1) {
        this.rest = chunk;
        continue;
      }
      this.rest = lastNl + 1 < chunk.length ? chunk.subarray(lastNl + 1) : undefined;
      this.load(chunk.subarray(0, lastNl + 1), true);
      return true;
    }
    const rest = this.rest;
    this.rest = undefined;
    if (rest && rest.length > 0) {
      this.load(rest, false);
      return true;
    }
    return false;
  }

  // Make `bytes` the current chunk; a terminated chunk ends in a newline, which `text` leaves out.
  private load(bytes: Buffer, terminated: boolean): void {
    this.bytes = bytes;
    this.text = bytes.toString('utf8', 0, terminated ? bytes.length - 1 : bytes.length);
    this.pos = 0;
    this.terminated = terminated;
  }

  /** Hash the bytes before the line last returned, and nothing after it (that line is the footer). */
  stopHashingBeforeLastLine(): void {
    if (!this.hashing) return;
    this.hashing = false;
    // Byte offset of the line's start: after the (linesInChunk - 1)-th newline of the chunk (exact for any bytes).
    let start = 0;
    for (let k = 1; k < this.linesInChunk; k++) start = this.bytes.indexOf(10, start) + 1;
    if (start > 0) this.hash.update(this.bytes.subarray(0, start));
  }

  /** Stop reading and release the file. */
  async close(): Promise<void> {
    this.ended = true;
    if (!this.stream.destroyed) {
      await new Promise<void>((resolve) => {
        this.stream.once('close', () => resolve());
        this.stream.destroy();
      });
    }
  }
}
