/**
 * Exact mode's HTTP driver: one keep-alive socket, one request at a time, the same transport-error classes and
 * body decoding as the realtime driver (http.ts), plus the backend's `x-sheetsim-sheets-ms` answer — the summed
 * modelled latency of the request's Sheets calls, which lets exact mode schedule an event without reading the
 * call log first (docs/time-model.md, "fewer round trips").
 */
import { Pool } from 'undici';
import type { Dispatcher } from 'undici';
import type { TraceRequest } from '../trace/types.ts';
import { classifyError, decodeBody, IDLE_SOCKET_MS, type HttpDriver, type HttpResult } from './http.ts';
import { isKeepAliveClose, watchKeepAlive } from './keepalive-watch.ts';

/** Header a sim-clock backend answers with: the summed modelled latency (ms) of the request's Sheets calls. */
export const SHEETS_MS_HEADER = 'x-sheetsim-sheets-ms';

/** An answer, with the backend's Sheets time when it sent one. */
export interface ExactHttpResult extends HttpResult {
  sheetsMs?: number;
}

/** A driver whose answers may carry the backend's Sheets time. */
export interface ExactDriver extends HttpDriver {
  send(req: TraceRequest, headers: Record<string, string>): Promise<ExactHttpResult>;
}

const headerMs = (raw: string | string[] | undefined): number | undefined => {
  if (raw === undefined || Array.isArray(raw)) return undefined;
  const n = Number(raw);
  return raw.trim() !== '' && Number.isFinite(n) && n >= 0 ? n : undefined;
};

// Collects one answer and settles the send() promise once (as http.ts's collector does).
class Collector implements Dispatcher.DispatchHandler {
  private status = 0;
  private headers: Record<string, string | string[] | undefined> = {};
  private chunks: Buffer[] = [];
  private settled = false;

  constructor(private readonly settle: (r: ExactHttpResult) => void) {}

  onRequestStart(): void {
    this.chunks = [];
  }

  onResponseStart(_c: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    this.status = statusCode;
    this.headers = headers;
  }

  onResponseData(_c: Dispatcher.DispatchController, chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (this.settled) return;
    this.settled = true;
    const result: ExactHttpResult = decodeBody(this.status, this.headers['content-type'], this.chunks);
    const waitMs = headerMs(this.headers['x-sheetsim-wait-ms']);
    if (waitMs !== undefined) result.waitMs = waitMs;
    const sheetsMs = headerMs(this.headers[SHEETS_MS_HEADER]);
    if (sheetsMs !== undefined) result.sheetsMs = sheetsMs;
    this.settle(result);
  }

  onResponseError(_c: Dispatcher.DispatchController, err: Error): void {
    if (this.settled) return;
    this.settled = true;
    const error = this.status === 0 && isKeepAliveClose(err) ? 'KEEPALIVE_CLOSED' : classifyError(err);
    this.settle({ status: null, error, text: '', json: undefined });
  }
}

/** Open exact mode's single keep-alive connection to the backend at `url`. */
export function createExactDriver(url: string, timeoutMs: number): ExactDriver {
  const u = new URL(url);
  const origin = u.origin;
  const basePath = u.pathname.replace(/\/$/, '');
  watchKeepAlive();
  const pool = new Pool(origin, {
    connections: 1,
    pipelining: 1,
    keepAliveTimeout: IDLE_SOCKET_MS,
    keepAliveMaxTimeout: IDLE_SOCKET_MS,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  return {
    send(req, headers) {
      const hasBody = req.body !== undefined && req.method !== 'GET';
      return new Promise<ExactHttpResult>((resolve) => {
        const handler = new Collector(resolve);
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
    async close() {
      await pool.destroy().catch(() => undefined);
    },
  };
}
