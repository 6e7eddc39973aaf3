import { eventLine } from './lines.ts';
import type { TraceEvent } from './types.ts';

// Event lines encoded straight into UTF-8 bytes: no per-line strings, no per-field JSON.stringify, nothing for the
// garbage collector. The bytes are exactly those of `eventLine(e) + '\n'` (lines.ts stays the reference; the tests
// compare the two). Anything that is not plain ASCII data (escapes, other characters, non-finite numbers, toJSON,
// class instances, deep nesting) is rewound and written from JSON.stringify's own output instead of imitated.

const encoder = new TextEncoder();

// Past this depth a body goes to JSON.stringify, which also reports cycles with its usual TypeError.
const MAX_DEPTH = 32;

function ascii(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

// The fixed parts of an event line, in the order they are written.
const SEQ = ascii('{"seq":');
const T = ascii(',"t":');
const WORKER = ascii(',"worker":');
const OP = ascii(',"op":');
const SCENARIO = ascii(',"scenario":');
const METHOD = ascii(',"req":{"method":');
const PATH = ascii(',"path":');
const BODY = ascii(',"body":');
const STATUS = ascii('},"expect":{"status":');
const ACTION = ascii(',"action_taken":');
// Closes `expect` (or `req`) and the event.
const END = ascii('}}\n');

/** A growable byte buffer that trace lines are encoded into; the writer and the regenerator drain it in chunks. */
export class LineEncoder {
  private buf: Uint8Array;
  private pos = 0;

  constructor(capacity = 1 << 20) {
    this.buf = new Uint8Array(capacity);
  }

  /** Bytes encoded since the last reset. */
  get length(): number {
    return this.pos;
  }

  /** The encoded bytes as a Buffer over the encoder's memory (valid until the next write or reset). */
  view(): Buffer {
    return Buffer.from(this.buf.buffer, this.buf.byteOffset, this.pos);
  }

  /** Hand over the encoded bytes (a Buffer the encoder will not touch again) and start a fresh buffer. */
  take(): Buffer {
    const out = this.view();
    this.buf = new Uint8Array(this.buf.length);
    this.pos = 0;
    return out;
  }

  /** Forget the encoded bytes and reuse the memory (once they have been consumed, e.g. hashed). */
  reset(): void {
    this.pos = 0;
  }

  /** Append any text as UTF-8 (the header line, for instance). */
  text(s: string): void {
    this.ensure(s.length * 3);
    this.pos += encoder.encodeInto(s, this.buf.subarray(this.pos)).written;
  }

  /** Append one event line and its newline, byte-identical to `eventLine(e) + '\n'`. */
  event(e: TraceEvent): void {
    const start = this.pos;
    if (!this.tryEvent(e)) {
      this.pos = start;
      this.text(`${eventLine(e)}\n`);
    }
  }

  // False when a top-level field is not what the trace types say (eventLine then decides what gets written).
  private tryEvent(e: TraceEvent): boolean {
    const req = e.req;
    const x = e.expect;
    this.bytes(SEQ);
    if (!this.int(e.seq)) return false;
    this.bytes(T);
    if (!this.int(e.t)) return false;
    this.bytes(WORKER);
    if (!this.int(e.worker)) return false;
    this.bytes(OP);
    if (!this.field(e.op)) return false;
    this.bytes(SCENARIO);
    if (!this.field(e.scenario)) return false;
    this.bytes(METHOD);
    if (!this.field(req.method)) return false;
    this.bytes(PATH);
    if (!this.field(req.path)) return false;
    if (req.body !== undefined) {
      this.bytes(BODY);
      const at = this.pos;
      if (!this.value(req.body, 0)) {
        this.pos = at;
        this.text(JSON.stringify(req.body));
      }
    }
    if (x) {
      this.bytes(STATUS);
      if (!this.int(x.status)) return false;
      if (x.action_taken !== undefined) {
        this.bytes(ACTION);
        if (!this.field(x.action_taken)) return false;
      }
    }
    this.bytes(END);
    return true;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
    grown.set(this.buf.subarray(0, this.pos));
    this.buf = grown;
  }

  private byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  private bytes(b: Uint8Array): void {
    this.ensure(b.length);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < b.length; i++) buf[p++] = b[i]!;
    this.pos = p;
  }

  // A string field of the line; false when it is not a string (eventLine's fallback then writes the line).
  private field(s: unknown): boolean {
    if (typeof s !== 'string') return false;
    this.string(s);
    return true;
  }

  // A safe integer in decimal (the only numbers a generated trace holds); false for anything else.
  private int(n: unknown): boolean {
    if (typeof n !== 'number' || !Number.isSafeInteger(n)) return false;
    this.ensure(17);
    const buf = this.buf;
    let p = this.pos;
    let v = n;
    if (v < 0) {
      buf[p++] = 0x2d;
      v = -v;
    }
    if (v < 10) {
      buf[p++] = 0x30 + v;
      this.pos = p;
      return true;
    }
    // Digits are produced backwards, then reversed in place; 32-bit integer division while the value fits.
    const first = p;
    while (v > 0x7fffffff) {
      const q = Math.floor(v / 10);
      buf[p++] = 0x30 + (v - q * 10);
      v = q;
    }
    while (v > 0) {
      const q = (v / 10) | 0;
      buf[p++] = 0x30 + (v - q * 10);
      v = q;
    }
    for (let i = first, j = p - 1; i < j; i++, j--) {
      const tmp = buf[i]!;
      buf[i] = buf[j]!;
      buf[j] = tmp;
    }
    this.pos = p;
    return true;
  }

  // A JSON string: printable ASCII without `"` or `\` is copied as is; anything else takes JSON.stringify's quoting.
  private string(s: string): void {
    const n = s.length;
    this.ensure(n + 2);
    const buf = this.buf;
    const start = this.pos;
    let p = start;
    buf[p++] = 0x22;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) {
        this.pos = start;
        this.text(JSON.stringify(s));
        return;
      }
      buf[p++] = c;
    }
    buf[p++] = 0x22;
    this.pos = p;
  }

  // Plain JSON data as JSON.stringify writes it; false (the caller rewinds) for what only JSON.stringify should decide.
  private value(v: unknown, depth: number): boolean {
    switch (typeof v) {
      case 'string':
        this.string(v);
        return true;
      case 'number':
        if (this.int(v)) return true;
        // Number-to-string is JSON's algorithm for finite numbers; non-finite ones are JSON.stringify's business.
        if (!Number.isFinite(v)) return false;
        this.text(`${v}`);
        return true;
      case 'boolean':
        this.text(v ? 'true' : 'false');
        return true;
      case 'object': {
        if (v === null) {
          this.text('null');
          return true;
        }
        if (depth >= MAX_DEPTH) return false;
        if (Array.isArray(v)) return this.array(v, depth + 1);
        const proto = Object.getPrototypeOf(v) as unknown;
        if (proto !== Object.prototype && proto !== null) return false;
        return this.object(v as Record<string, unknown>, depth + 1);
      }
      default:
        return false;
    }
  }

  private array(a: readonly unknown[], depth: number): boolean {
    if (Object.getPrototypeOf(a) !== Array.prototype || 'toJSON' in a) return false;
    this.byte(0x5b);
    for (let i = 0; i < a.length; i++) {
      if (i > 0) this.byte(0x2c);
      const x = a[i];
      // Lists of strings (union ids) are the common case.
      if (typeof x === 'string') this.string(x);
      // JSON.stringify writes null for holes and for elements it cannot represent.
      else if (x === undefined || typeof x === 'function' || typeof x === 'symbol') this.text('null');
      else if (!this.value(x, depth)) return false;
    }
    this.byte(0x5d);
    return true;
  }

  private object(o: Record<string, unknown>, depth: number): boolean {
    if ('toJSON' in o) return false;
    this.byte(0x7b);
    // Object.keys has JSON.stringify's key order (integer keys first, then insertion order).
    const keys = Object.keys(o);
    let first = true;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const x = o[k];
      // JSON.stringify leaves out properties it cannot represent.
      if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
      if (!first) this.byte(0x2c);
      first = false;
      this.string(k);
      this.byte(0x3a);
      if (typeof x === 'string') this.string(x);
      else if (!this.value(x, depth)) return false;
    }
    this.byte(0x7d);
    return true;
  }
}
