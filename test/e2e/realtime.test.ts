import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../simulator/report/model.ts';
import { REPO, cli, smallTrace, tempDir } from './helpers.ts';

const readReport = (dir: string) => JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
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

  it('records a target that is down as ECONNREFUSED in a complete report', async () => {
    const out = join(dir, 'down');
    const port = await closedPort();
    const res = await cli(['run', '--trace', trace, '--out', out, '--target', `http://127.0.0.1:${port}`, '--speed', '50', '--warn-only']);
    expect(res.code, res.stderr).toBe(0);
    const r = readReport(out);
    expect(r.totals.requests).toBe(r.trace.events);
    expect(r.totals.errors).toEqual({ ECONNREFUSED: r.trace.events });
    expect(r.sheets.available).toBe(false);
    for (const s of Object.values(r.scenarios)) expect(s.sheetsCalls).toBeNull();
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

  it('a target that dies mid-run gives classified errors and a complete report marked partial', async () => {
    const out = join(dir, 'dies');
    // Start the backend, and once it answers (however long that takes on a busy machine) kill it 1 s later.
    const backend = `node ${join(REPO, 'bin/sheetsim.js')} backend`;
    const cmd = `${backend} & p=$!; until curl -sf http://127.0.0.1:$PORT/api/health >/dev/null; do sleep 0.2; done; sleep 1; kill -9 $p; wait`;
    const res = await cli(['run', '--trace', trace, '--out', out, '--target-cmd', cmd, '--speed', '10', '--latency', 'off', '--quota', 'off', '--warn-only']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toContain('target command exited');
    const r = readReport(out);
    expect(r.run.partial).toBe(true);
    expect(r.totals.requests).toBe(r.trace.events);
    expect(r.totals.errors['ECONNREFUSED'] ?? 0).toBeGreaterThan(0);
    expect(r.totals.ok).toBeGreaterThan(0);
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
