/**
 * Targets: where the replayer sends requests and how it reads the mock. One interface, three kinds:
 * embedded (mock + reference backend in-process), url (an already running backend, optionally its mock) and
 * command (sheetsim starts the mock, then the user's backend as a child process, and stops both).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildBackend } from '../../backend/app.ts';
import { buildMockSheets } from '../../mock-sheets/app.ts';
import { writeFakeCredentials } from '../../mock-sheets/credentials.ts';
import type { TargetKind } from '../report/model.ts';
import type { WorldParams } from '../trace/types.ts';
import { generateWorld } from '../workload/world.ts';
import { processTreeRssMb, selfRssMb } from '../metrics/memory.ts';

export interface Target {
  kind: TargetKind;
  /** Base URL of the backend under test. */
  url: string;
  /** Base URL of the mock Sheets API whose call log and clock the replayer reads, or null. */
  sheetsUrl: string | null;
  command: string | null;
  backendProfile: string | null;
  /** Git commit of the target's checkout (command targets), else null. */
  commit: string | null;
  /** RSS of the target in MB, or null when sheetsim cannot see it (an external URL). */
  rssMb: (() => number) | null;
  /** Set when a command target exited on its own: the message says how. */
  died(): string | null;
  stop(): Promise<void>;
}

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

export type TargetSpec =
  | ({ kind: 'embedded'; backendProfile: 'lean' | 'zeues' } & MockSettings)
  | { kind: 'url'; url: string; sheetsUrl: string | null }
  | ({ kind: 'command'; command: string; cwd: string; env: NodeJS.ProcessEnv; readyTimeoutMs: number } & MockSettings);

/** Start (or connect to) the target a run drives. */
export async function startTarget(spec: TargetSpec): Promise<Target> {
  if (spec.kind === 'url') return urlTarget(spec.url, spec.sheetsUrl);
  if (spec.kind === 'embedded') return embeddedTarget(spec);
  return commandTarget(spec);
}

function urlTarget(url: string, sheetsUrl: string | null): Target {
  return {
    kind: 'url',
    url: url.replace(/\/$/, ''),
    sheetsUrl: sheetsUrl ? sheetsUrl.replace(/\/$/, '') : null,
    command: null,
    backendProfile: null,
    commit: null,
    rssMb: null,
    died: () => null,
    stop: async () => undefined,
  };
}

async function listenLocal(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('server did not bind a TCP port');
  return `http://127.0.0.1:${addr.port}`;
}

/** Start the mock Sheets API for a world on a free loopback port. */
async function startMock(s: MockSettings): Promise<{ app: FastifyInstance; url: string; spreadsheetId: string }> {
  const world = generateWorld(s.world);
  const app = await buildMockSheets({
    workbook: world.workbook,
    loadWorkbook: (seed: number) => generateWorld({ ...s.world, seed }).workbook,
    seed: s.world.seed,
    latency: s.latency,
    quota: s.quota,
    clock: s.mode === 'exact' ? 'virtual' : 'wall',
    speed: s.mode === 'exact' ? 1 : s.speed,
    startMs: s.epochMs,
  });
  const url = await listenLocal(app);
  return { app, url, spreadsheetId: world.workbook.spreadsheetId };
}

async function embeddedTarget(spec: Extract<TargetSpec, { kind: 'embedded' }>): Promise<Target> {
  const mock = await startMock(spec);
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
    });
  } catch (err) {
    await mock.app.close();
    throw err;
  }
  const url = await listenLocal(backend);
  return {
    kind: 'embedded',
    url,
    sheetsUrl: mock.url,
    command: null,
    backendProfile: spec.backendProfile,
    // The embedded backend is sheetsim's own backend/: its commit is that of sheetsim's checkout, wherever the run starts.
    commit: gitCommit(SHEETSIM_ROOT),
    rssMb: selfRssMb,
    died: () => null,
    async stop() {
      await backend.close();
      await mock.app.close();
    },
  };
}

/** A free loopback port (bound and released; the child binds it right after). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** The folder sheetsim itself lives in (its backend/ is the embedded target). */
const SHEETSIM_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The git commit of the checkout holding `dir`, or null. */
export function gitCommit(dir: string): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() || null;
  } catch {
    return null;
  }
}

const STDERR_LINES = 20;

async function commandTarget(spec: Extract<TargetSpec, { kind: 'command' }>): Promise<Target> {
  const mock = await startMock(spec);
  const tmp = mkdtempSync(join(tmpdir(), 'sheetsim-target-'));
  const credentials = writeFakeCredentials({ url: mock.url, path: join(tmp, 'service-account.json') });
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...spec.env,
    PORT: String(port),
    SHEETS_API_URL: mock.url,
    SPREADSHEET_ID: mock.spreadsheetId,
    GOOGLE_APPLICATION_CREDENTIALS: credentials,
    // A backend that honours these runs its own clock and waits at the replay's pace (sheetsim backend does).
    ...(spec.mode === 'exact' ? { SHEETSIM_SIM_CLOCK: '1' } : { SHEETSIM_SPEED: String(spec.speed) }),
  };
  // detached: the child leads its own process group, so stop() can signal the shell and the backend it started.
  const child = spawn(spec.command, { shell: true, cwd: spec.cwd, env, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  const stderrTail: string[] = [];
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderrTail.push(...chunk.split('\n').filter((l) => l.trim() !== ''));
    if (stderrTail.length > STDERR_LINES) stderrTail.splice(0, stderrTail.length - STDERR_LINES);
  });
  let exitInfo: string | null = null;
  let stopping = false;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      if (!stopping) exitInfo = `target command exited (${signal ? `signal ${signal}` : `code ${code}`})`;
      resolve();
    });
  });
  const url = `http://127.0.0.1:${port}`;
  const cleanup = async (): Promise<void> => {
    stopping = true;
    await stopChild(child, exited);
    await mock.app.close();
    rmSync(tmp, { recursive: true, force: true });
  };
  try {
    await waitHealthy(url, spec.readyTimeoutMs, () => exitInfo, stderrTail);
  } catch (err) {
    await cleanup();
    throw err;
  }
  return {
    kind: 'command',
    url,
    sheetsUrl: mock.url,
    command: spec.command,
    backendProfile: null,
    commit: gitCommit(spec.cwd),
    rssMb: () => (child.pid && exitInfo === null ? processTreeRssMb(child.pid) : 0),
    died: () => exitInfo,
    stop: cleanup,
  };
}

async function waitHealthy(url: string, timeoutMs: number, exited: () => string | null, stderrTail: string[]): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const tail = () => (stderrTail.length ? `\nlast stderr lines of the target:\n  ${stderrTail.join('\n  ')}` : '\n(the target wrote nothing to stderr)');
  while (Date.now() < deadline) {
    const gone = exited();
    if (gone) throw new Error(`${gone} before answering GET ${url}/api/health${tail()}`);
    try {
      const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`target did not answer GET ${url}/api/health within ${timeoutMs} ms${tail()}`);
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const group = -child.pid;
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(group, sig);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const killed = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5000).unref())]);
  if (!killed) {
    signal('SIGKILL');
    await exited;
  }
}
