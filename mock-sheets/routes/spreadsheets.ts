/**
 * spreadsheets.get, spreadsheets.create and spreadsheets.batchUpdate with Google's paths. `POST /{id}:batchUpdate`
 * cannot be a Fastify route of its own (§C.2), so one `POST /v4/spreadsheets/:idVerb` splits on the last `:`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { badRequest, GoogleError } from '../errors.ts';
import { handleCall, requireSpreadsheet, sendError, type SheetsContext } from '../pipeline.ts';
import { rangeText, resolveRange } from '../ranges.ts';
import { batchUpdateSpreadsheet, createSpreadsheet, spreadsheetResource } from '../sheet-ops.ts';
import { checkQueryNames, parseBool, parseJsonBody, queryRanges, type Query } from '../wire.ts';

/** Register spreadsheets.get, spreadsheets.create and spreadsheets.batchUpdate. */
export function registerSpreadsheetRoutes(app: FastifyInstance, ctx: SheetsContext): void {
  const { store } = ctx;

  app.get<{ Params: { spreadsheetId: string } }>('/v4/spreadsheets/:spreadsheetId', (req, reply) => {
    const id = req.params.spreadsheetId;
    return handleCall(ctx, req, reply, 'spreadsheets.get', id, () => {
      const query = req.query as Query;
      checkQueryNames(query, ['ranges', 'includeGridData', 'excludeTablesInBandedRanges']);
      const gridData = Array.isArray(query.includeGridData) ? query.includeGridData.at(-1) : query.includeGridData;
      if (parseBool(gridData, 'include_grid_data', true)) throw badRequest('sheetsim does not support includeGridData=true; read cell values with spreadsheets.values.get (see docs/fidelity.md)');
      const spreadsheet = requireSpreadsheet(store, id);
      const sheets = store.sheets(id);
      const ranges = queryRanges(query);
      const resolved = ranges.map((r) => resolveRange(sheets, r, true));
      return {
        spreadsheetId: id,
        ranges: resolved.map((t) => rangeText(t.sheet, t.rect)),
        run: () => ({ body: spreadsheetResource(spreadsheet, sheets, ranges), rows: 0, cells: 0 }),
      };
    });
  });

  app.post('/v4/spreadsheets', (req: FastifyRequest, reply) =>
    handleCall(ctx, req, reply, 'spreadsheets.create', '', () => {
      checkQueryNames(req.query as Query, []);
      const body = parseJsonBody(req.body as string | undefined);
      return {
        spreadsheetId: '',
        ranges: [],
        run: () => {
          const created = createSpreadsheet(store, ctx.seed, body) as { spreadsheetId: string };
          return { body: created, rows: 0, cells: 0, spreadsheetId: created.spreadsheetId };
        },
      };
    }),
  );

  app.post<{ Params: { idVerb: string } }>('/v4/spreadsheets/:idVerb', (req, reply) => {
    const idVerb = req.params.idVerb;
    const colon = idVerb.lastIndexOf(':');
    const id = colon === -1 ? idVerb : idVerb.slice(0, colon);
    const verb = colon === -1 ? '' : idVerb.slice(colon + 1);
    if (verb !== 'batchUpdate') {
      const err = new GoogleError(404, `sheetsim does not serve POST /v4/spreadsheets/{id}:${verb || '<no method>'} (supported: :batchUpdate)`, 'notFound');
      return sendError(reply, err, ctx.legacyErrors);
    }
    return handleCall(ctx, req, reply, 'spreadsheets.batchUpdate', id, () => {
      checkQueryNames(req.query as Query, []);
      const body = parseJsonBody(req.body as string | undefined);
      const spreadsheet = requireSpreadsheet(store, id);
      return {
        spreadsheetId: id,
        ranges: [],
        run: () => {
          const { replies } = batchUpdateSpreadsheet(store, spreadsheet, body);
          return { body: { spreadsheetId: id, replies }, rows: 0, cells: 0 };
        },
      };
    });
  });
}
