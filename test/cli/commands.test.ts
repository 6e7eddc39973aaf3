/** The command registry: lazy entries that agree with the commands they load, and a --help that loads none. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { commands } from '../../simulator/cli/commands/index.ts';

const BIN = fileURLToPath(new URL('../../bin/sheetsim.js', import.meta.url));
// A loader hook that prints every module URL the process resolves, so a test can see what a command loads.
const TRACE_HOOK = `data:text/javascript,${encodeURIComponent(
  `import { register } from 'node:module';
   register('data:text/javascript,' + encodeURIComponent('export async function resolve(s, c, next) { const r = await next(s, c); process.stderr.write("LOADED " + r.url + "\\\\n"); return r; }'));`,
)}`;

function loadedBy(...args: string[]): { status: number | null; loaded: string[] } {
  const res = spawnSync(process.execPath, ['--import', TRACE_HOOK, BIN, ...args], { encoding: 'utf8' });
  return { status: res.status, loaded: res.stderr.split('\n').filter((l) => l.startsWith('LOADED ')).map((l) => l.slice(7)) };
}

describe('command registry', () => {
  it('each entry loads the command of its name, with the same summary', async () => {
    for (const entry of commands) {
      const command = await entry.load();
      expect(command.name).toBe(entry.name);
      expect(command.summary).toBe(entry.summary);
    }
  });

  it('sheetsim --help loads no command module and no server or HTTP library', () => {
    const { status, loaded } = loadedBy('--help');
    expect(status).toBe(0);
    expect(loaded.some((u) => u.endsWith('/dist/simulator/cli/main.js'))).toBe(true); // the hook saw the CLI load
    expect(loaded.filter((u) => /\/cli\/commands\/(?!index\.js)|node_modules\/(fastify|undici|better-sqlite3|ajv)\//.test(u))).toEqual([]);
  });

  it('sheetsim generate --help loads the generate command only, and not the generators behind it', () => {
    const { status, loaded } = loadedBy('generate', '--help');
    expect(status).toBe(0);
    expect(loaded.some((u) => u.endsWith('/cli/commands/generate.js'))).toBe(true);
    expect(loaded.some((u) => u.endsWith('/workload/trace-options.js'))).toBe(true); // the defaults it prints
    expect(loaded.filter((u) => /\/cli\/commands\/(?!index\.js|generate\.js)|node_modules\/(fastify|undici|better-sqlite3|ajv)\//.test(u))).toEqual([]);
    // the world and the profiles (and seedrandom) load when a trace is generated, not to print the help
    expect(loaded.filter((u) => /\/workload\/(world|profiles|zeues|locust|generate)\.js$|node_modules\/seedrandom\//.test(u))).toEqual([]);
  });
});
