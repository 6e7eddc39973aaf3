/** Helpers for end-to-end runs of the CLI: captured output, a small generated trace, temp folders, a mock + backend pair. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { buildBackend } from '../../backend/app.ts';
import { buildMockSheets } from '../../mock-sheets/app.ts';
import type { EventRecord, Report } from '../../simulator/report/model.ts';
import { readTrace } from '../../simulator/trace/reader.ts';
import { generateTrace } from '../../simulator/workload/generate.ts';
import { defaultTraceOptions } from '../../simulator/workload/profiles.ts';
import { generateWorld } from '../../simulator/workload/world.ts';
import { type CliRun, REPO, runCli } from '../run-cli.ts';

export { REPO };

/** A run's report.json. */
export const readReport = (dir: string): Report => JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;

/** A run's events.jsonl, one record per line. */
export const readEvents = (dir: string): EventRecord[] =>
  readFileSync(join(dir, 'events.jsonl'), 'utf8').trim().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as EventRecord);

/** A temp folder. */
export function tempDir(prefix = 'sheetsim-e2e-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Generate a short trace (10 workers, 1 minute by default) into `dir`. */
export async function smallTrace(dir: string, overrides: Partial<typeof defaultTraceOptions> = {}): Promise<string> {
  const path = join(dir, 'trace.jsonl');
  await generateTrace({ ...defaultTraceOptions, seed: 7, workers: 10, durationMs: 60_000, ...overrides }, path);
  return path;
}

/** `sheetsim ARGS` in-process, output captured (test/run-cli.ts), from the repository with this process's env. */
export const cli = (args: string[], opts: { signal?: AbortSignal; cwd?: string } = {}): Promise<CliRun> => runCli(args, opts);

/** The `digest:` line of a run's stdout. */
export function digestOf(stdout: string): string | null {
  return /^digest: ([0-9a-f]{64})$/m.exec(stdout)?.[1] ?? null;
}

/** Listen on a free loopback port; resolves with the base URL. */
export async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
}

/**
 * A fresh mock and reference backend on the trace's world (the backend caches what it read, so each run gets its
 * own pair); both are pushed onto `servers` for the caller to close.
 */
export async function startPair(trace: string, servers: FastifyInstance[]): Promise<{ mockUrl: string; backendUrl: string }> {
  const header = (await readTrace(trace)).header;
  const world = generateWorld(header.world);
  const mock = await buildMockSheets({ workbook: world.workbook, seed: header.world.seed });
  servers.push(mock);
  const mockUrl = await listen(mock);
  const backend = await buildBackend({ sheetsUrl: mockUrl, spreadsheetId: world.workbook.spreadsheetId, token: 'test' });
  servers.push(backend);
  return { mockUrl, backendUrl: await listen(backend) };
}

/**
 * For a describe block whose runs must not depend on how workers interleave (threads, shards): a temp folder and a
 * small trace without conflicts (each worker touches only its own spools), made before its tests; the mock +
 * backend pairs its tests start (`startPair(fx.trace, fx.servers)`) are closed after them.
 */
export function conflictFreeFixture(): { dir: string; trace: string; servers: FastifyInstance[] } {
  const fx = { dir: '', trace: '', servers: [] as FastifyInstance[] };
  beforeAll(async () => {
    fx.dir = tempDir();
    fx.trace = await smallTrace(fx.dir, { conflicts: 0 });
  });
  afterAll(async () => {
    for (const s of fx.servers.reverse()) await s.close();
  });
  return fx;
}

