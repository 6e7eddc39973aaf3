/** Per-request facts visible to every Sheets call made while serving that request. */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestContext {
  /** The incoming W3C `traceparent`, forwarded on every Sheets call (as OpenTelemetry-instrumented services do). */
  traceparent?: string;
  /**
   * The request's "now" (epoch ms). Wall mode: the (scaled) time the request arrived. Sim-clock mode: its virtual
   * now, which starts at the `x-sheetsim-time` header and advances by each Sheets call's modelled latency (the
   * mock's `x-sheetsim-latency-ms`) and by every wait (backoff), so each call happens at its own instant.
   */
  nowMs: number;
  /** True in sim-clock mode: Sheets calls forward `nowMs` as `x-sheetsim-time` and advance it. */
  simClock?: boolean;
  /** Simulated ms this request spent waiting (backoff), answered as `x-sheetsim-wait-ms`. */
  waitMs: number;
  /**
   * Sim-clock mode: the summed modelled latency (ms) of the request's Sheets calls, as the mock answered it,
   * answered as `x-sheetsim-sheets-ms` so exact mode can schedule without reading the call log per event.
   */
  sheetsMs?: number;
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
