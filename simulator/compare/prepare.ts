/**
 * Getting a checked-out ref ready to run, the per-project hook of `sheetsim compare` (docs/ci.md):
 *   1. `--prepare CMD` when given, run through the shell in the worktree;
 *   2. else the ref's own `.sheetsim/prepare` script (`sh .sheetsim/prepare` in the worktree);
 *   3. else the default for a Node project: when the ref's package-lock.json is byte-identical to the current
 *      checkout's and that checkout has node_modules, link it (an `npm ci` compiles better-sqlite3 for ~100 s) and
 *      run the ref's `prepare` script, as `npm ci` would (here: the compiled build);
 *      otherwise `npm ci` in the worktree. Without a package-lock.json nothing is done.
 * Hooks get SHEETSIM_COMPARE_SOURCE (the current checkout) and SHEETSIM_COMPARE_REF in their environment.
 */
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Worktree } from './worktrees.ts';

export interface PrepareOptions {
  /** The current checkout (source of node_modules to reuse). */
  source: string;
  prepareCmd: string | null;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  log: (line: string) => void;
}

/** What was done to a worktree, for the progress log and the report. */
export type Prepared = 'hook' | 'project-hook' | 'linked node_modules' | 'npm ci' | 'nothing';

/** Prepare one worktree as the hook says; rejects naming the command and its last output on failure. */
export async function prepareWorktree(wt: Worktree, o: PrepareOptions): Promise<Prepared> {
  const env = { ...o.env, SHEETSIM_COMPARE_SOURCE: o.source, SHEETSIM_COMPARE_REF: wt.ref };
  if (o.prepareCmd) {
    await shell(o.prepareCmd, wt.dir, env, o.signal);
    return 'hook';
  }
  if (existsSync(join(wt.dir, '.sheetsim', 'prepare'))) {
    await shell('sh .sheetsim/prepare', wt.dir, env, o.signal);
    return 'project-hook';
  }
  const lock = join(wt.dir, 'package-lock.json');
  if (!existsSync(lock)) return 'nothing';
  // A ref that tracks node_modules (or a link to it) brings its own.
  if (lstatExists(join(wt.dir, 'node_modules'))) return 'nothing';
  const sourceModules = join(o.source, 'node_modules');
  const sourceLock = join(o.source, 'package-lock.json');
  if (existsSync(sourceModules) && existsSync(sourceLock) && readFileSync(sourceLock).equals(readFileSync(lock))) {
    symlinkSync(realpathSync(sourceModules), join(wt.dir, 'node_modules'), 'dir');
    // Linking skips what `npm ci` would have run after installing: the ref's own `prepare` script (this
    // repository's compiled build in dist/, which its bin/sheetsim.js runs).
    if (hasScript(wt.dir, 'prepare')) await shell('npm run prepare --silent', wt.dir, env, o.signal);
    return 'linked node_modules';
  }
  o.log(`  ${wt.ref}: package-lock.json differs from the current checkout's: npm ci (compiles native modules, ~100 s)`);
  await shell('npm ci --no-audit --no-fund', wt.dir, env, o.signal);
  return 'npm ci';
}

const hasScript = (dir: string, name: string): boolean => {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
    return typeof pkg.scripts?.[name] === 'string';
  } catch {
    return false;
  }
};

const lstatExists = (path: string): boolean => {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
};

const TAIL = 15;

/** Run a shell command, keeping the tail of its output for the error message. */
function shell(command: string, cwd: string, env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, { shell: true, cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const tail: string[] = [];
    const keep = (chunk: Buffer) => {
      tail.push(...chunk.toString('utf8').split('\n').filter((l) => l.trim()));
      tail.splice(0, Math.max(0, tail.length - TAIL));
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const abort = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    };
    signal.addEventListener('abort', abort, { once: true });
    child.once('error', reject);
    child.once('exit', (code, sig) => {
      signal.removeEventListener('abort', abort);
      if (code === 0) resolve();
      else reject(new Error(`'${command}' in ${cwd} failed (${sig ? `signal ${sig}` : `exit ${code}`})${tail.length ? `:\n  ${tail.join('\n  ')}` : ''}`));
    });
  });
}
