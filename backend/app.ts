/** The reference spool-tracking backend (the ZEUES v4 contract over the Sheets REST API) as a Fastify app factory. */
import Fastify from 'fastify';
import type { Dispatcher } from 'undici';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError, detailError } from './http-error.ts';
import { LeanStore } from './profiles/lean.ts';
import { ZeuesStore } from './profiles/zeues.ts';
import { cryptoRandom, seededRandom } from './random-source.ts';
import { type RequestContext, runInRequest } from './request-context.ts';
import { SpoolService } from './service.ts';
import type { Reply } from './service.ts';
import { ServiceAccountTokens, readServiceAccountFile } from './service-account.ts';
import { SheetsClient } from './sheets-client.ts';
import type { SheetsAuth } from './sheets-client.ts';
import type { SpoolStore } from './store.ts';
import { hookSheetsMs, parseTestHooks, testHooksPreHandler } from './test-hooks.ts';
import { InvalidJsonBody, parseFinalizar, parseIniciar, parseUnionOperacion } from './validation.ts';

export type BackendProfile = 'lean' | 'zeues';
export const BACKEND_PROFILES: readonly BackendProfile[] = ['lean', 'zeues'];

/** The header a sim-clock backend takes "now" from (epoch ms), set by sheetsim's exact replayer. */
export const SIM_TIME_HEADER = 'x-sheetsim-time';
/** The header the backend answers with the simulated ms the request spent waiting (backoff). */
export const WAIT_HEADER = 'x-sheetsim-wait-ms';
/** Sim-clock mode: the summed modelled latency (ms) of the request's Sheets calls (docs/backend.md, time channel). */
export const SHEETS_MS_HEADER = 'x-sheetsim-sheets-ms';

export interface BackendOptions {
  /** Sheets API root (`https://sheets.googleapis.com/` or a mock's URL). */
  sheetsUrl: string;
  spreadsheetId: string;
  token?: string;
  apiKey?: string;
  /** A service-account JSON key file; its `token_uri` is used for the JWT-bearer grant. */
  credentialsFile?: string;
  /** Sheets call pattern (default `lean`). */
  profile?: BackendProfile;
  /** Take "now" from the `x-sheetsim-time` header and seed every random choice; skip backoff sleeps. */
  simClock?: boolean;
  /** Seed of uuids (sim-clock mode) and backoff jitter (default 42). */
  seed?: number;
  /**
   * Time scale of a sped-up replay (default 1): the backend's clock runs `speed`× faster and its own waits (backoff,
   * cache TTLs) shrink by the same factor, as the mock's quota minute does; Sheets latencies are the mock's and do not.
   */
  speed?: number;
  logger?: boolean;
  /**
   * Where the Sheets calls go instead of a keep-alive pool to `sheetsUrl` (undici Dispatcher, closed by its owner):
   * sheetsim's exact mode hands them to its embedded mock in the same process. Not a CLI flag.
   */
  sheetsDispatcher?: Dispatcher;
}

