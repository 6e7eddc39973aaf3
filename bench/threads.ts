/**
 * `flock /tmp/sheetsim-heavy.lock npx tsx bench/threads.ts` (after `npm run build`): what `--threads 2` buys on
 * this machine. A server that answers every request after 20 ms (so it needs little CPU: shaped like a target on
 * another machine) runs as a child process; for each rate a dense trace (GET, 1,024 workers round-robin) is
 * replayed through the CLI as a user runs it — `node bin/sheetsim.js run --trace FILE --target URL --threads N` —
 * and the whole-run p99 lateness (first second included) is read from its report.json. Prints, per thread count,
 * each rate's figures (with the report's account of the replayer: the busiest thread's event-loop share and the
 * worst send-lag p99) and the highest rate whose p99 lateness stays under 5 ms with no errors. Figures only, no
 * assertions (the machine is shared); record them with the load average in bench/README.md.
 * Options: --seconds N (trace length per step, default 5), --rates a,b,c, --threads 1,2.
 */
import { execFile, fork } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Report } from '../simulator/report/model.ts';
import { writeDenseTrace } from './dense-trace.ts';

const DELAY_MS = 20;
const WORKERS = 1024;
const REPO = fileURLToPath(new URL('..', import.meta.url));

if (process.argv[2] === '--server') {
  const server = createServer((req, res) => {
    req.resume();
    setTimeout(() => {
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    }, DELAY_MS);
  });
  server.keepAliveTimeout = 60_000;
  server.maxConnections = 4096;
  process.once('SIGTERM', () => process.exit(0));
  server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as { port: number }).port }));
} else {
  await bench();
}

function load(): string {
  return loadavg().map((l) => l.toFixed(2)).join(' ');
}

function sheetsimRun(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(REPO, 'bin', 'sheetsim.js'), 'run', ...args], { cwd: REPO, maxBuffer: 1 << 24 }, (err, _stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stderr });
    });
  });
}

async function bench(): Promise<void> {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '5' }, rates: { type: 'string' }, threads: { type: 'string', default: '1,2' } } });
  const seconds = Number(values.seconds);
  const rates = values.rates ? values.rates.split(',').map(Number) : [500, 1000, 2000, 3000, 4000, 6000, 8000];
  const threadCounts = values.threads!.split(',').map(Number);
  const child = fork(fileURLToPath(import.meta.url), ['--server'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve) => child.once('message', (m) => resolve((m as { port: number }).port)));
  const url = `http://127.0.0.1:${port}`;
  const dir = mkdtempSync(join(tmpdir(), 'sheetsim-bench-threads-'));
  try {
    console.log(`node ${process.version}, ${availableParallelism()} cores available, load average ${load()}`);
    console.log(`server answers after ${DELAY_MS} ms (child process, ${url}); traces of ${seconds} s, ${WORKERS} workers; whole-run figures from report.json`);
    const traces = new Map<number, string>();
    for (const rate of rates) {
      const path = join(dir, `dense-${rate}.jsonl`);
      await writeDenseTrace(path, rate, seconds, WORKERS, '/');
      traces.set(rate, path);
    }
    const best = new Map<number, number>();
    for (const threads of threadCounts) {
      console.log(`\n--threads ${threads}`);
      console.log('   rate/s   sent/s | lateness p50     p99     max | p99 after 1st s | response p50    p99 | errors | replayer busy / send lag p99 | load');
      let misses = 0;
      best.set(threads, 0);
      for (const rate of rates) {
        const out = join(dir, `run-${threads}-${rate}`);
        const res = await sheetsimRun(['--trace', traces.get(rate)!, '--target', url, '--threads', String(threads), '--no-gates', '--out', out]);
        if (res.code !== 0) {
          console.log(`   ${String(rate).padStart(6)}   run failed (exit ${res.code}): ${res.stderr.trim().split('\n').pop()}`);
          if (++misses >= 2) break;
          continue;
        }
        const r = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
        const t = r.totals;
        let errors = 0;
        for (const [k, v] of Object.entries(t.statuses)) if (k !== '200') errors += v;
        const ok = t.lateness.p99 < 5 && errors === 0;
        // The same figure without the first second (JIT and sockets warming), from events.jsonl.
        const later = readFileSync(join(out, 'events.jsonl'), 'utf8')
          .split('\n')
          .filter((l) => l !== '')
          .map((l) => JSON.parse(l) as { t: number; latenessMs: number })
          .filter((e) => e.t >= 1000)
          .map((e) => e.latenessMs)
          .sort((a, b) => a - b);
        const laterP99 = later.length === 0 ? 0 : later[Math.min(later.length - 1, Math.ceil(later.length * 0.99) - 1)]!;
        console.log(
          `   ${String(rate).padStart(6)}   ${String(Math.round((t.requests * 1000) / r.run.wallDurationMs)).padStart(6)} |` +
            ` ${t.lateness.p50.toFixed(2).padStart(12)} ${t.lateness.p99.toFixed(2).padStart(7)} ${t.lateness.max.toFixed(1).padStart(7)} |` +
            ` ${laterP99.toFixed(2).padStart(15)} |` +
            ` ${t.responseTime.p50.toFixed(1).padStart(12)} ${t.responseTime.p99.toFixed(1).padStart(6)} | ${String(errors).padStart(6)} |` +
            ` ${replayerCell(r.run.replayer).padStart(28)} | ${load()}`,
        );
        rmSync(out, { recursive: true, force: true });
        // Every rate is run (the curve matters more than the threshold); stop once the run is far behind.
        if (ok) best.set(threads, rate);
        if (laterP99 > 1000 && ++misses >= 2) break;
      }
      console.log(`   => --threads ${threads}: highest rate with whole-run p99 lateness < 5 ms: ${best.get(threads)}/s (load ${load()})`);
    }
    const one = best.get(1);
    for (const [threads, rate] of best) {
      if (threads !== 1 && one) console.log(`--threads ${threads} vs 1: ${rate}/s vs ${one}/s = ${(rate / one).toFixed(2)}x`);
    }
  } finally {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The report's account of the replayer (the worst of its threads): event-loop busy share and own send-lag p99. */
function replayerCell(h: Report['run']['replayer']): string {
  if (!h) return '—';
  return `${h.eventLoopUtilization ?? '?'} / ${h.sendLagP99Ms ?? '?'} ms${h.bottleneck ? ' (bottleneck)' : ''}`;
}
