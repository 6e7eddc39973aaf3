/**
 * `npx tsx bench/cold-costs.ts [--runs N]` (after `npm run build`; wrap it in `flock /tmp/sheetsim-heavy.lock`): what a
 * fresh process pays the first time, on this machine and in an exact run of the default trace. Prints:
 *   1. the machine: µs per 4 KB page touched for the first time (64 MB of fresh memory, one write per page), and the
 *      same pages touched again, in a fresh `node`;
 *   2. the young generation growing: a fresh `node` allocating short-lived objects, four rounds of 2 million; the
 *      first round's minor page faults and time against the later ones';
 *   3. minor page faults, CPU and peak RSS of `node -e 0` and of each process of `sheetsim run --mode exact` (the CLI
 *      and its embedded child, from `process.resourceUsage()` at exit through a `--require`d file), with the faults
 *      times the µs per page of part 1: an estimate of the time they took;
 *   4. the embedded child's part of that run (its servers from the world cache, the warm-up, the replay with its
 *      requests in process: simulator/replay/embedded-exact.ts) done twice in one fresh process: the first time pays
 *      for code run and memory touched for the first time, the second does not; and the same without TurboFan
 *      (`--no-opt`). Every replay must give the same digest.
 * Figures only, no assertions; record them with the load average in bench/README.md ("exact mode speed").
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const runs = Number(values.runs);
const trace = 'traces/zeues-seed42-w40-d300s-s2000-c0.05.jsonl';
const work = mkdtempSync(join(tmpdir(), 'sheetsim-cold-costs-'));
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');
const node = (args: string[], env: NodeJS.ProcessEnv = process.env): string =>
  execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// 1. One write per 4 KB page of a fresh 64 MB buffer (allocated by malloc, so mapped but not yet backed), then again.
const touch = `
const size = 64 * 1024 * 1024, page = 4096, pages = size / page;
const buf = Buffer.allocUnsafeSlow(size);
const pass = () => { const t = performance.now(); for (let i = 0; i < size; i += page) buf[i] = 1; return (performance.now() - t) * 1000 / pages; };
console.log(JSON.stringify({ first: pass(), again: pass() }));`;

// 2. Short-lived objects, a few kept: the young generation grows to its full size in the first round.
const young = `
const faults = () => process.resourceUsage().minorPageFault;
const keep = []; const rounds = [];
for (let r = 0; r < 4; r++) {
  const f = faults(), t = performance.now();
  for (let i = 0; i < 2e6; i++) { const o = { a: i, b: [i, i + 1], c: 'x' + i }; if (i % 1000 === 0) keep.push(o); }
  rounds.push({ faults: faults() - f, ms: performance.now() - t });
}
console.log(JSON.stringify(rounds));`;

// 3. Each process's own figures at exit, tagged with its command (the CLI is 'run', the child '__embedded-target').
const usageFile = join(work, 'usage.jsonl');
const preload = join(work, 'usage.cjs');
writeFileSync(
  preload,
  `process.on('exit', () => { const u = process.resourceUsage(); require('node:fs').appendFileSync(${JSON.stringify(usageFile)},
  JSON.stringify({ process: process.argv[2] ?? 'node -e 0', faults: u.minorPageFault, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, rssMb: u.maxRSS / 1024 }) + '\\n'); });\n`,
);

// 4. What __embedded-target does for an exact run (embedded-target.ts), twice in one process, on the compiled build.
const twice = `
import { startEmbeddedServers } from './dist/simulator/replay/embedded-servers.js';
import { inProcessDriver, warmUpInside } from './dist/simulator/replay/embedded-exact.js';
import { InProcessDispatcher } from './dist/simulator/replay/embedded-dispatcher.js';
import { createSheetsAdmin } from './dist/simulator/replay/sheets-admin.js';
import { runExact } from './dist/simulator/replay/exact.js';
import { traceEpochMs } from './dist/simulator/replay/run-prepare.js';
import { readTrace } from './dist/simulator/trace/reader.js';
const reader = await readTrace(${JSON.stringify(trace)});
const events = [];
for await (const e of reader.events) events.push(e);
const epochMs = traceEpochMs(reader.header);
const out = [];
const faults = () => process.resourceUsage().minorPageFault;
for (let i = 0; i < 2; i++) {
  const t0 = performance.now();
  const f0 = faults();
  const s = await startEmbeddedServers({ world: reader.header.world, mode: 'exact', speed: 1, epochMs, latency: 'realistic', quota: 'on', backendProfile: 'lean' });
  const apps = { backend: s.apps.backend, mock: s.apps.mock, sheetsUrl: s.sheetsUrl };
  await warmUpInside(apps, epochMs, 30000);
  const t1 = performance.now();
  const f1 = faults();
  const sheets = createSheetsAdmin(s.sheetsUrl, 30000, new InProcessDispatcher(s.apps.mock));
  await sheets.setOrigin(epochMs);
  const res = await runExact({ events, url: 'http://embedded', sheets, epochMs, timeoutMs: 30000, metrics: { addCall() {}, addEvent() {} }, driver: inProcessDriver(s.apps.backend, 30000), finishEveryMs: 20 });
  out.push({ startMs: t1 - t0, startFaults: f1 - f0, replayMs: performance.now() - t1, replayFaults: faults() - f1, digest: res.digest });
  await s.close();
}
console.log(JSON.stringify(out));
process.exit(0);`;

interface Twice {
  startMs: number;
  startFaults: number;
  replayMs: number;
  replayFaults: number;
  digest: string;
}

interface Usage {
  process: string;
  faults: number;
  cpuMs: number;
  rssMb: number;
}

try {
  if (!existsSync(join(root, trace))) node(['bin/sheetsim.js', 'generate', '--seed', '42']);
  console.log(`node ${process.version}, ${runs} runs each; load ${load()}`);
  const touches = Array.from({ length: runs }, () => JSON.parse(node(['-e', touch])) as { first: number; again: number });
  const perPage = median(touches.map((t) => t.first));
  console.log(`1. first touch of a 4 KB page: ${touches.map((t) => t.first.toFixed(2)).join(', ')} µs (median ${perPage.toFixed(2)}); touched again: ${touches.map((t) => t.again.toFixed(3)).join(', ')} µs`);

  for (let i = 0; i < runs; i++) {
    const rounds = JSON.parse(node(['-e', young])) as { faults: number; ms: number }[];
    console.log(`2. young generation, run ${i + 1}: ${rounds.map((r, k) => `round ${k + 1} ${r.faults} faults ${r.ms.toFixed(0)} ms`).join(' | ')}`);
  }

  const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${preload}` };
  for (let i = 0; i < runs; i++) {
    node(['-e', '0'], env);
    node(['bin/sheetsim.js', 'run', '--mode', 'exact', '--trace', trace, '--out', join(work, 'run'), '--no-gates'], env);
  }
  const usages = readFileSync(usageFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Usage);
  console.log('3. process              minor faults   est. fault time     CPU   peak RSS   (medians of the runs)');
  for (const name of ['node -e 0', 'run', '__embedded-target']) {
    const mine = usages.filter((u) => u.process === name);
    const faults = median(mine.map((u) => u.faults));
    const cpu = median(mine.map((u) => u.cpuMs));
    console.log(`   ${name.padEnd(20)} ${String(faults).padStart(12)}   ${((faults * perPage) / 1000).toFixed(0).padStart(12)} ms   ${cpu.toFixed(0).padStart(5)} ms   ${median(mine.map((u) => u.rssMb)).toFixed(0).padStart(5)} MB`);
  }

  // Without TurboFan (--no-opt) the first replay and the second cost about the same: what the first pays for is mostly
  // its hot code being optimized as it goes.
  for (let i = 0; i < runs; i++) {
    for (const flags of [[], ['--no-opt']]) {
      const [first, second] = JSON.parse(node([...flags, '--input-type=module', '-e', twice])) as Twice[];
      const fmt = (r: Twice): string => `start ${r.startMs.toFixed(0)} ms (${r.startFaults} faults), replay ${r.replayMs.toFixed(0)} ms (${r.replayFaults} faults), digest ${r.digest.slice(0, 8)}`;
      console.log(`4. the child's part twice in one process${flags.length ? ` (${flags.join(' ')})` : ''}, run ${i + 1}: first ${fmt(first!)} | again ${fmt(second!)}`);
    }
  }
  console.log(`load ${load()}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
