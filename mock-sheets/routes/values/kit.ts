/**
 * What every spreadsheets.values.* route file shares: the call wrapper over the pipeline (auth, quota, latency,
 * call log), the spreadsheet lookup, and the range cut from the raw URL. Ranges are taken from the raw URL and
 * decoded here, so `%21`, `%27`, `%3A` and `%2F` all arrive intact (Fastify's params would decode them first).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SheetsMethod } from '../../admin-types.ts';
import { badRequest } from '../../errors.ts';
import { handleCall, requireSpreadsheet, type Prepared, type SheetsContext } from '../../pipeline.ts';
import type { SheetsStore } from '../../store.ts';
import type { Query } from '../../wire.ts';

export const READ_PARAMS = ['majorDimension', 'valueRenderOption', 'dateTimeRenderOption'];
export const RESPONSE_PARAMS = ['includeValuesInResponse', 'responseValueRenderOption', 'responseDateTimeRenderOption'];

export interface IdParams {
  spreadsheetId: string;
}

export type ValuesRequest = FastifyRequest<{ Params: IdParams }>;

export interface ValuesKit {
  ctx: SheetsContext;
  store: SheetsStore;
  /** Run one Sheets call through the pipeline; `prepare` validates the request and returns the work to do. */
  call(req: ValuesRequest, reply: FastifyReply, method: SheetsMethod, prepare: (query: Query) => Prepared): Promise<FastifyReply | void>;
  /** The sheets of a spreadsheet (404 when it does not exist). */
  sheetsOf(id: string): ReturnType<SheetsStore['sheets']>;
}

export function valuesKit(ctx: SheetsContext): ValuesKit {
  const { store } = ctx;
  return {
    ctx,
    store,
    call: (req, reply, method, prepare) => handleCall(ctx, req, reply, method, req.params.spreadsheetId, () => prepare(req.query as Query)),
    sheetsOf: (id) => {
      requireSpreadsheet(store, id);
      return store.sheets(id);
    },
  };
}

/** The still-encoded path segment after `/values/` (up to the query string). */
export function rawRangeSegment(url: string): string {
  const path = url.split('?', 1)[0]!;
  const at = path.indexOf('/values/');
  return at === -1 ? '' : path.slice(at + '/values/'.length);
}

export function decodeRange(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw badRequest(`Unable to parse range: ${raw}`);
  }
}
