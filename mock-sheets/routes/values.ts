/**
 * spreadsheets.values.* routes with Google's paths. Fastify cannot express `{range}:append` (§C.2 of the API
 * notes), so one POST route takes `/values/:rangeVerb` and splits it on the last `:`; ranges are cut from the raw
 * URL and decoded here, so `%21`, `%27`, `%3A` and `%2F` all arrive intact.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SheetsMethod } from '../admin-types.ts';
import { badRequest, GoogleError } from '../errors.ts';
import { handleCall, requireSpreadsheet, sendError, type Prepared, type SheetsContext } from '../pipeline.ts';
import { checkBodyRange, rangeText, resolveRange } from '../ranges.ts';
import { appendRows, clearRange, readRange, sizeOf, updateRange } from '../value-ops.ts';
import {
  bodyObject,
  bodyRanges,
  checkQueryNames,
  insertDataOption,
  parseJsonBody,
  queryRanges,
  queryValueInputOption,
  readOptions,
  responseOptions,
  rowsOf,
  valueInputOption,
  valueRange,
  type Query,
} from '../wire.ts';

const READ_PARAMS = ['majorDimension', 'valueRenderOption', 'dateTimeRenderOption'];
const RESPONSE_PARAMS = ['includeValuesInResponse', 'responseValueRenderOption', 'responseDateTimeRenderOption'];

interface IdParams {
  spreadsheetId: string;
}

/** The still-encoded path segment after `/values/` (up to the query string). */
function rawRangeSegment(url: string): string {
  const path = url.split('?', 1)[0]!;
  const at = path.indexOf('/values/');
  return at === -1 ? '' : path.slice(at + '/values/'.length);
}

function decodeRange(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw badRequest(`Unable to parse range: ${raw}`);
  }
}

