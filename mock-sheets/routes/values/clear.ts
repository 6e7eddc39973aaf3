/** values.batchClear, and values.clear (reached through `:rangeVerb`). */
import type { FastifyInstance } from 'fastify';
import type { Prepared } from '../../pipeline.ts';
import { rangeText, resolveRange } from '../../ranges.ts';
import { clearRange } from '../../value-ops.ts';
import { bodyObject, bodyRanges, checkQueryNames, parseJsonBody, type Query } from '../../wire.ts';
import { type IdParams, type ValuesKit, type ValuesRequest, decodeRange } from './kit.ts';

export function registerClearRoutes(app: FastifyInstance, kit: ValuesKit): void {
  const { store, call, sheetsOf } = kit;

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

/** values.clear of `rawRange` (still encoded), for the `:rangeVerb` route. */
export function prepareClear(kit: ValuesKit, req: ValuesRequest, rawRange: string): (query: Query) => Prepared {
  const { store, sheetsOf } = kit;
  return (query) => {
    const id = req.params.spreadsheetId;
    checkQueryNames(query, []);
    bodyObject(parseJsonBody(req.body as string | undefined), []);
    const target = resolveRange(sheetsOf(id), decodeRange(rawRange));
    const cleared = rangeText(target.sheet, target.rect);
    return {
      spreadsheetId: id,
      ranges: [cleared],
      run: () => ({ body: { spreadsheetId: id, clearedRange: clearRange(store, target) }, rows: 0, cells: 0 }),
    };
  };
}
