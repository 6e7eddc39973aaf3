/** Runs `node bin/sheetsim.js mock-sheets ...` as a user would, for the CLI and durability tests. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/sheetsim.js', import.meta.url));

export interface MockProcess {
  child: ChildProcess;
  url: string;
  spreadsheetId: string;
  /** Everything printed on stdout so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal name) once the process ended. */
  exited: Promise<number | string>;
}

/** Start the CLI and wait for its `url:` and `spreadsheet:` lines (rejects if it exits first). */
export function startMockSheets(args: string[], cwd?: string): Promise<MockProcess> {
  const child = spawn(process.execPath, [BIN, 'mock-sheets', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return new Promise((resolve, reject) => {
    const check = () => {
      const url = /^url: (\S+)$/m.exec(out)?.[1];
      const spreadsheetId = /^spreadsheet: (\S+)$/m.exec(out)?.[1];
      if (url && spreadsheetId) resolve({ child, url, spreadsheetId, stdout: () => out, stderr: () => err, exited });
    };
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      check();
    });
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    void exited.then((code) => reject(new Error(`mock-sheets exited (${code}) before printing its url\nstdout: ${out}\nstderr: ${err}`)));
  });
}

/** Run the CLI to completion (for commands that should fail fast). */
export function runCli(args: string[], cwd?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}
