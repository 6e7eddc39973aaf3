/**
 * The mock Google Sheets API v4 as a Fastify app factory. The factory never listens: the CLI (or a test) does.
 */
import type { Readable } from 'node:stream';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { SheetsMethod } from './admin-types.ts';
import { quotaUserOf } from './auth.ts';
import { CallInstants } from './call-instant.ts';
import { CallLog } from './call-log.ts';
import { errorBody, GoogleError, MAX_PAYLOAD_BYTES, notFound } from './errors.ts';
import { sendError, type SheetsContext } from './pipeline.ts';
import type { Policy } from './policy.ts';
import { createPolicy, type PolicyOptions } from './realism.ts';
import { registerAdminRoutes } from './routes/admin.ts';
import { registerSpreadsheetRoutes } from './routes/spreadsheets.ts';
import { registerTokenRoutes } from './routes/token.ts';
import { registerValuesRoutes } from './routes/values.ts';
import { answerClientError, MAX_HEADER_BYTES, MAX_URL_BYTES, payloadTooLarge, readBodyText, URL_TOO_LONG_HTML } from './request-limits.ts';
import { newSpreadsheetId } from './sheet-ops.ts';
import { SheetsStore } from './store.ts';
import type { WorkbookSpec } from './workbook.ts';

/** The factory's options; latency, quota, faults and the clock are the realism policy's (realism.ts). */
export interface MockSheetsOptions extends Partial<Omit<PolicyOptions, 'wallNow'>> {
  /**
   * Loaded when the store holds no spreadsheet yet; several are served side by side (a world and its audit book).
   * Default: `loadWorkbook(seed)` when given, else one blank spreadsheet.
   */
  workbook?: WorkbookSpec | readonly WorkbookSpec[];
  /** Used by POST /__sheetsim/reset {"seed": n}. */
  loadWorkbook?: (seed: number) => WorkbookSpec | readonly WorkbookSpec[];
  /** SQLite file path; default ':memory:'; WAL; an existing file keeps its workbook. */
  db?: string;
  /** A store that already holds the workbooks (a world from the embedded target's cache); `db` is then not used. */
  store?: SheetsStore;
  /** Default 'required'. */
  auth?: 'required' | 'none';
  /** Overrides latency/quota/faults/clock (tests). */
  policy?: Policy;
  /** Also emit the legacy `errors: [{message, domain, reason}]` array in error bodies. */
  legacyErrors?: boolean;
  /** When set, /__sheetsim/* requires the header `x-sheetsim-admin-token`. */
  adminToken?: string;
  logger?: boolean;
}

/** What `app.sheetsim` exposes to the CLI, the replayer and tests. */
export interface MockSheetsHandle {
  /** The first spreadsheet's id (the world's main workbook). */
  readonly spreadsheetId: string;
  readonly policy: Policy;
  readonly store: SheetsStore;
  readonly calls: CallLog;
  /** Same as POST /__sheetsim/reset. */
  reset(seed?: number): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    sheetsim: MockSheetsHandle;
  }
}

/** The workbook of a mock started without one: a single empty `Sheet1`. */
export function defaultWorkbook(seed: number): WorkbookSpec {
  return { spreadsheetId: newSpreadsheetId(seed, 0), title: 'sheetsim', sheets: [{ title: 'Sheet1', rows: [] }] };
}

const asList = (w: WorkbookSpec | readonly WorkbookSpec[]): readonly WorkbookSpec[] => (Array.isArray(w) ? w : [w as WorkbookSpec]);

/** The Sheets method a request was routed to (for errors raised before the route handler runs). */
function methodOfRequest(req: FastifyRequest): SheetsMethod | undefined {
  const route = req.routeOptions.url ?? '';
  const path = req.url.split('?', 1)[0]!;
  if (route === '/v4/spreadsheets') return 'spreadsheets.create';
  if (route === '/v4/spreadsheets/:idVerb') return 'spreadsheets.batchUpdate';
  if (route.endsWith('values::batchUpdate')) return 'values.batchUpdate';
  if (route.endsWith('values::batchClear')) return 'values.batchClear';
  if (route.endsWith('/values/:range')) return req.method === 'PUT' ? 'values.update' : 'values.get';
  if (route.endsWith('/values/:rangeVerb')) return path.endsWith(':clear') ? 'values.clear' : 'values.append';
  return undefined;
}

