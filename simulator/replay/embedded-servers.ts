/**
 * The embedded target's servers: the mock Sheets API for a trace's world and, unless only the mock is wanted,
 * the reference backend in front of it, both on free loopback ports. The one place they are started from run
 * settings: the `__embedded-target` child process runs it (so the target's CPU and memory are not the
 * replayer's), and tests call it directly.
 */
import type { FastifyInstance } from 'fastify';
import { buildBackend } from '../../backend/app.ts';
import { buildMockSheets } from '../../mock-sheets/app.ts';
import { InProcessDispatcher } from './embedded-dispatcher.ts';
import { generateWorld, worldWorkbooks } from '../workload/world.ts';
import type { WorldParams } from '../trace/types.ts';
import { worldStore } from './world-cache.ts';

/** What the embedded mock is seeded and configured with. */
export interface MockSettings {
  world: WorldParams;
  mode: 'realtime' | 'exact';
  speed: number;
  /** Epoch ms of trace time 0 (mock clock start). */
  epochMs: number;
  latency: 'off' | 'realistic';
  quota: 'on' | 'off';
}

/** What the embedded child is started with (sent to it as JSON). */
export interface EmbeddedSettings extends MockSettings {
  /** Profile of the reference backend, or null for the mock alone (a --target-cmd backend talks to it). */
  backendProfile: 'lean' | 'zeues' | null;
  /**
   * Exact mode: the child warms its backend up itself before it says it is ready (embedded-exact.ts, `warmUpInside`),
   * answering within this many ms; absent, the replayer sends the warm-up over HTTP.
   */
  warmupTimeoutMs?: number;
}

/** The running servers. */
export interface EmbeddedServers {
  /** Backend base URL, or null when only the mock runs. */
  url: string | null;
  sheetsUrl: string;
  spreadsheetId: string;
  /** The audit workbook served next to the main one (a backend of the founding users' shape needs both). */
  auditSpreadsheetId: string;
  /** The Fastify apps themselves (exact mode's schedule runs next to them: embedded-exact.ts). */
  apps: { backend: FastifyInstance | null; mock: FastifyInstance };
  close(): Promise<void>;
}

async function listenLocal(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('server did not bind a TCP port');
  return `http://127.0.0.1:${addr.port}`;
}

/** Start the mock Sheets API for a world on a free loopback port. */
async function startMock(s: MockSettings): Promise<{ app: FastifyInstance; url: string; spreadsheetId: string; auditSpreadsheetId: string }> {
  // The main workbook and the audit one a real backend refuses to boot without, reset together; opened from the
  // cache of built worlds when this code built this world before (world-cache.ts).
  const world = worldStore(s.world);
  const app = await buildMockSheets({
    store: world.store,
    loadWorkbook: (seed: number) => worldWorkbooks(generateWorld({ ...s.world, seed })),
    seed: s.world.seed,
    latency: s.latency,
    quota: s.quota,
    clock: s.mode === 'exact' ? 'virtual' : 'wall',
    speed: s.mode === 'exact' ? 1 : s.speed,
    startMs: s.epochMs,
  });
  const url = await listenLocal(app);
  return { app, url, spreadsheetId: world.spreadsheetId, auditSpreadsheetId: world.auditSpreadsheetId };
}

/** Start the mock, then (unless `backendProfile` is null) the reference backend against it. */
export async function startEmbeddedServers(spec: EmbeddedSettings): Promise<EmbeddedServers> {
  const mock = await startMock(spec);
  if (spec.backendProfile === null) {
    return { url: null, sheetsUrl: mock.url, spreadsheetId: mock.spreadsheetId, auditSpreadsheetId: mock.auditSpreadsheetId, apps: { backend: null, mock: mock.app }, close: () => mock.app.close() };
  }
  let backend: FastifyInstance;
  try {
    backend = await buildBackend({
      sheetsUrl: mock.url,
      spreadsheetId: mock.spreadsheetId,
      token: 'sheetsim-embedded',
      profile: spec.backendProfile,
      simClock: spec.mode === 'exact',
      seed: spec.world.seed,
      speed: spec.mode === 'exact' ? 1 : spec.speed,
      // Exact mode: the backend's Sheets calls reach the mock in this process without a socket hop, so `compute`
      // is the backend's and the mock's own time (docs/time-model.md). Realtime keeps real HTTP: there the
      // transport's cost is part of what is measured.
      ...(spec.mode === 'exact' ? { sheetsDispatcher: new InProcessDispatcher(mock.app) } : {}),
    });
  } catch (err) {
    await mock.app.close();
    throw err;
  }
  const url = await listenLocal(backend);
  return {
    url,
    sheetsUrl: mock.url,
    spreadsheetId: mock.spreadsheetId,
    auditSpreadsheetId: mock.auditSpreadsheetId,
    apps: { backend, mock: mock.app },
    async close() {
      await backend.close();
      await mock.app.close();
    },
  };
}
