/**
 * The HTTP driver: one undici Pool per target, requests that never throw, transport errors classified.
 * Requests go through `pool.dispatch` with a small handler rather than `pool.request`: no body stream, no
 * promise chain per chunk, the body kept as the Buffer chunks it arrived in and decoded once. At thousands of
 * requests per second that stream machinery was a large share of the replayer's CPU and garbage.
 */
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Client, Dispatcher, buildConnector } from 'undici';
import type { TraceRequest } from '../trace/types.ts';
import { isKeepAliveClose, markSocketOpened, watchKeepAlive } from './keepalive-watch.ts';
import { undici } from './lazy-undici.ts';

import type { TransportError } from '../outcome/outcome.ts';

// Defined next to EventOutcome (simulator/outcome/), which metrics/ reads without importing replay/.
export type { TransportError };

/**
 * How long the driver keeps an idle socket: under the 5 s after which uvicorn (and Node's http server) close idle
 * keep-alive connections, so the client, not the server, ends an idle connection and no request races the close.
 */
export const IDLE_SOCKET_MS = 4000;

export interface HttpResult {
  /** HTTP status, or null on a transport error. */
  status: number | null;
  error: TransportError | null;
  /** Response body as text ('' on error). */
  text: string;
  /** Parsed JSON body, or undefined when the body was not JSON. */
  json: unknown;
  /** The backend's `x-sheetsim-wait-ms` (simulated ms it spent waiting: backoff, Retry-After), when it sent one. */
  waitMs?: number;
  /**
   * The backend's `x-sheetsim-sheets-ms` (summed modelled latency of the request's Sheets calls), when it sent one:
   * lets exact mode schedule an event without reading the call log first (docs/time-model.md).
   */
  sheetsMs?: number;
}

/** Header a sim-clock backend answers with: the summed modelled latency (ms) of the request's Sheets calls. */
export const SHEETS_MS_HEADER = 'x-sheetsim-sheets-ms';

/** A non-negative number of ms from a response header, else undefined. */
function headerMs(raw: string | string[] | undefined): number | undefined {
  if (raw === undefined || Array.isArray(raw)) return undefined;
  const n = Number(raw);
  return raw.trim() !== '' && Number.isFinite(n) && n >= 0 ? n : undefined;
}

export interface DriverOptions {
  /** Origin of the backend, e.g. http://127.0.0.1:3000. */
  url: string;
  /** Pool size; one per concurrent worker so a worker never waits for a socket. */
  connections: number;
  /** Headers and body timeout (ms). */
  timeoutMs: number;
}

export interface HttpDriver {
  send(req: TraceRequest, headers: Record<string, string>): Promise<HttpResult>;
  /**
   * Open up to `n` sockets before the run so the first burst does not pay for TCP handshakes; resolves with the
   * number opened (failures are left to the requests, which classify them).
   */
  preconnect?(n: number): Promise<number>;
  close(): Promise<void>;
}

/** Map an undici/Node error to the error types reports count. */
export function classifyError(err: unknown): TransportError {
  const e = err as { code?: string; cause?: { code?: string }; name?: string };
  const code = e?.code ?? e?.cause?.code ?? '';
  if (code === 'ECONNREFUSED') return 'ECONNREFUSED';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED') return 'ECONNRESET';
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') {
    return 'TIMEOUT';
  }
  return 'OTHER';
}

// A load test gets the same answer many times in a row: the last JSON body's parsed value is reused for a repeat
// (one string comparison instead of a parse). `json` is therefore shared between results and read-only.
let lastJsonText = '';
let lastJson: unknown;

/** Decode a response body; JSON is parsed only when the server said it is JSON. The `json` value is read-only. */
export function decodeBody(status: number, contentType: string | string[] | undefined, chunks: Buffer[]): HttpResult {
  const text = chunks.length === 0 ? '' : chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
  let json: unknown;
  if (text.length > 0 && (typeof contentType === 'string' ? contentType : String(contentType ?? '')).includes('json')) {
    if (text === lastJsonText) return { status, error: null, text, json: lastJson };
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    lastJsonText = text;
    lastJson = json;
  }
  return { status, error: null, text, json };
}

/** `result` with the backend's time-channel headers, when it sent them. */
function withTimeChannels(result: HttpResult, waitMs: number | undefined, sheetsMs: number | undefined): HttpResult {
  if (waitMs !== undefined) result.waitMs = waitMs;
  if (sheetsMs !== undefined) result.sheetsMs = sheetsMs;
  return result;
}

/** An answer received whole (an in-process exchange: in-process-http.ts): the same result the driver makes of one over a socket. */
export function resultOf(status: number, headers: Record<string, string | string[] | number | undefined>, body: Buffer): HttpResult {
  const h = (name: string): string | string[] | undefined => {
    const v = headers[name];
    return typeof v === 'number' ? String(v) : v;
  };
  return withTimeChannels(decodeBody(status, h('content-type'), body.length === 0 ? [] : [body]), headerMs(h('x-sheetsim-wait-ms')), headerMs(h(SHEETS_MS_HEADER)));
}

