/**
 * Before any test: compile the runtime sources to dist/ (`npm run build`), so every test that spawns
 * `bin/sheetsim.js` — and every child the CLI itself spawns through it — runs the current code, never a stale
 * build. Tests that import modules directly run the TypeScript sources through vitest as before. The worlds that
 * tests build are cached in a folder of this test run, removed at its end, not in the user's cache
 * (simulator/replay/world-cache.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): () => void {
  const worlds = mkdtempSync(join(tmpdir(), 'sheetsim-test-worlds-'));
  process.env.SHEETSIM_CACHE_DIR = worlds;
  const root = fileURLToPath(new URL('..', import.meta.url));
  const tsc = join(createRequire(import.meta.url).resolve('typescript/package.json'), '..', 'bin', 'tsc');
  const res = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, encoding: 'utf8' });
  // tsc writes the JavaScript even when it reports type errors; `npm test` fails on those in its own tsc step, so
  // here they are shown without stopping a developer's single test file.
  if (res.status !== 0) process.stderr.write(`global setup: npm run build reported problems:\n${res.stdout}${res.stderr}\n`);
  if (!existsSync(join(root, 'dist', 'simulator', 'cli', 'bin.js'))) throw new Error('global setup: the build wrote no dist/simulator/cli/bin.js');
  return () => rmSync(worlds, { recursive: true, force: true });
}
