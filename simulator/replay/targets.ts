/**
 * Targets: where the replayer sends requests and how it reads the mock. One interface, three kinds:
 * embedded (mock + reference backend in a child process of their own), url (an already running backend,
 * optionally its mock; checked to answer before the run) and command (sheetsim starts the mock in its child
 * process, then the user's backend as a child process, and stops both).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvironmentError } from '../errors.ts';
import { PACKAGE_ROOT } from '../package-root.ts';
import { writeFakeCredentials } from '../../mock-sheets/credentials.ts';
import type { TargetKind } from '../report/model.ts';
import type { WorldParams } from '../trace/types.ts';
import { processTreeRssMb } from '../metrics/memory.ts';
import { pythonAdapterEnv } from './python-adapter.ts';
import { watchChild } from './child-watch.ts';
import { spawnEmbedded } from './embedded-child.ts';
import type { MockSettings } from './embedded-servers.ts';

export type { MockSettings };
import { classifyError } from './http.ts';
import { type TargetEnvEntry, expandTargetEnv } from './target-env.ts';

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
  /** Set when the target's process (a command, or the embedded child) exited on its own: the message says how. */
  died(): string | null;
  stop(): Promise<void>;
}


export type TargetSpec =
  | ({ kind: 'embedded'; backendProfile: 'lean' | 'zeues'; readyTimeoutMs: number } & MockSettings)
  | { kind: 'url'; url: string; sheetsUrl: string | null }
  | ({ kind: 'command'; command: string; cwd: string; env: NodeJS.ProcessEnv; readyTimeoutMs: number; targetEnv?: TargetEnvEntry[] } & MockSettings);

/** Nothing answers at a URL the run was given (exit 2: there is nothing to measure). */
export class TargetUnreachableError extends EnvironmentError {
  override name = 'TargetUnreachableError';
}

/** Start (or connect to) the target a run drives. */
export async function startTarget(spec: TargetSpec): Promise<Target> {
  if (spec.kind === 'url') return urlTarget(spec.url, spec.sheetsUrl);
  if (spec.kind === 'embedded') return embeddedTarget(spec);
  return commandTarget(spec);
}

/**
 * Whether the target is still there: false only on a connection error (refused, reset). Any HTTP status, or no
 * answer within `timeoutMs` (a busy target is slow, not gone; the error streak still applies), counts as there.
 */
export async function answers(url: string, path: string, timeoutMs: number): Promise<boolean> {
  try {
    const res = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return true;
  } catch (err) {
    return (err as { name?: string }).name === 'TimeoutError';
  }
}

/**
 * Throw TargetUnreachableError unless something answers HTTP at `url` + `path`. Any status counts (a backend
 * without /api/health answers 404): the question is whether anything listens, not whether it is healthy.
 */
export async function assertAnswers(what: string, url: string, path: string, timeoutMs = 5000): Promise<void> {
  try {
    const res = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
  } catch (err) {
    const e = err as { name?: string };
    const why = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : classifyError(err);
    throw new TargetUnreachableError(`nothing answers at ${what} ${url} (GET ${path}: ${why})`);
  }
}

async function urlTarget(rawUrl: string, rawSheetsUrl: string | null): Promise<Target> {
  const url = rawUrl.replace(/\/$/, '');
  const sheetsUrl = rawSheetsUrl ? rawSheetsUrl.replace(/\/$/, '') : null;
  await assertAnswers('--target', url, '/api/health');
  if (sheetsUrl) await assertAnswers('--sheets', sheetsUrl, '/__sheetsim/health');
  return {
    kind: 'url',
    url,
    sheetsUrl,
    command: null,
    backendProfile: null,
    commit: null,
    rssMb: null,
    died: () => null,
    stop: async () => undefined,
  };
}

