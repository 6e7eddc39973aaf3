/** A small Google Sheets API v4 client over undici (keep-alive pool), as a real backend would use. */
import type { Dispatcher, Pool } from 'undici';
import { type RequestContext, currentRequest } from './request-context.ts';
import { SheetsApiError, networkError, parseSheetsError } from './sheets-error.ts';
import type { ServiceAccountTokens } from './service-account.ts';
import { loadUndici } from './undici.ts';

/** A cell as read with UNFORMATTED_VALUE: numbers (dates as serials), strings, booleans. */
export type Cell = string | number | boolean | null | undefined;

/** One range and its values for values.batchUpdate / update / append. */
export interface ValueRangeInput {
  range: string;
  values: (string | number | boolean)[][];
}

export interface SheetsAuth {
  /** A fixed OAuth bearer token. */
  token?: string;
  /** An API key, sent as `?key=` (what `@googleapis/sheets` does with `auth: 'key'`). */
  apiKey?: string;
  /** Service-account token source (the JWT-bearer flow). */
  serviceAccount?: ServiceAccountTokens;
}

export interface SheetsClientOptions {
  /** API root, e.g. `https://sheets.googleapis.com/` or a mock's `http://127.0.0.1:PORT/`. */
  baseUrl: string;
  spreadsheetId: string;
  auth: SheetsAuth;
  /** Connections kept alive to the API (default 16). */
  connections?: number;
  /**
   * Where requests go instead of a keep-alive pool to `baseUrl`'s origin (owned by the caller, not closed here): how
   * sheetsim's exact mode hands them to its embedded mock in the same process, without sockets.
   */
  dispatcher?: Dispatcher;
}

/** Counts of calls made, by method, for the backend's own stats endpoint. */
export type CallCounts = Record<string, number>;

/** The subset of the Sheets API the reference backend uses: values.get/batchGet/batchUpdate/update/append, spreadsheets.get. */
export class SheetsClient {
  private readonly dispatcher: Dispatcher;
  private readonly pool: Pool | null;
  private readonly origin: string | undefined;
  private readonly basePath: string;
  readonly calls: CallCounts = {};

  constructor(private readonly options: SheetsClientOptions) {
    const url = new URL(options.baseUrl);
    this.basePath = url.pathname.replace(/\/+$/, '');
    // undici is loaded only for a pool: a backend handed a dispatcher (sheetsim's exact mode) never needs the rest of it.
    this.pool = options.dispatcher ? null : new (loadUndici().Pool)(url.origin, { connections: options.connections ?? 16, keepAliveTimeout: 30_000 });
    this.dispatcher = options.dispatcher ?? this.pool!;
    // A pool is bound to its origin; a dispatcher given from outside (an Agent, a mock) is told it with each request.
    this.origin = options.dispatcher ? url.origin : undefined;
  }

  /** spreadsheets.get without grid data: what gspread's `open_by_key` and every `worksheet()` lookup cost. */
  async getSpreadsheet(): Promise<{ sheets?: { properties?: { title?: string; sheetId?: number } }[] }> {
    return (await this.call('spreadsheets.get', 'GET', '', { includeGridData: 'false' })) as { sheets?: { properties?: { title?: string } }[] };
  }

  /** values.get of one range, unformatted (dates as serial numbers). */
  async valuesGet(range: string): Promise<Cell[][]> {
    const res = (await this.call('values.get', 'GET', `/values/${encodeURIComponent(range)}`, unformatted())) as { values?: Cell[][] };
    return res.values ?? [];
  }

  /** values.batchGet of several ranges in one call (one read request against the quota). */
  async batchGet(ranges: string[]): Promise<Cell[][][]> {
    const query = new URLSearchParams(unformatted());
    for (const r of ranges) query.append('ranges', r);
    const res = (await this.call('values.batchGet', 'GET', '/values:batchGet', query)) as { valueRanges?: { values?: Cell[][] }[] };
    return ranges.map((_, i) => res.valueRanges?.[i]?.values ?? []);
  }

  /** values.batchUpdate with USER_ENTERED (one write request whatever the number of ranges). */
  async batchUpdate(data: ValueRangeInput[]): Promise<void> {
    await this.call('values.batchUpdate', 'POST', '/values:batchUpdate', {}, { valueInputOption: 'USER_ENTERED', data });
  }

  /** values.update of one range with USER_ENTERED. */
  async update(range: string, values: ValueRangeInput['values']): Promise<void> {
    await this.call('values.update', 'PUT', `/values/${encodeURIComponent(range)}`, { valueInputOption: 'USER_ENTERED' }, { range, values });
  }

  /** values.append after the table found in `range`, USER_ENTERED (gspread's `append_rows`). */
  async append(range: string, values: ValueRangeInput['values']): Promise<void> {
    await this.call('values.append', 'POST', `/values/${encodeURIComponent(range)}:append`, { valueInputOption: 'USER_ENTERED' }, { values });
  }

  /** Close the keep-alive pool (a dispatcher given in the options is its owner's to close). */
  async close(): Promise<void> {
    await this.pool?.close();
  }

