/** values.update, values.batchUpdate and values.append (the append itself is reached through `:rangeVerb`). */
import type { FastifyInstance } from 'fastify';
import { badRequest, GoogleError } from '../../errors.ts';
import type { Prepared } from '../../pipeline.ts';
import { checkBodyRange, rangeText, resolveRange } from '../../ranges.ts';
import { appendRows, updateRange } from '../../value-ops.ts';
import {
  bodyObject,
  checkQueryNames,
  insertDataOption,
  parseJsonBody,
  queryValueInputOption,
  responseOptions,
  rowsOf,
  valueInputOption,
  valueRange,
  type Query,
} from '../../wire.ts';
import { type IdParams, RESPONSE_PARAMS, type ValuesKit, type ValuesRequest, decodeRange, rawRangeSegment } from './kit.ts';

export function registerWriteRoutes(app: FastifyInstance, kit: ValuesKit): void {
  const { store, call, sheetsOf } = kit;

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
}

/** values.append of `rawRange` (still encoded), for the `:rangeVerb` route. */
export function prepareAppend(kit: ValuesKit, req: ValuesRequest, rawRange: string): (query: Query) => Prepared {
  const { store, sheetsOf } = kit;
  return (query) => {
    const id = req.params.spreadsheetId;
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
  };
}
