/**
 * The import round trip: a generated trace replayed in exact mode against the reference backend, its Metadata read
 * back through the mock's Sheets API and imported, gives back the same requests at the same times (Metadata keeps
 * whole seconds, so `t` comes back floored to the second).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBackend } from '../../backend/app.ts';
import { buildMockSheets } from '../../mock-sheets/app.ts';
import { importTrace } from '../../simulator/import/import-trace.ts';
import { executeRun, traceEpochMs } from '../../simulator/replay/orchestrate.ts';
import { collectTrace } from '../../simulator/trace/reader.ts';
import { generateTrace } from '../../simulator/workload/generate.ts';
import { defaultTraceOptions } from '../../simulator/workload/profiles.ts';
import { generateWorld } from '../../simulator/workload/world.ts';
import { tempDir } from '../e2e/helpers.ts';

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no port');
  return `http://127.0.0.1:${addr.port}`;
}

describe('sheetsim import round trip', () => {
  const dir = tempDir('sheetsim-import-');
  let mock: FastifyInstance;
  let backend: FastifyInstance;
  let mockUrl: string;
  let backendUrl: string;
  const options = { ...defaultTraceOptions, seed: 11, workers: 6, durationMs: 150_000, spools: 300, conflicts: 0 };
  const tracePath = join(dir, 'generated.jsonl');

  beforeAll(async () => {
    const generated = await generateTrace(options, tracePath);
    const world = { seed: options.seed, spools: options.spools, workers: options.payroll, startDate: options.startDate };
    mock = await buildMockSheets({
      workbook: generateWorld(world).workbook,
      loadWorkbook: (seed: number) => generateWorld({ ...world, seed }).workbook,
      seed: options.seed,
      latency: 'off',
      quota: 'off',
      clock: 'virtual',
      speed: 1,
      startMs: traceEpochMs(generated.header),
    });
    mockUrl = await listen(mock);
    backend = await buildBackend({ sheetsUrl: mockUrl, spreadsheetId: `zeues-seed-${options.seed}`, token: 't', profile: 'lean', simClock: true, seed: options.seed, speed: 1 });
    backendUrl = await listen(backend);
  });

  afterAll(async () => {
    await backend?.close();
    await mock?.close();
  });

  it('gives back every successful INICIAR and FINALIZAR with the same body, worker and second', async () => {
    const run = await executeRun({
      tracePath, mode: 'exact', speed: 1, target: { kind: 'url', url: backendUrl, sheetsUrl: mockUrl }, latency: 'off', quota: 'off',
      timeoutMs: 30_000, readyTimeoutMs: 10_000, shard: null, label: null, outDir: join(dir, 'run'), gates: null, options: {},
      cwd: dir, env: process.env, version: 'test',
    });
    const outcomes = readFileSync(join(run.dir, 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { seq: number; status: number | null });
    const ok = new Set(outcomes.filter((o) => o.status === 200).map((o) => o.seq));
    const original = (await collectTrace(tracePath)).events.filter((e) => (e.op === 'iniciar' || e.op === 'finalizar') && ok.has(e.seq));
    expect(original.length).toBeGreaterThan(20);

    const imported = await importTrace({
      source: { kind: 'sheets', url: mockUrl, spreadsheetId: `zeues-seed-${options.seed}`, token: 't', sheet: 'Metadata', timeoutMs: 10_000 },
      timeZone: 'America/Santiago', from: null, to: null, scale: 1, seed: 0, outPath: join(dir, 'imported.jsonl'),
    });
    expect(imported.report.unmapped).toEqual([]);
    expect(imported.report.predictedFailures).toEqual({});
    const back = (await collectTrace(imported.path)).events;
    expect(back.map((e) => e.req)).toEqual(original.map((e) => e.req));
    expect(back.map((e) => e.t)).toEqual(original.map((e) => Math.floor(e.t / 1000) * 1000));
    expect(back.map((e) => e.worker)).toEqual(original.map((e) => e.worker));
    expect(back.map((e) => e.scenario)).toEqual(original.map((e) => e.scenario));
    expect(imported.header.params.import?.source).toContain(mockUrl);

    // The imported trace replays: against its own rebuilt world every request succeeds as it did in production.
    const again = await executeRun({
      tracePath: imported.path, mode: 'exact', speed: 1, target: { kind: 'embedded', backendProfile: 'lean' }, latency: 'off', quota: 'off',
      timeoutMs: 30_000, readyTimeoutMs: 10_000, shard: null, label: null, outDir: join(dir, 'run-imported'), gates: null, options: {},
      cwd: dir, env: process.env, version: 'test',
    });
    expect(again.report.totals.requests).toBe(back.length);
    expect(again.report.totals.ok).toBe(back.length);
  });
});
