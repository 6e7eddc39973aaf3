/**
 * `flock /tmp/sheetsim-heavy.lock npx tsx bench/time-model.ts [--part NAME] [--runs N]`: the figures of the time
 * model (issue 9), from `sheetsim run` child processes on the embedded target, quotas on, realistic latency.
 * Parts (default all):
 *   compare   exact vs realtime ×10 on the default trace (seed 42, 40 workers, 5 min), lean and zeues: peak and
 *             mean attempted writes per simulated minute, 429s, each scenario's success share;
 *   speed     realtime ×1 vs ×10 on a 2-minute trace (seed 42, 40 workers): each scenario's p50/p95, status mix;
 *   duration  exact mode's virtual duration of the default trace vs the trace's duration + its longest event;
 *   digest    the exact digest of the default trace over --runs runs (default 10);
 *   compute   exact mode with SHEETSIM_BACKEND_DELAY=finalizar=200: compute per scenario and the digest.
 * Figures only, no assertions; record them with the load average in bench/README.md.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { EventRecord, Report } from '../simulator/report/model.ts';

const { values } = parseArgs({ options: { part: { type: 'string', default: 'all' }, runs: { type: 'string', default: '10' }, keep: { type: 'boolean', default: false } } });
const root = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'sheetsim-time-model-'));
const load = () => loadavg().map((l) => l.toFixed(2)).join(', ');
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

function sheetsim(args: string[], env: NodeJS.ProcessEnv = {}): string {
  return execFileSync(process.execPath, [join(root, 'bin/sheetsim.js'), ...args], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
}

function trace(name: string, duration: string): string {
  const path = join(work, `${name}.jsonl`);
  if (!existsSync(path)) sheetsim(['generate', '--seed', '42', '--workers', '40', '--duration', duration, '--out', path]);
  return path;
}

let runNo = 0;
function run(tracePath: string, args: string[], env: NodeJS.ProcessEnv = {}): { report: Report; dir: string; wallS: number } {
  const dir = join(work, `run-${++runNo}`);
  const t = Date.now();
  sheetsim(['run', '--trace', tracePath, '--out', dir, '--no-gates', ...args], env);
  return { report: JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report, dir, wallS: (Date.now() - t) / 1000 };
}

function events(dir: string): EventRecord[] {
  return readFileSync(join(dir, 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as EventRecord);
}

const rel = (a: number, b: number) => (b === 0 ? (a === 0 ? 0 : Infinity) : (a - b) / b);
const sign = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %`;

function compare(): void {
  const path = trace('default', '5m');
  for (const profile of ['lean', 'zeues']) {
    const exact = run(path, ['--mode', 'exact', '--backend-profile', profile]);
    const rt = run(path, ['--speed', '10', '--backend-profile', profile]);
    const e = exact.report;
    const r = rt.report;
    console.log(`\n## exact vs realtime ×10, ${profile} (load ${load()}; exact ${exact.wallS.toFixed(0)} s, realtime ${rt.wallS.toFixed(0)} s wall)`);
    console.log(`| figure | exact | realtime ×10 | difference |\n|---|---|---|---|`);
    const row = (name: string, a: number, b: number) => console.log(`| ${name} | ${a} | ${b} | ${sign(rel(a, b))} |`);
    row('peak attempted writes / simulated min', e.sheets.writes.peakPerMinute, r.sheets.writes.peakPerMinute);
    row('mean attempted writes / simulated min', e.sheets.writes.meanPerMinute, r.sheets.writes.meanPerMinute);
    row('peak admitted writes / simulated min', e.sheets.writesAdmitted?.peakPerMinute ?? NaN, r.sheets.writesAdmitted?.peakPerMinute ?? NaN);
    row("429s", e.sheets.status429, r.sheets.status429);
    row('simulated duration (s)', Math.round(e.run.simulatedDurationMs / 1000), Math.round(r.run.simulatedDurationMs / 1000));
    for (const name of Object.keys(r.scenarios).sort()) {
      const a = e.scenarios[name]?.successRate ?? NaN;
      const b = r.scenarios[name]!.successRate;
      console.log(`| success ${name} | ${pct(a)} | ${pct(b)} | ${((a - b) * 100).toFixed(1)} points |`);
    }
  }
}

function speed(): void {
  const path = trace('two-minutes', '2m');
  const x1 = run(path, ['--speed', '1']);
  const x10 = run(path, ['--speed', '10']);
  console.log(`\n## realtime ×1 vs ×10, 2-minute trace, lean (load ${load()}; ${x1.wallS.toFixed(0)} s and ${x10.wallS.toFixed(0)} s wall)`);
  console.log('| scenario | p50 ×1 | p50 ×10 | diff | p95 ×1 | p95 ×10 | diff | compute p50 ×1 / ×10 |\n|---|---|---|---|---|---|---|---|');
  for (const name of Object.keys(x1.report.scenarios).sort()) {
    const a = x1.report.scenarios[name]!;
    const b = x10.report.scenarios[name]!;
    const ca = a.responseParts?.compute.p50 ?? NaN;
    const cb = b.responseParts?.compute.p50 ?? NaN;
    console.log(`| ${name} | ${a.responseTime.p50.toFixed(0)} | ${b.responseTime.p50.toFixed(0)} | ${sign(rel(b.responseTime.p50, a.responseTime.p50))} | ${a.responseTime.p95.toFixed(0)} | ${b.responseTime.p95.toFixed(0)} | ${sign(rel(b.responseTime.p95, a.responseTime.p95))} | ${ca.toFixed(1)} / ${cb.toFixed(1)} |`);
  }
  const mix = (rep: Report) => Object.entries(rep.totals.statuses).map(([k, v]) => `${k}: ${pct(v / rep.totals.requests)}`).join(', ');
  console.log(`status mix ×1: ${mix(x1.report)}\nstatus mix ×10: ${mix(x10.report)}`);
  console.log(`429s ×1 ${x1.report.sheets.status429}, ×10 ${x10.report.sheets.status429}; peak attempted writes/min ×1 ${x1.report.sheets.writes.peakPerMinute}, ×10 ${x10.report.sheets.writes.peakPerMinute}`);
}

function duration(): string {
  const path = trace('default', '5m');
  const exact = run(path, ['--mode', 'exact']);
  const evs = events(exact.dir);
  const longest = Math.max(...evs.map((e) => (e.sheetsMs ?? 0) + (e.waitMs ?? 0)));
  const durationMs = exact.report.trace.header.params.durationMs;
  const lastT = Math.max(...evs.map((e) => e.t));
  const expected = Math.max(durationMs, lastT) + longest;
  console.log(`\n## exact virtual duration, default trace, lean (load ${load()}; ${exact.wallS.toFixed(0)} s wall)`);
  console.log(`virtual ${exact.report.run.simulatedDurationMs} ms; trace ${durationMs} ms (last event t ${lastT}) + longest event ${longest} ms = ${expected} ms; ratio ${(exact.report.run.simulatedDurationMs / expected).toFixed(4)}`);
  return exact.report.digest!;
}

function digest(first: string | null): void {
  const path = trace('default', '5m');
  const n = Number(values.runs);
  const digests: string[] = first ? [first] : [];
  const t = Date.now();
  while (digests.length < n) digests.push(run(path, ['--mode', 'exact']).report.digest!);
  const distinct = new Set(digests);
  console.log(`\n## exact digest over ${n} runs, default trace, lean (load ${load()}; ${((Date.now() - t) / 1000).toFixed(0)} s)`);
  console.log(`${n - distinct.size + 1} of ${n} identical: ${[...distinct].map((d) => d.slice(0, 16)).join(', ')}`);
}

function compute(): void {
  const path = trace('default', '5m');
  const base = run(path, ['--mode', 'exact']);
  const slow = run(path, ['--mode', 'exact'], { SHEETSIM_BACKEND_DELAY: 'finalizar=200' });
  console.log(`\n## exact mode, +200 ms on FINALIZAR (SHEETSIM_BACKEND_DELAY=finalizar=200), default trace, lean (load ${load()})`);
  console.log('| scenario | compute mean base | +200 ms | rise | response p50 base | +200 ms |\n|---|---|---|---|---|---|');
  for (const name of Object.keys(base.report.scenarios).sort()) {
    const a = base.report.scenarios[name]!;
    const b = slow.report.scenarios[name]!;
    const ca = a.responseParts?.compute.mean ?? NaN;
    const cb = b.responseParts?.compute.mean ?? NaN;
    console.log(`| ${name} | ${ca.toFixed(1)} | ${cb.toFixed(1)} | ${(cb - ca).toFixed(1)} | ${a.responseTime.p50.toFixed(0)} | ${b.responseTime.p50.toFixed(0)} |`);
  }
  console.log(`digest base ${base.report.digest?.slice(0, 16)}, +200 ms ${slow.report.digest?.slice(0, 16)}: ${base.report.digest === slow.report.digest ? 'identical' : 'DIFFERENT'}`);
}

try {
  console.log(`sheetsim time model bench, Node ${process.version}, load ${load()}`);
  const part = values.part;
  if (part === 'all' || part === 'compare') compare();
  if (part === 'all' || part === 'speed') speed();
  let first: string | null = null;
  if (part === 'all' || part === 'duration') first = duration();
  if (part === 'all' || part === 'digest') digest(first);
  if (part === 'all' || part === 'compute') compute();
} finally {
  if (!values.keep) rmSync(work, { recursive: true, force: true });
  else console.log(`kept ${work}`);
}
