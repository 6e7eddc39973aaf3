/** Per-request facts visible to every Sheets call made while serving that request. */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestContext {
  /** The incoming W3C `traceparent`, forwarded on every Sheets call (as OpenTelemetry-instrumented services do). */
  traceparent?: string;
  /** The request's "now" (epoch ms): the `x-sheetsim-time` header in sim-clock mode, wall time otherwise. */
  nowMs: number;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Run `fn` with `ctx` as the current request context. */
export function runInRequest<T>(ctx: RequestContext, fn: () => Promise<T>): Promise<T> {
  return storage.run(ctx, fn);
}

/** The context of the request being served, if any. */
export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}
