// Start-up time of the installed CLI: `sheetsim --help` and `sheetsim generate --help` beside bare `node -e 0`.
// Prints figures and the load average; asserts nothing (see bench/README.md "startup"). Needs `npm run build` first.
// Run: flock /tmp/sheetsim-heavy.lock npx tsx bench/startup.ts [--runs N]
// The commands run interleaved (one of each per round, after one untimed round that warms the file cache), so a
// burst of load from another process falls on all three alike; the time is spawn to exit, seen from this process.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median } from './stats.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  process.stderr.write(`bench/startup: --runs must be a whole number >= 1, got '${values.runs}'\n`);
  process.exit(2);
}
const root = fileURLToPath(new URL('..', import.meta.url));
if (!existsSync(`${root}dist/simulator/cli/bin.js`)) {
  process.stderr.write(`bench/startup: ${root}dist/ is missing: run 'npm run build' first\n`);
  process.exit(2);
}

const commands: Array<{ label: string; args: string[] }> = [
  { label: 'node -e 0', args: ['-e', '0'] },
  { label: 'sheetsim --help', args: ['bin/sheetsim.js', '--help'] },
  { label: 'sheetsim generate --help', args: ['bin/sheetsim.js', 'generate', '--help'] },
];

/** One run's wall time (ms); a run that fails or prints nothing stops the bench (a broken help is fast, not good). */
function timeOnce(args: string[]): number {
  const start = performance.now();
  const res = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  const ms = performance.now() - start;
  if (res.status !== 0 || (args.length > 2 && res.stdout.trim() === '')) {
    process.stderr.write(`bench/startup: node ${args.join(' ')} exited ${res.status} (stdout ${res.stdout.length} chars)\n${res.stderr}`);
    process.exit(1);
  }
  return ms;
}

const load = () => loadavg().map((l) => l.toFixed(2)).join(', ');
const loadBefore = load();
for (const c of commands) timeOnce(c.args); // untimed: file cache
const times = commands.map(() => [] as number[]);
for (let r = 0; r < runs; r++) commands.forEach((c, i) => times[i]!.push(timeOnce(c.args)));
const loadAfter = load();

process.stdout.write(`${new Date().toISOString()}  Node ${process.version}  ${runs} runs each, interleaved\n`);
process.stdout.write(`load average (1, 5, 15 min): ${loadBefore} before, ${loadAfter} after\n`);
process.stdout.write(`${'command'.padEnd(26)} ${'min'.padStart(8)} ${'median'.padStart(8)}   all (ms)\n`);
commands.forEach((c, i) => {
  const t = times[i]!;
  const fmt = (ms: number) => `${ms.toFixed(0)} ms`.padStart(8);
  process.stdout.write(`${c.label.padEnd(26)} ${fmt(Math.min(...t))} ${fmt(median(t))}   ${t.map((ms) => ms.toFixed(0)).join(' ')}\n`);
});