  private async call(
    method: string,
    verb: 'GET' | 'POST' | 'PUT',
    suffix: string,
    query: Record<string, string> | URLSearchParams,
    body?: unknown,
  ): Promise<unknown> {
    this.calls[method] = (this.calls[method] ?? 0) + 1;
    const params = query instanceof URLSearchParams ? query : new URLSearchParams(query);
    const headers: Record<string, string> = { accept: 'application/json' };
    const { token, apiKey, serviceAccount } = this.options.auth;
    if (apiKey) params.set('key', apiKey);
    if (serviceAccount) {
      try {
        headers.authorization = `Bearer ${await serviceAccount.token()}`;
      } catch (err) {
        throw new SheetsApiError(401, 'UNAUTHENTICATED', `Service-account token fetch failed: ${(err as Error).message}`, 'TOKEN_FETCH_FAILED');
      }
    } else if (token) headers.authorization = `Bearer ${token}`;
    const request = currentRequest();
    if (request?.traceparent) headers.traceparent = request.traceparent;
    // Sim-clock mode: the call happens at the request's virtual now (docs/backend.md, "exact-mode time channel").
    if (request?.simClock) headers[SIM_TIME_HEADER] = String(Math.round(request.nowMs));
    if (body !== undefined) headers['content-type'] = 'application/json';
    const qs = params.toString();
    const path = `${this.basePath}/v4/spreadsheets/${encodeURIComponent(this.options.spreadsheetId)}${suffix}${qs ? `?${qs}` : ''}`;
    let res: RawResponse;
    try {
      res = await exchange(this.dispatcher, { ...(this.origin ? { origin: this.origin } : {}), path, method: verb, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (err) {
      // A body cut off after the headers still moves the virtual now by the latency the mock answered.
      if (err instanceof ExchangeError && err.headers) this.advance(request, err.headers);
      throw networkError(err instanceof ExchangeError ? err.cause : err);
    }
    this.advance(request, res.headers);
    const text = res.text;
    if (res.statusCode < 200 || res.statusCode >= 300) throw parseSheetsError(res.statusCode, text, res.headers['retry-after']);
    try {
      return text ? JSON.parse(text) : {};
    } catch {
      throw new SheetsApiError(502, 'UNKNOWN', `Sheets API answered ${res.statusCode} with a body that is not JSON`, 'BAD_BODY');
    }
  }

  /** The mock's modelled latency of a call moves the request's virtual now past it (sim-clock mode). */
  private advance(request: RequestContext | undefined, headers: Record<string, string | string[] | undefined>): void {
    if (!request?.simClock) return;
    const latency = Number(headers[LATENCY_HEADER]);
    if (Number.isFinite(latency) && latency > 0) {
      request.nowMs += latency;
      request.sheetsMs = (request.sheetsMs ?? 0) + latency;
    }
  }
}

interface RawResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** A failed exchange; `headers` is set when the response's headers had arrived before the failure. */
class ExchangeError extends Error {
  constructor(
    override readonly cause: unknown,
    readonly headers: Record<string, string | string[] | undefined> | null,
  ) {
    super('exchange failed');
  }
}

/**
 * Raw response headers (name, value, name, value…) as an object, as undici's `util.parseHeaders` makes it: names
 * lower-cased, a repeated header's values in an array in order, each byte as one character (latin1).
 */
export function parseRawHeaders(raw: Buffer[]): Record<string, string | string[] | undefined> {
  const out: Record<string, string | string[] | undefined> = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toString('latin1').toLowerCase();
    const value = raw[i + 1]!.toString('latin1');
    const before = Object.hasOwn(out, name) ? out[name] : undefined;
    // defineProperty: a header named `__proto__` is an own key, not the object's prototype (as undici has it)
    if (before === undefined) Object.defineProperty(out, name, { value, enumerable: true, configurable: true, writable: true });
    else if (typeof before === 'string') out[name] = [before, value];
    else before.push(value);
  }
  return out;
}

/** The body as UTF-8 text, a leading byte-order mark skipped (as undici's `body.text()` does). */
function utf8Text(chunks: Buffer[]): string {
  const buffer = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  const bom = buffer.length > 2 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf;
  return buffer.toString('utf8', bom ? 3 : 0);
}

/**
 * One request through `dispatcher.dispatch` with a handler that collects the body as text: what `request()` +
 * `body.text()` give (status, lower-cased headers, UTF-8 body) without the body stream and async resource they
 * build per call, which cost more than the rest of a call to an in-process mock.
 */
function exchange(dispatcher: Dispatcher, opts: Dispatcher.DispatchOptions): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let statusCode = 0;
    let headers: Record<string, string | string[] | undefined> | null = null;
    const chunks: Buffer[] = [];
    let settled = false;
    const fail = (err: unknown): void => {
      if (settled) return;
      settled = true;
      reject(new ExchangeError(err, headers));
    };
    const handler: Dispatcher.DispatchHandler = {
      onConnect() {},
      onHeaders(status, rawHeaders) {
        if (status < 200) return true; // 1xx: the final response follows
        statusCode = status;
        headers = parseRawHeaders(rawHeaders as unknown as Buffer[]);
        return true;
      },
      onData(chunk) {
        chunks.push(chunk);
        return true;
      },
      onComplete() {
        if (settled) return;
        settled = true;
        resolve({ statusCode, headers: headers ?? {}, text: utf8Text(chunks) });
      },
      onError: fail,
    };
    try {
      dispatcher.dispatch(opts, handler);
    } catch (err) {
      fail(err);
    }
  });
}

/** Header carrying a Sheets call's virtual instant (epoch ms) to sheetsim's mock in sim-clock mode. */
const SIM_TIME_HEADER = 'x-sheetsim-time';
/** Header sheetsim's mock answers with the call's modelled latency (ms). */
const LATENCY_HEADER = 'x-sheetsim-latency-ms';

function unformatted(): Record<string, string> {
  return { valueRenderOption: 'UNFORMATTED_VALUE', dateTimeRenderOption: 'SERIAL_NUMBER' };
}
