import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type CapacityResult, findCapacity } from '../../capacity/capacity.ts';
import { renderCapacityHtml } from '../../capacity/html.ts';
import { answerLine, capacityCsv, capacityTable, quotaLine } from '../../capacity/render.ts';
import { type CapacityGates, type CapacityPoint, DEFAULT_CAPACITY_GATES } from '../../capacity/verdict.ts';
import { defaultTraceOptions } from '../../workload/profiles.ts';
import { type Command, UsageError, boolOpt, durationOpt, enumOpt, intOpt, numberOpt, stringOpt } from '../command.ts';
import { SHEETSIM_VERSION } from '../../version.ts';

function parseSweep(text: string): number[] {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^\s*(\d+)(?:\s*(?:\.\.|-)\s*(\d+))?\s*$/.exec(part);
    if (!m) throw new UsageError(`--sweep expects counts like 1..12 or 2,4,6,8, got '${text}'`);
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (a < 1 || b < a || b > 10_000) throw new UsageError(`--sweep range ${part.trim()} must go up from 1 (at most 10000)`);
    for (let w = a; w <= b; w++) out.add(w);
  }
  return [...out].sort((x, y) => x - y);
}

const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);

/** `sheetsim capacity`: how many workers a backend carries within the gates (exact-mode search, realtime confirmation). */
export const capacityCommand: Command = {
  name: 'capacity',
  summary: 'Find how many workers a backend carries within the gates (no 429, PERF-01/02, success >= 99%).',
  usage: '[options]',
  description: `
The question the original load test was written for: how many tablets can work at once before one service
account's Sheets quota (60 writes and 60 reads a minute) or the response-time requirements give out?

For each worker count it probes, capacity generates the seed's trace with that many workers (zeues profile,
no deliberate conflicts) and replays it in exact mode — a deterministic simulation with Google's latencies and
quotas, seconds per run — against the backend. It doubles the count (1, 2, 4, ...) until one fails, then bisects
between the last pass and the first fail: the answer is the largest passing count. Same seed, same answer. The
answer is then confirmed by one realtime run (a real load test at --speed) that must pass the same gates.

A count passes when: no Sheets call was answered 429 (--allow-429 drops this), PERF-01 (p95 of finalizar_arm_10
< --perf01 ms), PERF-02 (p99 of all requests < --perf02 ms), success >= --min-success, and the run is valid.
"Limited by" names what gave out at the first failing count: the write quota, the read quota (whichever got the
429s), latency, or errors. When latency is what limits, a second line gives the count the quota alone allows
(the same runs judged without PERF-01/02), and the confirmation checks that count under those gates.

Output: the answer in one line, the curve (workers -> attempted Sheets writes and reads per minute, 429s,
p95/p99, success) as a table, and in --out: capacity.csv, capacity.html (charts, offline), capacity.json,
traces/ and one report folder per run (runs/w<N>/, confirm/). Exit 0 when the confirmation passes (or was
skipped), 1 when it fails, 2 on bad usage.`,
  options: {
    'backend-profile': { type: 'string', valueName: 'NAME', description: 'Embedded reference backend: lean or zeues.', defaultText: 'lean' },
    'target-cmd': { type: 'string', valueName: 'CMD', description: 'Measure this backend command instead (started per run against a fresh mock, as sheetsim run does).' },
    seed: { type: 'string', valueName: 'N', description: 'Seed of the traces (and the world).', defaultText: String(defaultTraceOptions.seed) },
    duration: { type: 'string', valueName: 'TIME', description: 'Simulated duration of each probe.', defaultText: '5m' },
    'think-min': { type: 'string', valueName: 'TIME', description: "Shortest pause between a worker's requests.", defaultText: '5s' },
    'think-max': { type: 'string', valueName: 'TIME', description: "Longest pause between a worker's requests.", defaultText: '15s' },
    start: { type: 'string', valueName: 'N', description: 'First worker count the search probes.', defaultText: '1' },
    'max-workers': { type: 'string', valueName: 'N', description: 'Largest worker count the search probes.', defaultText: '256' },
    sweep: { type: 'string', valueName: 'LIST', description: 'Measure these counts instead of searching: 1..12 or 2,4,8.' },
    perf01: { type: 'string', valueName: 'MS', description: 'PERF-01 limit: p95 of finalizar_arm_10 (0 = off).', defaultText: String(DEFAULT_CAPACITY_GATES.perf01Ms) },
    perf02: { type: 'string', valueName: 'MS', description: 'PERF-02 limit: p99 of all requests (0 = off).', defaultText: String(DEFAULT_CAPACITY_GATES.perf02Ms) },
    'min-success': { type: 'string', valueName: 'P', description: 'Lowest share of successful requests, 0..1.', defaultText: String(DEFAULT_CAPACITY_GATES.minSuccess) },
    'allow-429': { type: 'boolean', description: 'Let a count pass with Sheets 429s (the backend retried them).', defaultText: 'off' },
    conflicts: { type: 'string', valueName: 'P', description: 'Share of deliberately wrong requests in the traces (they count as failures).', defaultText: '0' },
    confirm: { type: 'boolean', description: 'Confirm the answer with a realtime run (--no-confirm skips it).', defaultText: 'on' },
    speed: { type: 'string', valueName: 'N', description: 'Speed of the realtime confirmation (×5: a 5-minute probe in a minute; higher speeds magnify CPU stalls on a busy machine).', defaultText: '5' },
    out: { type: 'string', short: 'o', valueName: 'DIR', description: 'Folder for the curve, the page and every run.', defaultText: 'reports/capacity-<time>-<backend>' },
    timeout: { type: 'string', valueName: 'MS', description: 'Per-request timeout.', defaultText: '30000' },
    'ready-timeout': { type: 'string', valueName: 'MS', description: 'How long a --target-cmd backend gets to answer GET /api/health.', defaultText: '30000' },
  },
  examples: [
    'sheetsim capacity --backend-profile lean',
    'sheetsim capacity --backend-profile zeues --duration 10m',
    'sheetsim capacity --sweep 1..12 --no-confirm --out reports/lean-curve',
    'sheetsim capacity --think-min 10s --think-max 30s --allow-429',
    'sheetsim capacity --target-cmd "npx sheetsim backend --profile zeues"',
  ],
  async run(ctx) {
    if (ctx.positionals.length > 0) throw new UsageError(`unexpected argument '${ctx.positionals[0]}' (capacity takes only options)`);
    const targetCmd = stringOpt(ctx, 'target-cmd');
    const profile = enumOpt(ctx, 'backend-profile', ['lean', 'zeues'] as const, 'lean');
    if (targetCmd && ctx.values['backend-profile'] !== undefined) throw new UsageError('--backend-profile applies to the embedded backend; drop it with --target-cmd');
    const thinkMinMs = durationOpt(ctx, 'think-min', 5_000);
    const thinkMaxMs = durationOpt(ctx, 'think-max', 15_000);
    if (thinkMaxMs < thinkMinMs) throw new UsageError(`--think-max (${thinkMaxMs} ms) must be at least --think-min (${thinkMinMs} ms)`);
    const start = intOpt(ctx, 'start', 1, 1, 100_000);
    const max = intOpt(ctx, 'max-workers', 256, 1, 100_000);
    if (max < start) throw new UsageError(`--max-workers (${max}) must be at least --start (${start})`);
    const sweepText = stringOpt(ctx, 'sweep');
    const perf01 = intOpt(ctx, 'perf01', DEFAULT_CAPACITY_GATES.perf01Ms!, 0, 3_600_000);
    const perf02 = intOpt(ctx, 'perf02', DEFAULT_CAPACITY_GATES.perf02Ms!, 0, 3_600_000);
    const gates: CapacityGates = {
      ...DEFAULT_CAPACITY_GATES,
      no429: !boolOpt(ctx, 'allow-429'),
      perf01Ms: perf01 === 0 ? null : perf01,
      perf02Ms: perf02 === 0 ? null : perf02,
      minSuccess: numberOpt(ctx, 'min-success', DEFAULT_CAPACITY_GATES.minSuccess, 0, 1),
    };
    const name = targetCmd ?? profile;
    const outDir = resolve(ctx.cwd, stringOpt(ctx, 'out') ?? join('reports', `capacity-${stamp(new Date())}-${targetCmd ? 'command' : profile}`));
    const progress = (p: CapacityPoint, mode: 'exact' | 'realtime') => {
      ctx.stderr.write(`  ${mode === 'exact' ? 'exact   ' : 'realtime'} ${String(p.workers).padStart(4)} worker${p.workers === 1 ? ' ' : 's'}: ${p.pass ? 'pass' : 'FAIL'}  writes ${p.writesPeak}/min  reads ${p.readsPeak}/min  429s ${p.status429}  (${(p.wallMs / 1000).toFixed(1)} s)\n`);
    };
    ctx.stderr.write(`capacity of ${name}: exact-mode search, seed ${intOpt(ctx, 'seed', defaultTraceOptions.seed, 0)} → ${outDir}\n`);
    const result: CapacityResult = await findCapacity({
      target: targetCmd ? { kind: 'command', command: targetCmd } : { kind: 'embedded', backendProfile: profile },
      name,
      trace: {
        seed: intOpt(ctx, 'seed', defaultTraceOptions.seed, 0),
        durationMs: durationOpt(ctx, 'duration', 300_000),
        thinkMinMs,
        thinkMaxMs,
        conflicts: numberOpt(ctx, 'conflicts', 0, 0, 1),
        spools: defaultTraceOptions.spools,
        payroll: defaultTraceOptions.payroll,
        startDate: defaultTraceOptions.startDate,
      },
      start,
      max,
      sweep: sweepText === undefined ? null : parseSweep(sweepText),
      gates,
      confirm: boolOpt(ctx, 'confirm', true) ? { speed: numberOpt(ctx, 'speed', 5, 0.01, 1000) } : null,
      outDir,
      cwd: ctx.cwd,
      env: ctx.env,
      version: SHEETSIM_VERSION,
      timeoutMs: intOpt(ctx, 'timeout', 30_000, 1, 3_600_000),
      readyTimeoutMs: intOpt(ctx, 'ready-timeout', 30_000, 1, 3_600_000),
      signal: ctx.signal,
      onPoint: progress,
    });
    writeFileSync(join(outDir, 'capacity.json'), JSON.stringify(result, null, 2) + '\n');
    writeFileSync(join(outDir, 'capacity.csv'), capacityCsv(result));
    writeFileSync(join(outDir, 'capacity.html'), renderCapacityHtml(result));
    const c = result.confirmation;
    const quota = quotaLine(result);
    ctx.stdout.write([
      answerLine(result),
      ...(quota ? [quota] : []),
      '',
      capacityTable(result).trimEnd(),
      '',
      c ? `confirmation: realtime ×${c.speed} at ${c.workers} worker${c.workers === 1 ? '' : 's'} ${c.pass ? 'PASSES' : 'FAILS'} the ${c.gatesKind === 'all' ? 'same gates' : 'quota gates'}${c.pass ? '' : `: ${c.failures.join('; ')}`}` : 'confirmation: skipped',
      ...(result.nonMonotonic.length ? [`warning: ${result.nonMonotonic.join(', ')} workers passed above a failing count (not trusted)`] : []),
      `probes: ${result.probes.join(', ')} (exact mode), ${(result.wallMs / 1000).toFixed(1)} s wall`,
      `html: ${join(outDir, 'capacity.html')}`,
      `csv: ${join(outDir, 'capacity.csv')}`,
      '',
    ].join('\n'));
    return c && !c.pass ? 1 : 0;
  },
};
