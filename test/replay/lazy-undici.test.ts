/**
 * What the two processes of an exact run on the embedded target load. The embedded target never opens a socket, so
 * it must not pay for the whole of undici (~110 modules) nor for Fastify's schema compilers (ajv, ~90 modules), which
 * no route of the mock or the reference backend uses. The CLI's process makes no HTTP call in that run either (the
 * child warms up and sets the origin itself) and reads no report, so it loads neither undici whole nor ajv (the
 * report schema's validator). Read off a real `sheetsim run --mode exact`, through a preload that lists each
 * process's CommonJS modules when it exits.
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

  it('neither process of an exact run on the embedded target loads undici whole or ajv, and the run completes', async () => {
    const dir = tempDir('sheetsim-lazy-');
    const trace = await smallTrace(dir, { durationMs: 20_000 });
    const list = (command: string): string => join(dir, `modules-${command}.json`);
    const preload = join(dir, 'list-modules.cjs');
    writeFileSync(
      preload,
      `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(dir)} + '/modules-' + process.argv[2] + '.json', JSON.stringify(Object.keys(require('module')._cache))));\n`,
    );
    const run = await promisify(execFile)(process.execPath, [join(REPO, 'bin', 'sheetsim.js'), 'run', '--mode', 'exact', '--trace', trace, '--out', join(dir, 'r'), '--no-gates'], {
      env: { ...process.env, NODE_OPTIONS: `--require ${preload}` },
    });
    expect(run.stdout).toMatch(/^digest: [0-9a-f]{64}$/m);
    const child = JSON.parse(readFileSync(list('__embedded-target'), 'utf8')) as string[];
    const cli = JSON.parse(readFileSync(list('run'), 'utf8')) as string[];
    // each did load its CommonJS dependencies (a preload that saw nothing would pass the checks below)
    expect(child.some((m) => m.includes('/node_modules/fastify/'))).toBe(true);
    expect(cli.some((m) => m.includes('/node_modules/hdr-histogram-js/'))).toBe(true);
    for (const modules of [child, cli]) {
      expect(modules.some((m) => m.includes('/node_modules/undici/lib/dispatcher/dispatcher.js'))).toBe(true);
      expect(modules.filter((m) => m.endsWith('/node_modules/undici/index.js'))).toEqual([]);
      expect(modules.filter((m) => m.includes('/node_modules/ajv/'))).toEqual([]);
    }
  }, 60_000);
});