/** Build the backend: routes of docs/contract.md over the chosen call profile. Call `listen` to serve it. */
export async function buildBackend(options: BackendOptions): Promise<FastifyInstance> {
  const profile = options.profile ?? 'lean';
  if (!BACKEND_PROFILES.includes(profile)) throw new Error(`profile must be one of ${BACKEND_PROFILES.join(', ')}, got '${String(profile)}'`);
  if (!options.sheetsUrl) throw new Error('sheetsUrl is required');
  if (!options.spreadsheetId) throw new Error('spreadsheetId is required');
  const simClock = options.simClock ?? false;
  const seed = options.seed ?? 42;
  const speed = options.speed ?? 1;
  if (!(speed > 0)) throw new Error(`speed must be a positive number, got ${speed}`);
  const wallStart = Date.now();
  // In wall mode "now" is simulated time: it runs `speed`× faster from the moment the backend started.
  const wallNow = () => wallStart + (Date.now() - wallStart) * speed;
  const auth: SheetsAuth = {};
  if (options.credentialsFile) auth.serviceAccount = new ServiceAccountTokens(readServiceAccountFile(options.credentialsFile));
  else if (options.token) auth.token = options.token;
  if (options.apiKey) auth.apiKey = options.apiKey;

  const client = new SheetsClient({
    baseUrl: options.sheetsUrl,
    spreadsheetId: options.spreadsheetId,
    auth,
    ...(options.sheetsDispatcher ? { dispatcher: options.sheetsDispatcher } : {}),
  });
  const random = simClock ? seededRandom(seed) : cryptoRandom(seed);
  const store: SpoolStore = profile === 'zeues' ? new ZeuesStore(client, { skipSleep: simClock, speed, wallNow }) : new LeanStore(client, { random, skipSleep: simClock, speed });
  const service = new SpoolService(store, random);

  // No route has a JSON schema: without compilers of its own, Fastify loads ajv at ready (~90 modules, ~50 ms cold).
  const noSchemas = (): never => {
    throw new Error('the reference backend declares no JSON schemas');
  };
  const app = Fastify({ logger: options.logger ?? false, schemaController: { compilersFactory: { buildValidator: noSchemas, buildSerializer: noSchemas } } });
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, text, done) => {
    const body = text as string;
    if (body.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(body));
    } catch (err) {
      const m = /position (\d+)/.exec((err as Error).message);
      done(null, new InvalidJsonBody(m ? Number(m[1]) : 0, (err as Error).message));
    }
  });

  let lastSimNow: number | undefined;
  /** Run a handler inside its request context (traceparent, simulated now). */
  const handle = (fn: (req: FastifyRequest, nowMs: number) => Promise<Reply>, needsTime = true) => async (req: FastifyRequest, reply: FastifyReply) => {
    let nowMs = wallNow();
    if (simClock) {
      const header = req.headers[SIM_TIME_HEADER];
      const text = Array.isArray(header) ? header[0] : header;
      if (text === undefined) {
        // Health probes come without the header: they see the last simulated time, so cache expiry stays replayable.
        if (needsTime) throw detailError(400, `${SIM_TIME_HEADER} header (epoch ms) is required: this backend runs with --sim-clock`);
        nowMs = lastSimNow ?? nowMs;
      } else {
        if (!/^\d+$/.test(text.trim())) throw detailError(400, `${SIM_TIME_HEADER} must be an integer epoch in milliseconds, got '${text}'`);
        nowMs = Number(text);
        lastSimNow = nowMs;
      }
    }
    const traceparent = req.headers.traceparent;
    const context: RequestContext = { nowMs, simClock, waitMs: 0, ...(simClock ? { sheetsMs: 0 } : {}), ...(typeof traceparent === 'string' ? { traceparent } : {}) };
    let result: Reply;
    try {
      result = await runInRequest(context, () => fn(req, nowMs));
    } finally {
      // Also on an error answer: the waits happened all the same.
      void reply.header(WAIT_HEADER, String(Math.round(context.waitMs)));
      // Every call of this request forwarded its instant and traceparent: exact mode may schedule from this sum.
      if (context.sheetsMs !== undefined) void reply.header(SHEETS_MS_HEADER, String(context.sheetsMs + (hookSheetsMs.get(req) ?? 0)));
    }
    void reply.code(result.status);
    if (result.headers) void reply.headers(result.headers);
    return result.body;
  };

  // Test-only (docs/backend.md "Test hooks"): SHEETSIM_BACKEND_DELAY / SHEETSIM_BACKEND_EXTRA_READ worsen chosen operations.
  const hooks = parseTestHooks(process.env);
  if (hooks) app.addHook('preHandler', testHooksPreHandler(hooks, client, (req) => (simClock && /^\d+$/.test(String(req.headers[SIM_TIME_HEADER])) ? Number(req.headers[SIM_TIME_HEADER]) : wallNow()), simClock));
  app.get('/api/health', handle((_req, nowMs) => service.health(nowMs), false));
  app.get('/api/workers', handle(() => service.workers()));
  app.get('/api/spools/iniciar', handle(async (req) => {
    const op = (req.query as Record<string, unknown>).operacion;
    if (op === undefined) return Promise.reject(new HttpError(422, { detail: [{ type: 'missing', loc: ['query', 'operacion'], msg: 'Field required', input: null }] }));
    return service.spoolsIniciar(String(op));
  }));
  app.post('/api/v4/occupation/iniciar', handle((req, now) => service.iniciar(parseIniciar(req.body), now)));
  app.post('/api/v4/occupation/finalizar', handle((req, now) => service.finalizar(parseFinalizar(req.body), now)));
  app.get('/api/v4/uniones/:tag/disponibles', handle((req) => service.disponibles((req.params as { tag: string }).tag, parseUnionOperacion(req.query))));
  app.get('/api/v4/uniones/:tag/metricas', handle((req) => service.metricas((req.params as { tag: string }).tag)));
  app.get('/__backend/stats', async () => store.stats());

  app.setNotFoundHandler((_req, reply) => {
    void reply.code(404).send({ detail: 'Not Found' });
  });
  app.setErrorHandler((err, req, reply) => {
    if (err instanceof HttpError) {
      void reply.code(err.status).headers(err.headers).send(err.body);
      return;
    }
    const status = (err as { statusCode?: number }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      void reply.code(status).send({ detail: (err as Error).message });
      return;
    }
    req.log.error(err);
    void reply.code(500).send({ success: false, error: 'INTERNAL_SERVER_ERROR', message: 'Error interno del servidor. Contacta al administrador.', data: null });
  });
  app.addHook('onClose', async () => {
    await store.close();
  });
  return app;
}
