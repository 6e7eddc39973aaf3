/** Run the CLI in-process with its output captured: what every CLI-level test needs. */
import { Writable } from 'node:stream';
import { main } from '../simulator/cli/main.ts';

export const REPO = new URL('../', import.meta.url).pathname;

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `sheetsim ARGS` with stdout and stderr captured; cwd defaults to the repository, env to this process's. */
export async function runCli(args: string[], opts: { signal?: AbortSignal; cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
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
    env: opts.env ?? process.env,
    signal: opts.signal ?? new AbortController().signal,
  });
  return { code, stdout, stderr };
}
