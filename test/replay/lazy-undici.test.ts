/**
 * What the embedded target loads for exact mode: it never opens a socket, so it must not pay for the whole of undici
 * (~110 modules) nor for Fastify's schema compilers (ajv, ~90 modules), which no route of the mock or the reference
 * backend uses. Read off the real child of a `sheetsim run --mode exact`, through a preload that lists its CommonJS
 * modules when it exits.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Dispatcher } from 'undici';
import { describe, expect, it } from 'vitest';
import { dispatcherBase, undici } from '../../simulator/replay/lazy-undici.ts';
import { REPO, smallTrace, tempDir } from '../e2e/helpers.ts';

describe('lazy undici', () => {
  it('gives undici itself, and its Dispatcher class with the request API', () => {
    expect(undici().Dispatcher).toBe(Dispatcher);
    expect(dispatcherBase()).toBe(Dispatcher);
    expect(typeof dispatcherBase().prototype.request).toBe('function');
  });

  it('the embedded target of an exact run loads neither undici whole nor ajv, and the run completes', async () => {
    const dir = tempDir('sheetsim-lazy-');
    const trace = await smallTrace(dir, { durationMs: 20_000 });
    const list = join(dir, 'modules.json');
    const preload = join(dir, 'list-modules.cjs');
    writeFileSync(
      preload,
      `process.on('exit', () => { if (process.argv[2] === '__embedded-target') require('fs').writeFileSync(${JSON.stringify(list)}, JSON.stringify(Object.keys(require('module')._cache))); });\n`,
    );
    const run = await promisify(execFile)(process.execPath, [join(REPO, 'bin', 'sheetsim.js'), 'run', '--mode', 'exact', '--trace', trace, '--out', join(dir, 'r'), '--no-gates'], {
      env: { ...process.env, NODE_OPTIONS: `--require ${preload}` },
    });
    expect(run.stdout).toMatch(/^digest: [0-9a-f]{64}$/m);
    const modules = JSON.parse(readFileSync(list, 'utf8')) as string[];
    // the child did load its CommonJS dependencies (a preload that saw nothing would pass the checks below)
    expect(modules.some((m) => m.includes('/node_modules/fastify/'))).toBe(true);
    expect(modules.some((m) => m.includes('/node_modules/undici/lib/dispatcher/dispatcher.js'))).toBe(true);
    expect(modules.filter((m) => m.endsWith('/node_modules/undici/index.js'))).toEqual([]);
    expect(modules.filter((m) => m.includes('/node_modules/ajv/'))).toEqual([]);
  }, 60_000);
});
