// Bad flags and unusable environments: exit 2 and one line naming the flag or the port, no stack trace.
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.ts';

async function sheetsim(argv: string[]): Promise<{ code: number; stderr: string }> {
  const { code, stderr } = await runCli(argv, { env: {}, cwd: '/nonexistent-sheetsim-cwd' });
  return { code, stderr };
}

describe('negative numbers after a flag', () => {
  it("reach the flag's own check instead of node's 'ambiguous' message", async () => {
    expect(await sheetsim(['generate', '--workers', '-3'])).toEqual({ code: 2, stderr: 'sheetsim generate: --workers must be between 1 and 1000000, got -3\n' });
    expect(await sheetsim(['run', '--workers', '-3'])).toEqual({ code: 2, stderr: 'sheetsim run: --workers must be between 1 and 100000, got -3\n' });
    expect(await sheetsim(['generate', '--seed', '-1'])).toEqual({ code: 2, stderr: 'sheetsim generate: --seed must be a whole number >= 0, got -1\n' });
    expect(await sheetsim(['generate', '--conflicts', '-0.5'])).toEqual({ code: 2, stderr: 'sheetsim generate: --conflicts must be between 0 and 1, got -0.5\n' });
    expect(await sheetsim(['mock-sheets', '-p', '-1'])).toEqual({ code: 2, stderr: 'sheetsim mock-sheets: --port must be between 0 and 65535, got -1\n' });
  });
  it('a value that starts with a dash but is no number gets one line too', async () => {
    expect(await sheetsim(['generate', '--seed', '-x'])).toEqual({ code: 2, stderr: 'sheetsim generate: --seed expects a value; to give one that starts with a dash, write --seed=VALUE\n' });
  });
});

describe('sheetsim backend on a busy port', () => {
  let busy: Server;
  let port: number;
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    port = (busy.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => busy.close(resolve));
  });

  it('exits 2 naming the port, as mock-sheets does', async () => {
    const r = await sheetsim(['backend', '--port', String(port), '--sheets-url', 'http://127.0.0.1:9/', '--spreadsheet-id', 'x', '--token', 'any']);
    expect(r).toEqual({ code: 2, stderr: `sheetsim backend: port ${port} on 127.0.0.1 is in use; pick another with --port or PORT (0 = any free port)\n` });
  });
});