/** Build the mock Sheets server (not listening). */
export async function buildMockSheets(options: MockSheetsOptions = {}): Promise<FastifyInstance> {
  const seed = options.seed ?? 42;
  // Built when first loaded: a store given with its workbooks needs them only for a reset.
  let initialSpecs: readonly WorkbookSpec[] | undefined;
  const initial = (): readonly WorkbookSpec[] =>
    (initialSpecs ??= asList(options.workbook ?? options.loadWorkbook?.(seed) ?? defaultWorkbook(seed)));
  const store = options.store ?? new SheetsStore(options.db ?? ':memory:');
  const calls = new CallLog(store.db);
  if (store.spreadsheetCount() === 0) store.transaction(() => initial().forEach((spec) => store.loadWorkbook(spec)));
  const policy =
    options.policy ??
    createPolicy({
      seed,
      latency: options.latency ?? 'off',
      quota: options.quota ?? 'off',
      ...(options.faults !== undefined ? { faults: options.faults } : {}),
      clock: options.clock ?? 'wall',
      ...(options.speed !== undefined ? { speed: options.speed } : {}),
      ...(options.startMs !== undefined ? { startMs: options.startMs } : {}),
    });
  const legacyErrors = options.legacyErrors ?? false;
  const instants = new CallInstants(policy.clock);
  const ctx: SheetsContext = { store, calls, policy, instants, auth: options.auth ?? 'required', legacyErrors, seed };

  const reset = (resetSeed?: number): void => {
    const specs = resetSeed !== undefined && options.loadWorkbook ? asList(options.loadWorkbook(resetSeed)) : initial();
    store.transaction(() => {
      store.clearAll();
      for (const spec of specs) store.loadWorkbook(spec);
      calls.clear();
    });
    ctx.seed = resetSeed ?? seed;
    policy.reset(resetSeed ?? seed);
    instants.clear();
  };

  const noSchemas = (): never => {
    throw new Error('the mock declares no JSON schemas');
  };
  // No automatic HEAD routes: a HEAD would otherwise run (and log) a Sheets call.
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: MAX_PAYLOAD_BYTES,
    exposeHeadRoutes: false,
    // Long URLs reach the app (and Google's 414 page below) instead of Node's bare 431 or Fastify's 414.
    http: { maxHeaderSize: MAX_HEADER_BYTES },
    routerOptions: { maxParamLength: MAX_URL_BYTES },
    clientErrorHandler: answerClientError,
    // No route has a JSON schema: without compilers of its own, Fastify loads ajv at ready (~90 modules, ~50 ms cold).
    schemaController: { compilersFactory: { buildValidator: noSchemas, buildSerializer: noSchemas } },
  });
  const handle: MockSheetsHandle = {
    get spreadsheetId() {
      return store.firstSpreadsheetId() ?? '';
    },
    policy,
    store,
    calls,
    reset,
  };
  app.decorate('sheetsim', handle);
  app.addHook('onClose', async () => store.close());

  app.addHook('onRequest', async (req, reply) => {
    if (Buffer.byteLength(req.url) > MAX_URL_BYTES) {
      return reply.code(414).header('connection', 'close').type('text/html; charset=UTF-8').send(URL_TOO_LONG_HTML);
    }
  });

  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/v4/')) return sendError(reply, notFound(), legacyErrors);
    return reply.code(404).send({ error: { code: 404, message: `no route ${req.method} ${req.url.split('?', 1)[0]}` } });
  });

  app.setErrorHandler((err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    const method = methodOfRequest(req);
    if (method === undefined) return reply.send(err);
    const google =
      (err as unknown) instanceof GoogleError
        ? (err as unknown as GoogleError)
        : err.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? payloadTooLarge()
        : (err.statusCode ?? 500) < 500
          ? new GoogleError(400, err.message, 'badRequest')
          : new GoogleError(500, 'Internal error encountered.', `internal:${err.message}`);
    calls.append({
      clockMs: policy.clock.now(),
      method,
      kind: method === 'values.get' ? 'read' : 'write',
      spreadsheetId: (req.params as { spreadsheetId?: string } | undefined)?.spreadsheetId ?? '',
      ranges: [],
      rows: 0,
      cells: 0,
      quotaUser: quotaUserOf(req.headers, req.query as Record<string, unknown>) ?? 'anonymous',
      status: google.code,
      latencyMs: 0,
      realMs: 0,
      error: google.reason,
    });
    return reply.code(google.code).type('application/json; charset=UTF-8').send(errorBody(google, legacyErrors));
  });

  registerTokenRoutes(app);
  registerAdminRoutes(app, {
    ...ctx,
    spreadsheetId: () => handle.spreadsheetId,
    reset,
    ...(options.adminToken !== undefined ? { adminToken: options.adminToken } : {}),
  });
  await app.register(async (scope) => {
    // Bodies reach the pipeline as text: bad JSON is then a logged Google 400, whatever the content type says.
    scope.removeAllContentTypeParsers();
    // The body is read to its end even when it is too large, so the client hears Google's 400 (request-limits.ts).
    scope.addContentTypeParser('*', (req: FastifyRequest, payload: Readable) => readBodyText(payload, Number(req.headers['content-length'] ?? 0)));
    registerSpreadsheetRoutes(scope, ctx);
    registerValuesRoutes(scope, ctx);
  });

  return app;
}
