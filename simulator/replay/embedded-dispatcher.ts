/**
 * An undici Dispatcher that hands each request to a Fastify app in the same process (`sendInProcess`), with no
 * socket in between. Exact mode's embedded target uses it for the reference backend's Sheets calls to the embedded
 * mock (docs/time-model.md, "compute"): the mock runs every hook, its auth, body reading and error bodies as it does
 * over HTTP, and the backend gets the same status, headers and body through undici's ordinary `request()`.
 */
import type { FastifyInstance } from 'fastify';
import type { Dispatcher } from 'undici';
import { sendInProcess } from './in-process-http.ts';
import { dispatcherBase } from './lazy-undici.ts';

type Handler = Dispatcher.DispatchHandler;

/** Response headers as undici's raw list (name, value, name, value…), multi-valued headers one pair per value. */
function rawHeaders(headers: Record<string, string | number | string[] | undefined>): Buffer[] {
  const raw: Buffer[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) raw.push(Buffer.from(name, 'latin1'), Buffer.from(String(v), 'latin1'));
  }
  return raw;
}

/** Request headers as a plain object (undici accepts an object, a flat array or an iterable of pairs). */
function requestHeaders(headers: Dispatcher.DispatchOptions['headers']): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (headers == null) return out;
  const add = (name: string, value: unknown): void => {
    if (value === undefined) return;
    out[name.toLowerCase()] = Array.isArray(value) ? value.map(String) : String(value);
  };
  if (Array.isArray(headers)) {
    for (let i = 0; i < headers.length; i += 2) add(String(headers[i]), headers[i + 1]);
  } else if (typeof (headers as Iterable<unknown>)[Symbol.iterator] === 'function') {
    for (const [name, value] of headers as Iterable<[string, unknown]>) add(name, value);
  } else {
    for (const [name, value] of Object.entries(headers as Record<string, unknown>)) add(name, value);
  }
  return out;
}

/** A dispatcher into `app` (which must be ready or readyable: the first request waits for it). */
export class InProcessDispatcher extends dispatcherBase() {
  constructor(private readonly app: FastifyInstance) {
    super();
  }

  override dispatch(opts: Dispatcher.DispatchOptions, handler: Handler): boolean {
    const body = opts.body;
    if (body != null && typeof body !== 'string' && !Buffer.isBuffer(body) && !(body instanceof Uint8Array)) {
      // The backend's Sheets client sends JSON text; a stream body would need reading first, and nothing sends one.
      throw new TypeError('InProcessDispatcher takes a string or buffer body only');
    }
    let aborted: Error | null = null;
    const legacy = handler as Required<Pick<Handler, 'onConnect' | 'onHeaders' | 'onData' | 'onComplete' | 'onError'>>;
    legacy.onConnect((reason) => {
      aborted ??= reason instanceof Error ? reason : new Error('request aborted');
    });
    sendInProcess(this.app, {
      method: opts.method,
      url: opts.path,
      headers: requestHeaders(opts.headers),
      ...(body != null ? { body: typeof body === 'string' || Buffer.isBuffer(body) ? body : Buffer.from(body as Uint8Array) } : {}),
    }).then(
      (res) => {
        if (aborted) return legacy.onError(aborted);
        legacy.onHeaders(res.statusCode, rawHeaders(res.headers), () => {}, '');
        if (aborted) return legacy.onError(aborted);
        if (res.body.length > 0) legacy.onData(res.body);
        legacy.onComplete([]);
      },
      (err: Error) => legacy.onError(aborted ?? err),
    );
    return true;
  }

  // Nothing to close: the app belongs to whoever built it.
  override async close(): Promise<void> {}
  override async destroy(): Promise<void> {}
}