async function embeddedTarget(spec: Extract<TargetSpec, { kind: 'embedded' }>): Promise<Target> {
  const { kind: _kind, readyTimeoutMs, ...settings } = spec;
  const child = await spawnEmbedded(settings, readyTimeoutMs);
  return {
    kind: 'embedded',
    url: child.url!,
    sheetsUrl: child.sheetsUrl,
    command: null,
    backendProfile: spec.backendProfile,
    // The embedded backend is sheetsim's own backend/: its commit is that of sheetsim's checkout, wherever the run starts.
    commit: gitCommit(SHEETSIM_ROOT),
    rssMb: child.rssMb,
    died: child.died,
    stop: child.stop,
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
const SHEETSIM_ROOT = PACKAGE_ROOT;

/** The git commit of the checkout holding `dir`, or null. */
export function gitCommit(dir: string): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() || null;
  } catch {
    return null;
  }
}

async function commandTarget(spec: Extract<TargetSpec, { kind: 'command' }>): Promise<Target> {
  const { kind: _kind, command: _command, cwd: _cwd, env: _env, readyTimeoutMs: _ready, targetEnv: _targetEnv, ...mockSettings } = spec;
  const mockChild = await spawnEmbedded({ ...mockSettings, backendProfile: null }, spec.readyTimeoutMs);
  const mock = { url: mockChild.sheetsUrl, spreadsheetId: mockChild.spreadsheetId, auditSpreadsheetId: mockChild.auditSpreadsheetId };
  const tmp = mkdtempSync(join(tmpdir(), 'sheetsim-target-'));
  const credentials = writeFakeCredentials({ url: mock.url, path: join(tmp, 'service-account.json') });
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...spec.env,
    PORT: String(port),
    SHEETS_API_URL: mock.url,
    SPREADSHEET_ID: mock.spreadsheetId,
    SHEETSIM_AUDIT_SPREADSHEET_ID: mock.auditSpreadsheetId,
    GOOGLE_APPLICATION_CREDENTIALS: credentials,
    // A Python backend (gspread has no base-URL setting) reaches the mock through the adapter's sitecustomize.
    ...pythonAdapterEnv(mock.url, spec.env.PYTHONPATH),
    // A backend that honours these runs its own clock and waits at the replay's pace (sheetsim backend does).
    ...(spec.mode === 'exact' ? { SHEETSIM_SIM_CLOCK: '1' } : { SHEETSIM_SPEED: String(spec.speed) }),
    // Last: the user's mapping onto the names their backend reads (--target-env) wins over the defaults above.
    ...expandTargetEnv(spec.targetEnv ?? [], {
      sheets_url: mock.url,
      spreadsheet_id: mock.spreadsheetId,
      audit_spreadsheet_id: mock.auditSpreadsheetId,
      credentials_path: credentials,
      credentials_json: readFileSync(credentials, 'utf8'),
      port: String(port),
    }),
  };
  // detached: the child leads its own process group, so stop() can signal the shell and the backend it started.
  const child = spawn(spec.command, { shell: true, cwd: spec.cwd, env, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  const watch = watchChild(child, 'target command');
  const url = `http://127.0.0.1:${port}`;
  const cleanup = async (): Promise<void> => {
    watch.markStopping();
    await stopChild(child, watch.exited);
    await mockChild.stop();
    rmSync(tmp, { recursive: true, force: true });
  };
  try {
    await waitHealthy(url, spec.command, spec.readyTimeoutMs, watch.exitInfo, watch.stderrTail);
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
    rssMb: () => (child.pid && watch.exitInfo() === null ? processTreeRssMb(child.pid) : 0),
    died: () => watch.exitInfo() ?? mockChild.died(),
    stop: cleanup,
  };
}

async function waitHealthy(url: string, command: string, timeoutMs: number, exited: () => string | null, stderrTail: string[]): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const tail = () => (stderrTail.length ? `\nlast stderr lines of the target:\n  ${stderrTail.join('\n  ')}` : '\n(the target wrote nothing to stderr)');
  while (Date.now() < deadline) {
    const gone = exited();
    if (gone) throw new EnvironmentError(`--target-cmd '${command}': ${gone} before answering GET ${url}/api/health${tail()}`);
    try {
      const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new EnvironmentError(`--target-cmd '${command}': target did not answer GET ${url}/api/health within ${timeoutMs} ms${tail()}`);
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
