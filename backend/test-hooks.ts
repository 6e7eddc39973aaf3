/**
 * Test-only hooks of the reference backend, read from the environment when it starts (docs/backend.md):
 * `SHEETSIM_BACKEND_DELAY="finalizar=200,metricas=40"` adds that many ms of compute (a real wait, like slow
 * code) to every request of the operation, so tests and benches can check that sheetsim sees a slower backend.
 * Never set in production use.
 */
import type { FastifyRequest } from 'fastify';

export type HookOperation = 'iniciar' | 'finalizar' | 'disponibles' | 'metricas' | 'workers' | 'spools';
const OPERATIONS: readonly HookOperation[] = ['iniciar', 'finalizar', 'disponibles', 'metricas', 'workers', 'spools'];

/** The operation a route serves (by its route pattern), or null. */
export function operationOf(route: string): HookOperation | null {
  if (route === '/api/v4/occupation/iniciar') return 'iniciar';
  if (route === '/api/v4/occupation/finalizar') return 'finalizar';
  if (route === '/api/v4/uniones/:tag/disponibles') return 'disponibles';
  if (route === '/api/v4/uniones/:tag/metricas') return 'metricas';
  if (route === '/api/workers') return 'workers';
  if (route === '/api/spools/iniciar') return 'spools';
  return null;
}

/** Parse `SHEETSIM_BACKEND_DELAY` ("op=ms,op=ms"); throws naming the variable and the bad entry. */
export function parseDelay(text: string | undefined): Partial<Record<HookOperation, number>> {
  const out: Partial<Record<HookOperation, number>> = {};
  if (text === undefined || text.trim() === '') return out;
  for (const entry of text.split(',')) {
    const m = /^\s*([a-z]+)\s*=\s*(\d+(?:\.\d+)?)\s*$/.exec(entry);
    const op = m?.[1] as HookOperation | undefined;
    if (!m || !op || !OPERATIONS.includes(op)) {
      throw new Error(`SHEETSIM_BACKEND_DELAY: expected op=ms entries (ops: ${OPERATIONS.join(', ')}), got '${entry.trim()}'`);
    }
    out[op] = Number(m[2]);
  }
  return out;
}

/** A Fastify preHandler applying the delays of `env`, or null when none is set. */
export function testHooks(env: NodeJS.ProcessEnv): ((req: FastifyRequest) => Promise<void>) | null {
  const delay = parseDelay(env.SHEETSIM_BACKEND_DELAY);
  if (Object.keys(delay).length === 0) return null;
  return async (req) => {
    const op = operationOf(req.routeOptions.url ?? '');
    const ms = op ? delay[op] : undefined;
    if (ms) await new Promise((resolve) => setTimeout(resolve, ms));
  };
}
