/**
 * What the target kinds ask of the machine around them: whether anything answers HTTP at a URL, a free loopback
 * port for a child to bind, the git commit of a checkout.
 */
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { EnvironmentError } from '../errors.ts';
import { classifyError } from './http.ts';

/** Nothing answers at a URL the run was given (exit 2: there is nothing to measure). */
export class TargetUnreachableError extends EnvironmentError {
  override name = 'TargetUnreachableError';
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

/** The git commit of the checkout holding `dir`, or null. */
export function gitCommit(dir: string): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() || null;
  } catch {
    return null;
  }
}
