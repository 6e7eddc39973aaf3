/** The HTTP driver: one undici Pool per target, requests that never throw, transport errors classified. */
import { Pool } from 'undici';
import type { TraceRequest } from '../trace/types.ts';

export type TransportError = 'ECONNREFUSED' | 'ECONNRESET' | 'TIMEOUT' | 'OTHER';

export interface HttpResult {
  /** HTTP status, or null on a transport error. */
  status: number | null;
  error: TransportError | null;
  /** Response body as text ('' on error). */
  text: string;
  /** Parsed JSON body, or undefined when the body was not JSON. */
  json: unknown;
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

/** Open a keep-alive pool to the backend. */
export function createDriver(opts: DriverOptions): HttpDriver {
  const origin = new URL(opts.url).origin;
  const basePath = new URL(opts.url).pathname.replace(/\/$/, '');
  const pool = new Pool(origin, {
    connections: Math.max(1, opts.connections),
    pipelining: 1,
    keepAliveTimeout: 30_000,
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
    connectTimeout: opts.timeoutMs,
  });
  return {
    async send(req, headers) {
      const hasBody = req.body !== undefined && req.method !== 'GET';
      try {
        const res = await pool.request({
          path: basePath + req.path,
          method: req.method,
          headers: hasBody ? { ...headers, 'content-type': 'application/json' } : headers,
          body: hasBody ? JSON.stringify(req.body) : undefined,
        });
        const text = await res.body.text();
        let json: unknown;
        if (text.length > 0 && String(res.headers['content-type'] ?? '').includes('json')) {
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
        }
        return { status: res.statusCode, error: null, text, json };
      } catch (err) {
        return { status: null, error: classifyError(err), text: '', json: undefined };
      }
    },
    async close() {
      await pool.destroy().catch(() => undefined);
    },
  };
}
