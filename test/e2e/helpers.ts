/** Helpers for end-to-end runs of the CLI: captured output, a small generated trace, temp folders. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../simulator/cli/main.ts';
import { generateTrace } from '../../simulator/workload/generate.ts';
import { defaultTraceOptions } from '../../simulator/workload/profiles.ts';

export const REPO = new URL('../../', import.meta.url).pathname;

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

/** Run the CLI in-process; returns the exit code and what it printed. */
export async function cli(args: string[], opts: { signal?: AbortSignal; cwd?: string } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (add: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, cb) {
        add(String(chunk));
        cb();
      },
    });
  const code = await main(args, {
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
    cwd: opts.cwd ?? REPO,
    env: process.env,
    signal: opts.signal ?? new AbortController().signal,
  });
  return { code, stdout, stderr };
}

/** The `digest:` line of a run's stdout. */
export function digestOf(stdout: string): string | null {
  return /^digest: ([0-9a-f]{64})$/m.exec(stdout)?.[1] ?? null;
}
