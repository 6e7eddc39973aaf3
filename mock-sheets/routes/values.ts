/**
 * spreadsheets.values.* routes with Google's paths, one file per method family under routes/values/: read (get,
 * batchGet), write (update, batchUpdate, append), clear (clear, batchClear). Fastify cannot express
 * `{range}:append` (§C.2 of the API notes), so one POST route here takes `/values/:rangeVerb`, splits it on the
 * last `:` and hands the request to the append or clear of its family.
 */
import type { FastifyInstance } from 'fastify';
import { GoogleError } from '../errors.ts';
import { sendError, type SheetsContext } from '../pipeline.ts';
import { prepareClear, registerClearRoutes } from './values/clear.ts';
import { type IdParams, rawRangeSegment, valuesKit } from './values/kit.ts';
import { registerReadRoutes } from './values/read.ts';
import { prepareAppend, registerWriteRoutes } from './values/write.ts';

/** Register values.get, update, append, clear, batchGet, batchUpdate and batchClear. */
export function registerValuesRoutes(app: FastifyInstance, ctx: SheetsContext): void {
  const kit = valuesKit(ctx);
  registerReadRoutes(app, kit);
  registerWriteRoutes(app, kit);
  registerClearRoutes(app, kit);

  app.post<{ Params: IdParams }>('/v4/spreadsheets/:spreadsheetId/values/:rangeVerb', (req, reply) => {
    const segment = rawRangeSegment(req.url);
    const colon = segment.lastIndexOf(':');
    const verb = colon === -1 ? '' : segment.slice(colon + 1);
    const rawRange = colon === -1 ? segment : segment.slice(0, colon);
    if (verb === 'append') return kit.call(req, reply, 'values.append', prepareAppend(kit, req, rawRange));
    if (verb === 'clear') return kit.call(req, reply, 'values.clear', prepareClear(kit, req, rawRange));
    const err = new GoogleError(404, `sheetsim does not serve POST .../values/{range}:${verb || '<no method>'} (supported: :append, :clear)`, 'notFound');
    return sendError(reply, err, ctx.legacyErrors);
  });
}
