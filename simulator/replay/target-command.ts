/**
 * The command target: sheetsim starts the mock in its child process, then the user's backend as a child process
 * pointed at it (environment, fake credentials, a free port), waits for /api/health and stops both at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvironmentError } from '../errors.ts';
import { writeFakeCredentials } from '../../mock-sheets/credentials.ts';
import { processTreeRssMb } from '../metrics/memory.ts';
import { pythonAdapterEnv } from './python-adapter.ts';
import { watchChild } from './child-watch.ts';
import { spawnEmbedded } from './embedded-child.ts';
import { expandTargetEnv } from './target-env.ts';
import { freePort, gitCommit } from './target-probes.ts';
import type { Target, TargetSpec } from './target-types.ts';

/** Start the mock and the user's command; throws EnvironmentError (with the command's last stderr lines) when it never answers. */
export async function commandTarget(spec: Extract<TargetSpec, { kind: 'command' }>): Promise<Target> {
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
