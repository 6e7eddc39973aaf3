/**
 * The admin API under `/__sheetsim/`: health, reset, state digest and export, call log, stats, realism config and
 * the clock. These are not Sheets calls: never logged, never quota'd. With an admin token set, every request must
 * carry it in `x-sheetsim-admin-token`.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { HealthResponse } from '../admin-types.ts';
import { MAX_CALLS_PAGE } from '../call-log.ts';
import type { SheetsContext } from '../pipeline.ts';

export interface AdminContext extends SheetsContext {
  /** The world spreadsheet's id (the first spreadsheet). */
  spreadsheetId(): string;
  /** Reload the world (for `seed` when given), clear the call log, reset the policy. */
  reset(seed: number | undefined): void;
  adminToken?: string;
}

function adminError(reply: FastifyReply, code: number, message: string): FastifyReply {
  return reply.code(code).send({ error: { code, message } });
}

function nonNegativeInteger(raw: unknown): number | null {
  if (typeof raw !== 'string' || !/^\d+$/.test(raw)) return null;
  return Number(raw);
}

/** Register the admin routes under /__sheetsim/ (in their own scope, so the token check stays local). */
export function registerAdminRoutes(app: FastifyInstance, ctx: AdminContext): void {
  void app.register(
    async (scope) => {
      if (ctx.adminToken !== undefined) {
        const token = ctx.adminToken;
        scope.addHook('onRequest', async (req, reply) => {
          if (req.headers['x-sheetsim-admin-token'] !== token) {
            return adminError(reply, 401, 'the admin API needs the header x-sheetsim-admin-token with the token the mock was started with');
          }
        });
      }

      scope.get('/health', async (): Promise<HealthResponse> => {
        const clock = ctx.policy.clock;
        return { ok: true, spreadsheetId: ctx.spreadsheetId(), clock: { mode: clock.mode, nowMs: clock.now(), speed: clock.speed }, calls: ctx.calls.count() };
      });

      scope.post('/reset', async (req, reply) => {
        const body = (req.body ?? {}) as Record<string, unknown>;
        if (typeof body !== 'object' || Array.isArray(body)) return adminError(reply, 400, 'reset: expected a JSON object such as {"seed": 42}');
        for (const key of Object.keys(body)) {
          if (key !== 'seed') return adminError(reply, 400, `reset.${key}: unknown field (expected seed)`);
        }
        const seed = body.seed;
        if (seed !== undefined && (typeof seed !== 'number' || !Number.isInteger(seed))) {
          return adminError(reply, 400, `reset.seed: expected a whole number, got ${JSON.stringify(seed)}`);
        }
        ctx.reset(seed);
        return { ok: true, spreadsheetId: ctx.spreadsheetId(), digest: ctx.store.digest() };
      });

      scope.get('/state', async (req) => {
        const query = req.query as Record<string, unknown>;
        if (query.export === 'true' || query.export === '1') {
          const data = ctx.store.export();
          return { digest: ctx.store.digest(), spreadsheets: data.spreadsheets };
        }
        return { digest: ctx.store.digest() };
      });

      scope.get('/calls', async (req, reply) => {
        const query = req.query as Record<string, unknown>;
        const after = query.after === undefined ? 0 : nonNegativeInteger(query.after);
        if (after === null) return adminError(reply, 400, `calls: after must be a call id (a whole number), got ${JSON.stringify(query.after)}`);
        const limit = query.limit === undefined ? 1000 : nonNegativeInteger(query.limit);
        if (limit === null || limit < 1 || limit > MAX_CALLS_PAGE) {
          return adminError(reply, 400, `calls: limit must be a whole number from 1 to ${MAX_CALLS_PAGE}, got ${JSON.stringify(query.limit)}`);
        }
        return ctx.calls.page(after, limit);
      });

      scope.get('/stats', async () => {
        const methods = ctx.calls.stats();
        let calls = 0;
        let errors = 0;
        let rateLimited = 0;
        for (const m of Object.values(methods)) {
          calls += m.calls;
          errors += m.errors;
          rateLimited += m.rateLimited;
        }
        return { calls, errors, rateLimited, methods, quota: ctx.policy.quotaUsage() };
      });

      scope.get('/config', async () => ctx.policy.config());

      scope.post('/config', async (req, reply) => {
        try {
          ctx.policy.configure(req.body ?? {});
        } catch (err) {
          return adminError(reply, 400, (err as Error).message);
        }
        return ctx.policy.config();
      });

      scope.get('/clock', async () => {
        const clock = ctx.policy.clock;
        return { mode: clock.mode, nowMs: clock.now(), speed: clock.speed };
      });

      scope.post('/clock', async (req, reply) => {
        const clock = ctx.policy.clock;
        if (clock.mode !== 'virtual') {
          return adminError(reply, 409, 'the mock runs on the wall clock; start it with the virtual clock (clock: "virtual") to set its time');
        }
        const body = (req.body ?? {}) as Record<string, unknown>;
        const nowMs = body.nowMs;
        if (typeof nowMs !== 'number' || !Number.isFinite(nowMs)) {
          return adminError(reply, 400, `clock.nowMs: expected epoch milliseconds, got ${JSON.stringify(nowMs)}`);
        }
        try {
          clock.set(nowMs);
        } catch (err) {
          return adminError(reply, 400, (err as Error).message);
        }
        // A new event: trace cursors from the previous one must not carry over.
        ctx.instants.clear();
        return { mode: clock.mode, nowMs: clock.now(), speed: clock.speed };
      });

      // Trace t = 0 of a run: the clock reads nowMs from here (wall: re-anchored; virtual: set, even backwards),
      // quota minutes and outage windows start at it, and quota use so far (a warm-up's calls) is forgotten.
      scope.post('/origin', async (req, reply) => {
        const body = (req.body ?? {}) as Record<string, unknown>;
        const nowMs = body.nowMs;
        if (typeof nowMs !== 'number' || !Number.isFinite(nowMs)) {
          return adminError(reply, 400, `origin.nowMs: expected epoch milliseconds, got ${JSON.stringify(nowMs)}`);
        }
        ctx.policy.setOrigin(nowMs);
        ctx.instants.clear();
        const clock = ctx.policy.clock;
        return { mode: clock.mode, nowMs: clock.now(), speed: clock.speed };
      });
    },
    { prefix: '/__sheetsim' },
  );
}