/** Register values.get, update, append, clear, batchGet, batchUpdate and batchClear. */
export function registerValuesRoutes(app: FastifyInstance, ctx: SheetsContext): void {
  const { store } = ctx;

  const call = (req: FastifyRequest<{ Params: IdParams }>, reply: FastifyReply, method: SheetsMethod, prepare: (query: Query) => Prepared) =>
    handleCall(ctx, req, reply, method, req.params.spreadsheetId, () => prepare(req.query as Query));

  const sheetsOf = (id: string) => {
    requireSpreadsheet(store, id);
    return store.sheets(id);
  };

  app.get<{ Params: IdParams }>('/v4/spreadsheets/:spreadsheetId/values/:range', (req, reply) =>
    call(req, reply, 'values.get', (query) => {
      checkQueryNames(query, READ_PARAMS);
      const options = readOptions(query);
      const id = req.params.spreadsheetId;
      const target = resolveRange(sheetsOf(id), decodeRange(rawRangeSegment(req.url)));
      return {
        spreadsheetId: id,
        ranges: [rangeText(target.sheet, target.rect)],
        run: () => {
          const body = readRange(store, target.sheet, target.rect, options);
          return { body, ...sizeOf(body) };
        },
      };
    }),
  );

  app.put<{ Params: IdParams }>('/v4/spreadsheets/:spreadsheetId/values/:range', (req, reply) =>
    call(req, reply, 'values.update', (query) => {
      checkQueryNames(query, ['valueInputOption', ...RESPONSE_PARAMS]);
      const option = queryValueInputOption(query);
      const response = responseOptions(query);
      const input = valueRange(parseJsonBody(req.body as string | undefined));
      const id = req.params.spreadsheetId;
      const sheets = sheetsOf(id);
      const urlRange = decodeRange(rawRangeSegment(req.url));
      const target = resolveRange(sheets, urlRange);
      checkBodyRange(sheets, urlRange, target, input.range);
      return {
        spreadsheetId: id,
        ranges: [rangeText(target.sheet, target.rect)],
        run: () => {
          const body = updateRange(store, id, target, rowsOf(input), option, response);
          return { body, rows: body.updatedRows ?? 0, cells: body.updatedCells ?? 0, ranges: [body.updatedRange] };
        },
      };
    }),
  );

  app.post<{ Params: IdParams }>('/v4/spreadsheets/:spreadsheetId/values/:rangeVerb', (req, reply) => {
    const segment = rawRangeSegment(req.url);
    const colon = segment.lastIndexOf(':');
    const verb = colon === -1 ? '' : segment.slice(colon + 1);
    const rawRange = colon === -1 ? segment : segment.slice(0, colon);
    const id = req.params.spreadsheetId;
    if (verb === 'append') {
      return call(req, reply, 'values.append', (query) => {
        checkQueryNames(query, ['valueInputOption', 'insertDataOption', ...RESPONSE_PARAMS]);
        const option = queryValueInputOption(query);
        const insert = insertDataOption(query);
        const response = responseOptions(query);
        const input = valueRange(parseJsonBody(req.body as string | undefined));
        const sheets = sheetsOf(id);
        const urlRange = decodeRange(rawRange);
        const search = resolveRange(sheets, urlRange, true);
        checkBodyRange(sheets, urlRange, search, input.range, true);
        return {
          spreadsheetId: id,
          ranges: [rangeText(search.sheet, search.rect)],
          run: () => {
            const body = appendRows(store, id, sheets, search, rowsOf(input), option, insert, response);
            return { body: { spreadsheetId: id, ...body }, rows: body.updates.updatedRows ?? 0, cells: body.updates.updatedCells ?? 0, ranges: [body.updates.updatedRange] };
          },
        };
      });
    }
    if (verb === 'clear') {
      return call(req, reply, 'values.clear', (query) => {
        checkQueryNames(query, []);
        bodyObject(parseJsonBody(req.body as string | undefined), []);
        const target = resolveRange(sheetsOf(id), decodeRange(rawRange));
        const cleared = rangeText(target.sheet, target.rect);
        return {
          spreadsheetId: id,
          ranges: [cleared],
          run: () => ({ body: { spreadsheetId: id, clearedRange: clearRange(store, target) }, rows: 0, cells: 0 }),
        };
      });
    }
    const err = new GoogleError(404, `sheetsim does not serve POST .../values/{range}:${verb || '<no method>'} (supported: :append, :clear)`, 'notFound');
    return sendError(reply, err, ctx.legacyErrors);
  });

  app.get<{ Params: IdParams }>('/v4/spreadsheets/:spreadsheetId/values::batchGet', (req, reply) =>
    call(req, reply, 'values.batchGet', (query) => {
      checkQueryNames(query, ['ranges', ...READ_PARAMS]);
      const options = readOptions(query);
      const id = req.params.spreadsheetId;
      const sheets = sheetsOf(id);
      const targets = queryRanges(query).map((r) => resolveRange(sheets, r));
      return {
        spreadsheetId: id,
        ranges: targets.map((t) => rangeText(t.sheet, t.rect)),
        run: () => {
          let rows = 0;
          let cells = 0;
          const valueRanges = targets.map((t) => {
            const out = readRange(store, t.sheet, t.rect, options);
            const size = sizeOf(out);
            rows += size.rows;
            cells += size.cells;
            return out;
          });
          return { body: { spreadsheetId: id, valueRanges }, rows, cells };
        },
      };
    }),
  );

  app.post<{ Params: IdParams }>('/v4/spreadsheets/:spreadsheetId/values::batchUpdate', (req, reply) =>
    call(req, reply, 'values.batchUpdate', (query) => {
      checkQueryNames(query, []);
      const body = bodyObject(parseJsonBody(req.body as string | undefined), ['valueInputOption', 'data', ...RESPONSE_PARAMS]);
      const option = valueInputOption(body.valueInputOption);
      const response = responseOptions(body, true);
      const rawData = body.data ?? [];
      if (!Array.isArray(rawData)) throw badRequest(`Invalid JSON payload received. Invalid value at 'data': expected an array of ValueRanges, got ${JSON.stringify(rawData)}.`);
      const data = rawData.map((entry, i) => valueRange(entry, `data[${i}]`));
      const id = req.params.spreadsheetId;
      const sheets = sheetsOf(id);
      const targets = data.map((entry, i) => {
        if (entry.range === undefined) throw badRequest(`Invalid data[${i}]: range is required`);
        try {
          return resolveRange(sheets, entry.range);
        } catch (err) {
          if (err instanceof GoogleError) throw badRequest(`Invalid data[${i}]: ${err.message}`);
          throw err;
        }
      });
      return {
        spreadsheetId: id,
        ranges: targets.map((t) => rangeText(t.sheet, t.rect)),
        run: () => {
          let totalRows = 0;
          let totalColumns = 0;
          let totalCells = 0;
          const touched = new Set<number>();
          const responses = data.map((entry, i) => {
            const target = targets[i]!;
            let out;
            try {
              out = updateRange(store, id, target, rowsOf(entry), option, response);
            } catch (err) {
              if (err instanceof GoogleError) throw badRequest(`Invalid data[${i}]: ${err.message}`);
              throw err;
            }
            totalRows += out.updatedRows ?? 0;
            totalColumns += out.updatedColumns ?? 0;
            totalCells += out.updatedCells ?? 0;
            if ((out.updatedCells ?? 0) > 0) touched.add(target.sheet.sid);
            return out;
          });
          const result: Record<string, unknown> = { spreadsheetId: id };
          if (totalRows > 0) result.totalUpdatedRows = totalRows;
          if (totalColumns > 0) result.totalUpdatedColumns = totalColumns;
          if (totalCells > 0) result.totalUpdatedCells = totalCells;
          if (touched.size > 0) result.totalUpdatedSheets = touched.size;
          result.responses = responses;
          return { body: result, rows: totalRows, cells: totalCells, ranges: responses.map((r) => r.updatedRange) };
        },
      };
    }),
  );

  app.post<{ Params: IdParams }>('/v4/spreadsheets/:spreadsheetId/values::batchClear', (req, reply) =>
    call(req, reply, 'values.batchClear', (query) => {
      checkQueryNames(query, []);
      const ranges = bodyRanges(parseJsonBody(req.body as string | undefined));
      const id = req.params.spreadsheetId;
      const sheets = sheetsOf(id);
      const targets = ranges.map((r) => resolveRange(sheets, r));
      const cleared = targets.map((t) => rangeText(t.sheet, t.rect));
      return {
        spreadsheetId: id,
        ranges: cleared,
        run: () => {
          for (const t of targets) clearRange(store, t);
          return { body: { spreadsheetId: id, clearedRanges: cleared }, rows: 0, cells: 0 };
        },
      };
    }),
  );
}
