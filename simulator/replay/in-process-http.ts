/**
 * One HTTP exchange with a Fastify app in this process, with no socket: the request goes to the app's own request
 * listener (`app.routing`, what its HTTP server calls) as a minimal request stream and response object, so every
 * route, hook, body parser and error handler runs as it does for a request over HTTP. Exact mode's embedded target
 * sends the replayer's requests to the backend and the backend's Sheets calls to the mock this way.
 *
 * Fastify's `inject` (light-my-request) does the same with a full `http.ServerResponse` and a validated, URL-parsed
 * request: ~50 µs more per exchange, on the run's critical path (the default trace makes ~3,300: bench/README.md,
 * "exact mode speed", round 7). Unlike `inject`, the URL reaches the app as sent (a server sees
 * the raw request line, not a re-serialized URL), no `user-agent` is made up, and a connection the app destroys
 * (the mock's dropped-connection fault) fails the exchange with ECONNRESET, as a socket would.
 */
import type { FastifyInstance } from 'fastify';
import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';

export interface InProcessRequest {
  method: string;
  /** Path and query string, as on the request line. */
  url: string;
  /** Header names in lower case. */
  headers: Record<string, string | string[]>;
  body?: string | Buffer;
}

export interface InProcessResponse {
  statusCode: number;
  /** Header names in lower case, as the app set them. */
  headers: Record<string, string | string[] | number>;
  body: Buffer;
}

/** What a socket gives its request's readers: the peer's address; `destroy` is the app dropping the connection. */
class LocalSocket extends EventEmitter {
  readonly remoteAddress = '127.0.0.1';
  readonly remotePort = 0;
  readonly encrypted = false;
  destroyed = false;

  constructor(private readonly onDestroy: () => void) {
    super();
  }

  destroy(): this {
    if (!this.destroyed) {
      this.destroyed = true;
      this.onDestroy();
    }
    return this;
  }
}

/** The request as an IncomingMessage shows it: method, raw URL, headers, and the body as a stream. */
class LocalRequest extends Readable {
  readonly httpVersion = '1.1';
  readonly httpVersionMajor = 1;
  readonly httpVersionMinor = 1;
  readonly aborted = false;

  constructor(
    readonly method: string,
    readonly url: string,
    readonly headers: Record<string, string | string[]>,
    private body: Buffer | null,
    readonly socket: LocalSocket,
  ) {
    super();
  }

  override _read(): void {
    if (this.body !== null && this.body.length > 0) this.push(this.body);
    this.body = null;
    this.push(null);
  }
}

/** The part of `http.ServerResponse` Fastify writes through: headers, status, the body, `finish`. */
class LocalResponse extends EventEmitter {
  statusCode = 200;
  headersSent = false;
  writableEnded = false;
  destroyed = false;
  private readonly head: Record<string, string | string[] | number> = {};
  private readonly chunks: Buffer[] = [];

  constructor(
    readonly socket: LocalSocket,
    private readonly settle: (res: InProcessResponse) => void,
  ) {
    super();
  }

  setHeader(name: string, value: string | string[] | number): this {
    this.head[name.toLowerCase()] = value;
    return this;
  }

  getHeader(name: string): string | string[] | number | undefined {
    return this.head[name.toLowerCase()];
  }

  getHeaders(): Record<string, string | string[] | number> {
    return { ...this.head };
  }

  hasHeader(name: string): boolean {
    return Object.hasOwn(this.head, name.toLowerCase());
  }

  removeHeader(name: string): void {
    delete this.head[name.toLowerCase()];
  }

  writeHead(statusCode: number, headers?: Record<string, string | string[] | number | undefined>): this {
    this.statusCode = statusCode;
    if (headers) for (const name of Object.keys(headers)) if (headers[name] !== undefined) this.head[name.toLowerCase()] = headers[name]!;
    this.headersSent = true;
    return this;
  }

  write(chunk: string | Buffer | Uint8Array): boolean {
    this.headersSent = true;
    if (chunk.length > 0) this.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    return true;
  }

  end(chunk?: string | Buffer | Uint8Array | null): this {
    if (this.writableEnded) return this;
    if (chunk != null) this.write(chunk);
    this.headersSent = true;
    this.writableEnded = true;
    const body = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    this.settle({ statusCode: this.statusCode, headers: this.head, body });
    this.emit('finish');
    this.emit('close');
    return this;
  }

  destroy(): this {
    this.destroyed = true;
    this.socket.destroy();
    return this;
  }
}

// Apps known to be ready: their routes are in place, so a request can go straight to the listener.
const readyApps = new WeakSet<FastifyInstance>();

/** Send one request to `app` and resolve with its whole answer; rejects (code ECONNRESET) if the app drops it. */
export async function sendInProcess(app: FastifyInstance, req: InProcessRequest): Promise<InProcessResponse> {
  if (!readyApps.has(app)) {
    await app.ready();
    readyApps.add(app);
  }
  return new Promise((resolve, reject) => {
    let settled = false;
    const socket = new LocalSocket(() => {
      if (settled) return;
      settled = true;
      reject(Object.assign(new Error('socket hang up: the app destroyed the connection'), { code: 'ECONNRESET' }));
    });
    const res = new LocalResponse(socket, (answer) => {
      if (settled) return;
      settled = true;
      resolve(answer);
    });
    const body = req.body === undefined ? null : typeof req.body === 'string' ? Buffer.from(req.body) : req.body;
    const headers = body === null ? req.headers : { ...req.headers, 'content-length': String(body.length) };
    app.routing(new LocalRequest(req.method, req.url, headers, body, socket) as never, res as never);
  });
}
