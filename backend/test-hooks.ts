/**
 * Test-only hooks that make the reference backend measurably worse on purpose, so `sheetsim compare` and its
 * benchmarks can check that an injected regression is found (docs/backend.md, "Test hooks"). Read once, from the
 * environment, when the backend is built; both unset (the default) means no hook and no cost.
 *
 *   SHEETSIM_BACKEND_DELAY="finalizar=200,metricas=40"  extra compute ms per operation (a real wait in the request)
 *   SHEETSIM_BACKEND_EXTRA_READ="finalizar"              one extra values.get of one Operaciones row per request
 */
import type { FastifyRequest } from 'fastify';
import { TABS } from './records.ts';
import { type RequestContext, runInRequest } from './request-context.ts';
import type { SheetsClient } from './sheets-client.ts';

/** The operations a hook can name: one per route of docs/contract.md. */
export const HOOK_OPERATIONS = ['iniciar', 'finalizar', 'disponibles', 'metricas', 'workers', 'spools'] as const;
export type HookOperation = (typeof HOOK_OPERATIONS)[number];

export interface TestHooks {
  /** Extra milliseconds of compute per operation. */
  delayMs: Partial<Record<HookOperation, number>>;
  /** Operations that make one extra values.get. */
  extraRead: Set<HookOperation>;
}

const isOperation = (s: string): s is HookOperation => (HOOK_OPERATIONS as readonly string[]).includes(s);

/** Parse the two variables; a malformed value throws naming the variable and what was expected. */
export function parseTestHooks(env: NodeJS.ProcessEnv): TestHooks | null {
  const delayText = env.SHEETSIM_BACKEND_DELAY?.trim() ?? '';
  const readText = env.SHEETSIM_BACKEND_EXTRA_READ?.trim() ?? '';
  if (delayText === '' && readText === '') return null;
  const delayMs: TestHooks['delayMs'] = {};
  for (const part of delayText.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([a-z]+)=(\d+(?:\.\d+)?)$/.exec(part);
    if (!m || !isOperation(m[1]!)) {
      throw new Error(`SHEETSIM_BACKEND_DELAY: expected op=ms pairs such as "finalizar=200,metricas=40" with op one of ${HOOK_OPERATIONS.join(', ')}, got '${part}'`);
    }
    delayMs[m[1]] = Number(m[2]);
  }
  const extraRead = new Set<HookOperation>();
  for (const op of readText.split(',').map((p) => p.trim()).filter(Boolean)) {
    if (!isOperation(op)) throw new Error(`SHEETSIM_BACKEND_EXTRA_READ: expected a list of operations among ${HOOK_OPERATIONS.join(', ')}, got '${op}'`);
    extraRead.add(op);
  }
  return { delayMs, extraRead };
}

/** The operation a route serves, or null for routes no hook names (health, stats). */
export function routeOperation(url: string | undefined): HookOperation | null {
  if (url === '/api/workers') return 'workers';
  if (url === '/api/spools/iniciar') return 'spools';
  if (url === '/api/v4/occupation/iniciar') return 'iniciar';
  if (url === '/api/v4/occupation/finalizar') return 'finalizar';
  if (url?.endsWith('/disponibles')) return 'disponibles';
  if (url?.endsWith('/metricas')) return 'metricas';
  return null;
}

/** The modelled Sheets time of a request's extra read, added to what the request answers in `x-sheetsim-sheets-ms`. */
export const hookSheetsMs = new WeakMap<FastifyRequest, number>();

/**
 * A Fastify preHandler running the hooks of one request before its handler: the extra read (in a request context
 * carrying the request's traceparent and simulated now, so the call is attributed to the event like any other),
 * then the wait. `nowOf` is the backend's own notion of the request's now.
 */
export function testHooksPreHandler(hooks: TestHooks, client: SheetsClient, nowOf: (req: FastifyRequest) => number, simClock: boolean) {
  return async (req: FastifyRequest): Promise<void> => {
    const op = routeOperation(req.routeOptions.url);
    if (!op) return;
    if (hooks.extraRead.has(op)) {
      const traceparent = typeof req.headers.traceparent === 'string' ? req.headers.traceparent : undefined;
      const context: RequestContext = { nowMs: nowOf(req), simClock, waitMs: 0, ...(simClock ? { sheetsMs: 0 } : {}), ...(traceparent ? { traceparent } : {}) };
      await runInRequest(context, () => client.valuesGet(`${TABS.operaciones}!A2:A2`));
      if (context.sheetsMs) hookSheetsMs.set(req, context.sheetsMs);
    }
    const ms = hooks.delayMs[op];
    // A timer, not a busy loop: the delay stands for time the request spends, and spinning would also slow the
    // replayer sharing the machine.
    if (ms) await new Promise((r) => setTimeout(r, ms));
  };
}
