/**
 * `flock /tmp/sheetsim-heavy.lock npx tsx bench/compare-aa.ts [options]`: how often `sheetsim compare`'s verdict is
 * wrong. Each try makes N base runs and N head runs, interleaved (base, head, base, head…) exactly as compare does —
 * the reference backend of this checkout started as a command target, the mock and replayer in this process — and
 * diffs them with the default rules. Kinds:
 *   aa          head = base: every "REGRESSION" is a false positive;
 *   extra-read  head has SHEETSIM_BACKEND_EXTRA_READ=finalizar (+1 values.get per FINALIZAR): power, and whether the
 *               findings name only FINALIZAR scenarios and values.get;
 *   delay       head has SHEETSIM_BACKEND_DELAY=<op>=<ms>, ms = --delay-share (0.25) of the p50 of that op's successful
 *               (2xx) events in the try's first base run: power for "+25 % latency on one endpoint".
 * Prints one line per try and the rate; no assertions. Record figures, command and load average in bench/README.md.
 * Options: --kind aa|extra-read|delay, --tries N (10), --runs N (3), --mode exact|realtime (realtime), --op finalizar,
 * --delay-share 0.25, --speed X (20), --quota on|off (on), and the trace: --workers (20) --duration (2m) --spools (200).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_DIFF_OPTIONS, diffRuns } from '../simulator/diff/compare.ts';
import { quantile } from '../simulator/diff/bootstrap.ts';
import { readEvents } from '../simulator/report/read.ts';
import { executeRun } from '../simulator/replay/orchestrate.ts';
import { ensureTrace } from '../simulator/replay/trace-file.ts';
import { defaultTraceOptions } from '../simulator/workload/profiles.ts';
import { parseDuration } from '../simulator/cli/command.ts';

const { values: a } = parseArgs({
  options: {
    kind: { type: 'string', default: 'aa' }, tries: { type: 'string', default: '10' }, runs: { type: 'string', default: '3' },
    mode: { type: 'string', default: 'realtime' }, op: { type: 'string', default: 'finalizar' }, 'delay-share': { type: 'string', default: '0.25' },
    speed: { type: 'string', default: '20' }, quota: { type: 'string', default: 'on' },
    workers: { type: 'string', default: '20' }, duration: { type: 'string', default: '2m' }, spools: { type: 'string', default: '200' },
  },
});
const kind = a.kind as 'aa' | 'extra-read' | 'delay';
const mode = a.mode as 'exact' | 'realtime';
const runs = Number(a.runs);
const ROOT = new URL('..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'sheetsim-bench-compare-'));
const trace = await ensureTrace({ ...defaultTraceOptions, workers: Number(a.workers), durationMs: parseDuration(a.duration!), spools: Number(a.spools) }, work);
const tracePath = join(work, trace.path);
const command = 'node bin/sheetsim.js backend --profile lean';

async function oneRun(out: string, env: NodeJS.ProcessEnv): Promise<string> {
  await executeRun({
    tracePath, mode, speed: mode === 'exact' ? 1 : Number(a.speed), target: { kind: 'command', command, cwd: ROOT },
    latency: 'realistic', quota: a.quota as 'on' | 'off', timeoutMs: 30_000, readyTimeoutMs: 30_000, shard: null, label: null, outDir: out, gates: null,
    options: { trace: tracePath, mode, speed: mode === 'exact' ? 1 : Number(a.speed), 'backend-profile': 'lean', latency: 'realistic', quota: a.quota!, label: null },
    cwd: work, env, version: 'bench', progress: null,
  });
  return out;
}

/** Pooled p50 of the successful (2xx) events of one op in a run folder: the op's real work, not its quick refusals. */
async function opP50(dir: string, op: string): Promise<number> {
  const v: number[] = [];
  for await (const e of readEvents(dir)) if (e.op === op && e.status !== null && e.status < 300) v.push(e.responseMs);
  return quantile(v, 0.5);
}

console.log(`compare-aa: kind ${kind}, ${a.tries} tries, ${runs} + ${runs} ${mode} runs, trace ${a.workers} workers ${a.duration} (${trace.path}), speed ${a.speed}, quota ${a.quota}; load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
let flagged = 0;
let clean = 0;
const t0 = Date.now();
for (let t = 0; t < Number(a.tries); t++) {
  const base: string[] = [];
  const head: string[] = [];
  let headEnv: NodeJS.ProcessEnv = process.env;
  let extra = '';
  for (let i = 0; i < runs; i++) {
    base.push(await oneRun(join(work, `t${t}-base-${i}`), process.env));
    if (i === 0 && kind === 'delay') {
      const ms = Math.round(Number(a['delay-share']) * (await opP50(base[0]!, a.op!)));
      headEnv = { ...process.env, SHEETSIM_BACKEND_DELAY: `${a.op}=${ms}` };
      extra = ` delay ${a.op}=${ms} ms`;
    } else if (i === 0 && kind === 'extra-read') headEnv = { ...process.env, SHEETSIM_BACKEND_EXTRA_READ: a.op! };
    head.push(await oneRun(join(work, `t${t}-head-${i}`), headEnv));
  }
  const r = await diffRuns(base, head, DEFAULT_DIFF_OPTIONS);
  const regressions = r.findings.filter((f) => f.kind === 'regression').map((f) => f.text);
  // Findings about the whole run (events answered worse, errors) name no scenario; the check is on those that do.
  const scenarioNames = new Set(r.scenarios.map((s) => s.name));
  const named = regressions.map((x) => x.split(':')[0]!).filter((n) => scenarioNames.has(n));
  const onlyOp = named.every((n) => n.startsWith(`${a.op}_`) || n === a.op);
  if (r.verdict === 'regression') flagged++;
  if (onlyOp) clean++;
  console.log(`try ${t + 1}: ${r.verdict}${extra}; ${r.method.comparisons} tests; regressions: ${regressions.length ? regressions.join(' | ') : 'none'}`);
  for (const d of [...base, ...head]) rmSync(d, { recursive: true, force: true });
}
const n = Number(a.tries);
console.log(`\n${kind}: REGRESSION in ${flagged} of ${n} tries (${((flagged / n) * 100).toFixed(0)} %)${kind !== 'aa' ? `; scenario findings naming only ${a.op} scenarios in ${clean} of ${n}` : ''}; ${((Date.now() - t0) / 1000).toFixed(0)} s wall; load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
rmSync(work, { recursive: true, force: true });
