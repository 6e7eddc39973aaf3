import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TRACE_FORMAT, TRACE_VERSION, type TraceHeader } from '../../simulator/trace/types.ts';
import { TraceWriter } from '../../simulator/trace/writer.ts';
import { REPO, cli, readEvents, readReport, smallTrace, tempDir } from './helpers.ts';

const fast = ['--speed', '20', '--latency', 'off', '--quota', 'off', '--warn-only'];

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('sheetsim run (realtime)', () => {
  let dir: string;
  let trace: string;
  beforeAll(async () => {
    dir = tempDir();
    trace = await smallTrace(dir);
  });

  it('replays against the embedded target and writes a complete report and events.jsonl', async () => {
    const out = join(dir, 'embedded');
    const res = await cli(['run', '--trace', trace, '--out', out, ...fast]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(new RegExp(`^report: ${out}$`, 'm'));
    const r = readReport(out);
    expect(r.run.partial).toBe(false);
    expect(r.run.validity).toEqual({ valid: true, reasons: [], transportErrors: {}, unreachableFromS: null });
    expect(r.run.overload!.notSent).toBe(0);
    expect(r.run.replayer!.eventLoopDelayMaxMs).toBeGreaterThanOrEqual(0);
    expect(r.totals.requests).toBe(r.trace.events);
    expect(Object.keys(r.scenarios).length).toBeGreaterThan(2);
    expect(r.sheets.available).toBe(true);
    expect(r.sheets.calls).toBeGreaterThan(0);
    expect(r.memory.target?.samples.length).toBeGreaterThan(0);
    const lines = readFileSync(join(out, 'events.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(r.totals.requests);
    // the reference backend propagates traceparent: every event's calls are attributed exactly
    const attributed = lines.map((l) => (JSON.parse(l) as { sheetsCalls: number | null }).sheetsCalls);
    expect(attributed.every((n) => n !== null)).toBe(true);
    expect(attributed.reduce((a, b) => a! + b!, 0)).toBe(r.sheets.calls);
    for (const f of ['metrics.csv', 'timeline.csv', 'report.html']) expect(existsSync(join(out, f))).toBe(true);
  });

  it('nothing listening on --target: exit 2 before the run, one line naming the URL, no report folder', async () => {
    const out = join(dir, 'down');
    const port = await closedPort();
    const res = await cli(['run', '--trace', trace, '--out', out, '--target', `http://127.0.0.1:${port}`, '--speed', '50', '--warn-only']);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(`sheetsim run: nothing answers at --target http://127.0.0.1:${port} (GET /api/health: ECONNREFUSED)\n`);
    expect(existsSync(out)).toBe(false);
  });

  it('--sheets that does not answer: exit 2 before the run', async () => {
    const backend = createHttpServer((_req, res) => res.end('{}'));
    await new Promise<void>((r) => backend.listen(0, '127.0.0.1', () => r()));
    try {
      const out = join(dir, 'sheets-down');
      const port = await closedPort();
      const target = `http://127.0.0.1:${(backend.address() as { port: number }).port}`;
      const res = await cli(['run', '--trace', trace, '--out', out, '--target', target, '--sheets', `http://127.0.0.1:${port}`]);
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(new RegExp(`^sheetsim run: nothing answers at --sheets http://127.0.0.1:${port} \\(GET /__sheetsim/health: ECONNREFUSED\\)\n$`));
      expect(existsSync(out)).toBe(false);
    } finally {
      await new Promise<void>((r) => backend.close(() => r()));
    }
  });

  it('--target-cmd starts a child backend, samples its memory and stops it', async () => {
    const out = join(dir, 'cmd');
    const cmd = `node ${join(REPO, 'bin/sheetsim.js')} backend`;
    const res = await cli(['run', '--trace', trace, '--out', out, '--target-cmd', cmd, ...fast]);
    expect(res.code, res.stderr).toBe(0);
    const r = readReport(out);
    expect(r.run.target.kind).toBe('command');
    expect(r.run.target.command).toBe(cmd);
    expect(r.run.target.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(r.memory.target!.peakMb).toBeGreaterThan(10);
    expect(r.totals.statuses['error'] ?? 0).toBe(0);
    expect(r.sheets.calls).toBeGreaterThan(0);
    // stopped: its port no longer answers
    await expect(fetch(`${r.run.target.url}/api/health`)).rejects.toThrow();
  });

  it('kill -9 of a --target-cmd backend mid-run: sending stops, the report is invalid without verdicts, exit 1', async () => {
    const out = join(dir, 'dies');
    const longer = await smallTrace(tempDir(), { durationMs: 120_000 });
    // Start the backend; once it has made 10 Sheets calls (the run is under way, however slow the machine) kill -9 it.
    const backend = `node ${join(REPO, 'bin/sheetsim.js')} backend`;
    const calls = `curl -s $SHEETS_API_URL/__sheetsim/health | sed -n 's/.*"calls":\\([0-9]*\\).*/\\1/p'`;
    const cmd = `${backend} & p=$!; until [ "$(${calls})" -ge 10 ] 2>/dev/null; do sleep 0.1; done; kill -9 $p; wait`;
    const res = await cli(['run', '--trace', longer, '--out', out, '--target-cmd', cmd, '--speed', '10', '--latency', 'off', '--quota', 'off', '--warn-only']);
    expect(res.code, res.stderr).toBe(1);
    expect(res.stdout).toMatch(/^INVALID {2}target unreachable from s = \d+: /m);
    // Whichever comes first ends the run: the target process's exit (noticed by the replayer) or its connection errors.
    expect(res.stdout).toMatch(/^transport errors {2}.*(ECONNREFUSED|ECONNRESET) ×\d+|^INVALID {2}.*target command exited/m);
    expect(res.stdout).toContain('PERF gates not evaluated');
    expect(res.stdout).not.toMatch(/PASS PERF/);
    const r = readReport(out);
    expect(r.run.partial).toBe(true);
    expect(r.gates).toEqual([]);
    expect(r.run.validity!.valid).toBe(false);
    expect(r.run.validity!.unreachableFromS).not.toBeNull();
    expect(r.run.validity!.reasons[0]).toMatch(/^target unreachable from s = \d+: /);
    // Sending stopped: it stopped at the latest when the 10th connection error came back (the rule), and every
    // event sent after the kill is itself a connection error. So no event was sent after that answer.
    const records = readEvents(out);
    const ends = records.filter((e) => e.error === 'ECONNREFUSED' || e.error === 'ECONNRESET' || e.error === 'OTHER').map((e) => e.startMs + e.serviceMs).sort((a, b) => a - b);
    if (ends.length > 0) {
      const stopBy = ends[Math.min(9, ends.length - 1)]!;
      for (const e of records) expect(e.startMs).toBeLessThanOrEqual(stopBy + 0.01);
    } else {
      // The replayer noticed the exit before any request failed: it stopped then, with no connection error at all.
      expect(r.run.validity!.reasons[0]).toMatch(/target command exited/);
    }
    // And the rest of the trace was not sent.
    expect(r.totals.requests).toBeLessThan(r.trace.events);
  });

  it('a target that cannot keep up: the run ends at its deadline, unsent events are NOT_SENT failures, saturation reported', async () => {
    const out = join(dir, 'slow');
    // Answers /api/health at once and everything else after 5 s; the deadline is 60 s / 20 + 1 s = 4 s.
    const server = `require('http').createServer((q, r) => q.url === '/api/health' ? r.end('{}') : setTimeout(() => r.end('{}'), 5000)).listen(process.env.PORT)`;
    const res = await cli(['run', '--trace', trace, '--out', out, '--target-cmd', `node -e "${server}"`, '--speed', '20', '--deadline-grace', '1s', '--no-gates']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^SATURATED from s = \d+: the target could not keep up/m);
    const r = readReport(out);
    expect(r.run.validity!.valid).toBe(true);
    expect(r.run.overload!.saturated).toBe(true);
    expect(r.run.overload!.deadlineMs).toBe(4000);
    // Every event of the trace is accounted for: answered, abandoned in flight, or not sent.
    expect(r.totals.requests).toBe(r.trace.events);
    expect(r.totals.ok).toBe(0);
    const records = readEvents(out);
    const notSent = records.filter((e) => e.error === 'NOT_SENT');
    expect(notSent.length).toBe(r.run.overload!.notSent);
    expect(notSent.length).toBeGreaterThan(0);
    for (const e of notSent) expect(e.status).toBeNull();
    expect((r.totals.errors['NOT_SENT'] ?? 0) + (r.totals.errors['ABANDONED'] ?? 0)).toBe(r.trace.events);
  });

  it('a trace denser than one replayer can send: the report names sheetsim, not the target, as the bottleneck', async () => {
    const out = join(dir, 'dense');
    const dense = join(dir, 'dense.jsonl');
    // 50,000 events in half a second, each from a worker of its own (none waits for an answer): more than any one
    // event loop sends, against a server that answers at once.
    const n = 50_000;
    const header: TraceHeader = {
      format: TRACE_FORMAT, version: TRACE_VERSION, seed: 1, profile: 'locust',
      params: { workers: n, durationMs: 500, conflicts: 0, thinkMinMs: 0, thinkMaxMs: 0, startDate: '2026-01-05' },
      world: { seed: 1, spools: 1, workers: n, startDate: '2026-01-05' },
    };
    const writer = await TraceWriter.open(dense, header);
    for (let i = 0; i < n; i++) await writer.write({ seq: i, t: Math.floor(i / 100), worker: 1 + i, op: 'health', scenario: 'bench', req: { method: 'GET', path: '/' } });
    await writer.close();
    const server = createHttpServer((q, r) => {
      q.resume();
      r.end('{"ok":true}');
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const res = await cli(['run', '--trace', dense, '--target', url, '--out', out, '--deadline-grace', '1s', '--no-gates']);
      expect(res.code, res.stderr).toBe(0);
      const r = readReport(out);
      expect(r.run.replayer!.bottleneck).toBe(true);
      expect(r.run.replayer!.saturatedShare).toBeGreaterThanOrEqual(0.05);
      // Its workers were all free: every event it sent late, it sent late on its own.
      expect(r.run.replayer!.sendLagP99Ms).toBeGreaterThanOrEqual(20);
      // Its dense first second made it warm its own code first, and the report says for how long.
      expect(r.run.replayer!.warmupMs).toBeGreaterThan(0);
      expect(res.stdout).toMatch(/^warm-up  the replayer's own code before t = 0: [\d.]+ m?s against a loopback server of its own/m);
      expect(res.stdout).toMatch(/^replayer was the bottleneck: own send lag p99 [\d.]+ m?s \(max [\d.]+ m?s\); event loop saturated \(≥ 95 % busy\) \d+ % of the replay/m);
      expect(res.stdout).toMatch(/^replayer event loop busy \d+ %, saturated \d+ % of the replay, delay p99 [\d.]+ ms, own send lag p99 [\d.]+ m?s: the bottleneck \(see above\)$/m);
      expect(r.findings.find((f) => f.id === 'replayer-bottleneck')!.text).toMatch(/^The replayer itself was a bottleneck \(sheetsim, not the target\)/);
      // Whether or not the deadline cut the run short here, the target is not blamed for the backlog.
      expect(res.stdout).not.toContain('the target could not keep up');
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('Ctrl-C on a child sheetsim run leaves a report marked partial', async () => {
    const out = join(dir, 'sigint');
    const child = spawn(process.execPath, [join(REPO, 'bin/sheetsim.js'), 'run', '--trace', trace, '--out', out, '--speed', '1', '--latency', 'off', '--quota', 'off'], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    // Interrupt once the replay is under way (its events file exists), well before the 60 s trace ends.
    for (let i = 0; i < 200 && !existsSync(join(out, 'events.jsonl')); i++) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 2000));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(code).toBe(130);
    expect(stdout).toMatch(/^report: /m);
    const r = readReport(out);
    expect(r.run.partial).toBe(true);
    expect(r.totals.requests).toBeGreaterThan(0);
    expect(r.totals.requests).toBeLessThan(r.trace.events);
  });
});
