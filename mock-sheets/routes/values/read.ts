/** values.get and values.batchGet. */
import type { FastifyInstance } from 'fastify';
import { rangeText, resolveRange } from '../../ranges.ts';
import { readRange, sizeOf } from '../../value-ops.ts';
import { checkQueryNames, queryRanges, readOptions } from '../../wire.ts';
import { type IdParams, READ_PARAMS, type ValuesKit, decodeRange, rawRangeSegment } from './kit.ts';

export function registerReadRoutes(app: FastifyInstance, kit: ValuesKit): void {
  const { store, call, sheetsOf } = kit;

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
}