// One per request: collects the status, content type, the time-channel headers and the body chunks, then settles
// the send() promise once.
class ResponseCollector implements Dispatcher.DispatchHandler {
  private status = 0;
  private contentType: string | string[] | undefined;
  private waitMs: number | undefined;
  private sheetsMs: number | undefined;
  private chunks: Buffer[] = [];
  private settled = false;

  constructor(private readonly settle: (r: HttpResult) => void) {}

  onRequestStart(): void {
    // A retried request (undici replays the head of a failed pipeline) starts over.
    this.chunks = [];
  }

  onResponseStart(_c: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    this.status = statusCode;
    this.contentType = headers['content-type'];
    this.waitMs = headerMs(headers['x-sheetsim-wait-ms']);
    this.sheetsMs = headerMs(headers[SHEETS_MS_HEADER]);
  }

  onResponseData(_c: Dispatcher.DispatchController, chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (this.settled) return;
    this.settled = true;
    this.settle(withTimeChannels(decodeBody(this.status, this.contentType, this.chunks), this.waitMs, this.sheetsMs));
  }

  onResponseError(_c: Dispatcher.DispatchController, err: Error): void {
    if (this.settled) return;
    this.settled = true;
    const error = this.status === 0 && isKeepAliveClose(err) ? 'KEEPALIVE_CLOSED' : classifyError(err);
    this.settle({ status: null, error, text: '', json: undefined });
  }
}

/** Open a keep-alive pool to the backend. */
export function createDriver(opts: DriverOptions): HttpDriver {
  const url = new URL(opts.url);
  const origin = url.origin;
  const basePath = url.pathname.replace(/\/$/, '');
  // Sockets opened ahead of the run, handed to the pool as it grows. Opening them on demand is what made the
  // start of a run late: when the schedule falls a little behind, every due event needs a socket at once, and
  // hundreds of handshakes (and the server's accepts) on the same cores deepen the backlog they were opened for.
  watchKeepAlive();
  const { Client, Pool, buildConnector } = undici();
  const spare: { socket: Socket; openedAt: number }[] = [];
  const baseConnect = buildConnector({ timeout: opts.timeoutMs });
  const connect: buildConnector.connector = (o, cb) => {
    for (let e = spare.pop(); e; e = spare.pop()) {
      const s = e.socket;
      // A pre-opened socket idle for as long as the server tolerates is about to be closed by it: drop it.
      if (performance.now() - e.openedAt >= IDLE_SOCKET_MS) {
        s.destroy();
        continue;
      }
      // Asynchronously, as a real connect would: undici's client re-enters its resume loop from this callback.
      if (!s.destroyed && s.readyState === 'open') return queueMicrotask(() => cb(null, s));
    }
    baseConnect(o, cb);
  };
  const clientOptions = {
    // One request per socket at a time: a pipelined request would wait behind its predecessor's response,
    // which a load test must not hide inside service time.
    pipelining: 1,
    keepAliveTimeout: IDLE_SOCKET_MS,
    keepAliveMaxTimeout: IDLE_SOCKET_MS,
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
    connect,
  };
  // Clients built by `preconnect`, before t0, handed to the pool as it grows: otherwise the pool builds one per
  // connection during the run's first burst (256 at once for a dense trace), in the time events are due.
  const built: Client[] = [];
  const pool = new Pool(origin, {
    connections: Math.max(1, opts.connections),
    ...clientOptions,
    factory: (o, poolOptions) => built.pop() ?? new Client(o, poolOptions),
  });
  const connectOptions = { hostname: url.hostname.replace(/^\[|\]$/g, ''), host: url.host, protocol: url.protocol, port: url.port };
  return {
    send(req, headers) {
      const hasBody = req.body !== undefined && req.method !== 'GET';
      return new Promise<HttpResult>((resolve) => {
        const handler = new ResponseCollector(resolve);
        try {
          pool.dispatch(
            { origin, path: basePath + req.path, method: req.method, headers: hasBody ? { ...headers, 'content-type': 'application/json' } : headers, body: hasBody ? JSON.stringify(req.body) : null },
            handler,
          );
        } catch (err) {
          handler.onResponseError(undefined as unknown as Dispatcher.DispatchController, err as Error);
        }
      });
    },
    async preconnect(n) {
      const opened = await Promise.all(
        Array.from({ length: Math.max(0, n) }, () => new Promise<Socket | null>((resolve) => baseConnect(connectOptions, (err, socket) => resolve(err ? null : (socket as Socket))))),
      );
      const openedAt = performance.now();
      for (const s of opened) {
        if (!s) continue;
        markSocketOpened(s, openedAt);
        spare.push({ socket: s, openedAt });
        // A client per opened socket (at most the pool's size): it connects, through `connect`, on its first request.
        if (built.length < opts.connections) built.push(new Client(origin, clientOptions));
      }
      return spare.length;
    },
    async close() {
      for (const e of spare.splice(0)) e.socket.destroy();
      await Promise.all(built.splice(0).map((c) => c.destroy().catch(() => undefined)));
      await pool.destroy().catch(() => undefined);
    },
  };
}
