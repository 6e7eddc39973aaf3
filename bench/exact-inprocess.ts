/**
 * `npx tsx bench/exact-inprocess.ts [--runs N] [--trace FILE]`: exact mode's replay with the embedded target in the
 * replayer's own process over loopback HTTP, against the CLI as it runs (the schedule inside the target's child
 * process, requests through `inject`: simulator/replay/embedded-exact.ts). Alternates:
 *   cli         `node bin/sheetsim.js run --mode exact` (needs `dist/`): the report's `run.wallDurationMs`;
 *   in-process  the same servers (`startEmbeddedServers`) started in one process with the replayer (a fresh one per
 *               run, as the CLI's are), the same warm-up and origin, then `runExact` over loopback HTTP: its wall time.
 * Both replay the default trace (generated when missing) from after the warm-up to the digest, and print it: they
 * must agree. Figures only, no assertions; record them with the load average in bench/README.md ("exact mode speed").
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { RunMetrics } from '../simulator/metrics/run-metrics.ts';
import { startEmbeddedServers } from '../simulator/replay/embedded-servers.ts';
import { runExact } from '../simulator/replay/exact.ts';
import { traceEpochMs } from '../simulator/replay/run-prepare.ts';
import { createSheetsAdmin } from '../simulator/replay/sheets-admin.ts';
import { warmUp } from '../simulator/replay/warmup.ts';
import { readTrace } from '../simulator/trace/reader.ts';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, trace: { type: 'string', default: 'traces/zeues-seed42-w40-d300s-s2000-c0.05.jsonl' }, child: { type: 'boolean', default: false } },
});
const runs = Number(values.runs);
const tracePath = resolve(root, values.trace!);
const work = mkdtempSync(join(tmpdir(), 'sheetsim-exact-inprocess-'));
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');
const sheetsim = (args: string[]): string => execFileSync(process.execPath, [join(root, 'bin/sheetsim.js'), ...args], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** The CLI's exact run: its replay wall and digest. */
function cliRun(i: number): { ms: number; digest: string } {
  const out = join(work, `cli-${i}`);
  const stdout = sheetsim(['run', '--mode', 'exact', '--trace', tracePath, '--out', out, '--no-gates']);
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { run: { wallDurationMs: number } };
  return { ms: report.run.wallDurationMs, digest: /^digest: (\w+)/m.exec(stdout)?.[1] ?? '?' };
}

/** The same replay with the embedded servers in this process (lean profile, realistic latency, quotas on, as the CLI's default). */
async function inProcessRun(): Promise<{ ms: number; digest: string }> {
  const trace = await readTrace(tracePath);
  const epochMs = traceEpochMs(trace.header);
  const servers = await startEmbeddedServers({ world: trace.header.world, mode: 'exact', speed: 1, epochMs, latency: 'realistic', quota: 'on', backendProfile: 'lean' });
  const admin = createSheetsAdmin(servers.sheetsUrl);
  try {
    await warmUp({ url: servers.url!, sheets: admin, virtualNowMs: epochMs, speed: 1, timeoutMs: 30_000 });
    await admin.setOrigin(epochMs);
    const started = performance.now();
    const res = await runExact({ events: trace.events, url: servers.url!, sheets: admin, epochMs, timeoutMs: 30_000, metrics: new RunMetrics() });
    return { ms: performance.now() - started, digest: res.digest ?? `none (${res.sheetsError?.message})` };
  } finally {
    await admin.close();
    await servers.close();
    await trace.close();
  }
}

if (values.child) {
  // One in-process replay in this (fresh) process: its figures as one JSON line.
  console.log(JSON.stringify(await inProcessRun()));
  process.exit(0);
}

/** An in-process replay in a process of its own, so its code starts as cold as the CLI's. */
function inProcessChild(): { ms: number; digest: string } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--child', '--trace', tracePath], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(out.trim().split('\n').pop()!) as { ms: number; digest: string };
}

if (!existsSync(tracePath)) sheetsim(['generate', '--seed', '42', '--out', tracePath]);
console.log(`node ${process.version}, trace ${values.trace}, ${runs} runs each, alternated; load ${load()}`);
const cli: number[] = [];
const inProcess: number[] = [];
try {
  for (let i = 1; i <= runs; i++) {
    const a = cliRun(i);
    cli.push(a.ms);
    console.log(`run ${i}  cli         replay ${a.ms.toFixed(0).padStart(6)} ms  digest ${a.digest.slice(0, 8)}  load ${load()}`);
    const b = inProcessChild();
    inProcess.push(b.ms);
    console.log(`run ${i}  in-process  replay ${b.ms.toFixed(0).padStart(6)} ms  digest ${b.digest.slice(0, 8)}  load ${load()}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
console.log(`median replay: cli ${median(cli).toFixed(0)} ms, in-process ${median(inProcess).toFixed(0)} ms, ratio ${(median(inProcess) / median(cli)).toFixed(2)}`);
