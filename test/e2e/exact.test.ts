import { existsSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeStore, encodeStore } from '../../mock-sheets/store-image.ts';
import { cli, digestOf, readEvents, readReport, smallTrace, tempDir } from './helpers.ts';

describe('sheetsim run --mode exact', () => {
  let dir: string;
  let trace: string;
  beforeAll(async () => {
    dir = tempDir();
    trace = await smallTrace(dir);
  });

  it('prints the same digest on three runs, another one when the backend profile changes, and --reproduce confirms it', async () => {
    const digests: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await cli(['run', '--mode', 'exact', '--trace', trace, '--out', join(dir, `exact-${i}`), '--no-gates']);
      expect(res.code, res.stderr).toBe(0);
      const d = digestOf(res.stdout);
      expect(d).not.toBeNull();
      digests.push(d!);
    }
    expect(new Set(digests).size).toBe(1);
    const report = readReport(join(dir, 'exact-0'));
    expect(report.digest).toBe(digests[0]);
    expect(report.run.mode).toBe('exact');
    expect(report.trace.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(report.sheets.available).toBe(true);
    expect(report.sheets.calls).toBeGreaterThan(0);
    const events = readFileSync(join(dir, 'exact-0', 'events.jsonl'), 'utf8').trim().split('\n');
    expect(events).toHaveLength(report.totals.requests);
    // every event's calls are known exactly, and they add up to the Sheets total
    const perEvent = events.map((l) => (JSON.parse(l) as { sheetsCalls: number }).sheetsCalls);
    expect(perEvent.every((n) => typeof n === 'number')).toBe(true);
    expect(perEvent.reduce((a, b) => a + b, 0)).toBe(report.sheets.calls);

    const zeues = await cli(['run', '--mode', 'exact', '--trace', trace, '--backend-profile', 'zeues', '--out', join(dir, 'exact-zeues'), '--no-gates']);
    expect(zeues.code, zeues.stderr).toBe(0);
    expect(digestOf(zeues.stdout)).not.toBe(digests[0]);

    const again = await cli(['run', '--reproduce', join(dir, 'exact-0'), '--out', join(dir, 'exact-repro')]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('reproduced: the digest matches');
    expect(digestOf(again.stdout)).toBe(digests[0]);
  });

  it('refuses --shard in exact mode and --mode exact on an external target without --sheets (exit 2)', async () => {
    const a = await cli(['run', '--mode', 'exact', '--trace', trace, '--shard', '0/2']);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('--shard');
    const b = await cli(['run', '--mode', 'exact', '--trace', trace, '--target', 'http://127.0.0.1:9']);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('--sheets');
  });

  it('names the file and line of a bad trace (exit 2)', async () => {
    const bad = join(dir, 'bad.jsonl');
    const lines = readFileSync(trace, 'utf8').split('\n');
    lines[2] = '{"seq": "x"}';
    (await import('node:fs')).writeFileSync(bad, lines.join('\n'));
    const res = await cli(['run', '--mode', 'exact', '--trace', bad, '--out', join(dir, 'bad-run')]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/bad\.jsonl:3/);
  });

  it('refuses a truncated trace before starting anything, in realtime too (exit 2)', async () => {
    const cut = join(dir, 'cut.jsonl');
    writeFileSync(cut, readFileSync(trace, 'utf8').split('\n').slice(0, 4).join('\n') + '\n');
    const res = await cli(['run', '--trace', cut, '--speed', '100', '--out', join(dir, 'cut-run')]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/cut\.jsonl: truncated after line 4 \(no footer\)/);
    expect(existsSync(join(dir, 'cut-run'))).toBe(false);
  });

  it('kill -9 of the embedded target mid-run: the run ends there, the report is invalid with what was answered, no digest, exit 1', async () => {
    const out = join(dir, 'dies');
    // 50 ms per INICIAR/FINALIZAR: the replay lasts seconds, so the kill below lands in it.
    const before = process.env.SHEETSIM_BACKEND_DELAY;
    process.env.SHEETSIM_BACKEND_DELAY = 'iniciar=50,finalizar=50';
    let killed = false;
    const killer = (async () => {
      // The embedded target is this process's child; once its mock has logged 10 calls (the warm-up makes one), kill it.
      for (let i = 0; i < 1200 && !killed; i++) {
        const child = embeddedChild();
        const calls = child === null ? 0 : await mockCalls(child);
        if (child !== null && calls >= 10) {
          process.kill(child, 'SIGKILL');
          killed = true;
        } else await new Promise((r) => setTimeout(r, 50));
      }
    })();
    let res;
    try {
      res = await cli(['run', '--mode', 'exact', '--trace', trace, '--out', out, '--warn-only']);
    } finally {
      if (before === undefined) delete process.env.SHEETSIM_BACKEND_DELAY;
      else process.env.SHEETSIM_BACKEND_DELAY = before;
      killed = true;
      await killer;
    }
    expect(res.code, res.stderr).toBe(1);
    expect(res.stdout).toMatch(/^INVALID {2}target unreachable from s = \d+: /m);
    expect(res.stdout).toContain('PERF gates not evaluated');
    expect(res.stderr).toMatch(/the mock Sheets API stopped answering .*: the run ended there/);
    const r = readReport(out);
    expect(r.run.partial).toBe(true);
    expect(r.digest).toBeNull();
    expect(r.gates).toEqual([]);
    expect(r.run.validity!.valid).toBe(false);
    expect(r.run.validity!.reasons.join(' ')).toMatch(/embedded target exited \(signal SIGKILL\)/);
    // Every event answered is in the report and in events.jsonl; the rest of the trace was not sent.
    const events = readEvents(out);
    expect(events).toHaveLength(r.totals.requests);
    expect(r.totals.requests).toBeGreaterThan(0);
    expect(r.totals.requests).toBeLessThan(r.trace.events);
  }, 120_000);

  it('starts the embedded target from the cache of built worlds: the same digest as a cold start, and the cached world is the one served', async () => {
    const worlds = join(dir, 'worlds');
    const before = process.env.SHEETSIM_CACHE_DIR;
    process.env.SHEETSIM_CACHE_DIR = worlds;
    try {
      const run = async (name: string): Promise<string> => {
        const res = await cli(['run', '--mode', 'exact', '--trace', trace, '--out', join(dir, name), '--no-gates']);
        expect(res.code, res.stderr).toBe(0);
        return digestOf(res.stdout)!;
      };
      const cold = await run('world-cold');
      const [file] = readdirSync(worlds).filter((f) => f.endsWith('.world'));
      expect(file).toBeDefined();
      expect(await run('world-warm')).toBe(cold);

      // A world whose first data row reads otherwise, under the same name: the run serves it, so its digest differs.
      const path = join(worlds, file!);
      const { store, meta } = decodeStore(readFileSync(path));
      const sid = store.sheets(store.firstSpreadsheetId()!)[0]!.sid;
      store.writeCell(sid, 1, 0, { value: 'OT-TAMPERED' });
      writeFileSync(path, encodeStore(store, meta));
      expect(await run('world-tampered')).not.toBe(cold);

      process.env.SHEETSIM_CACHE_DIR = 'off';
      expect(await run('world-off')).toBe(cold);
    } finally {
      if (before === undefined) delete process.env.SHEETSIM_CACHE_DIR;
      else process.env.SHEETSIM_CACHE_DIR = before;
    }
  });
});

/** The pid of this process's `sheetsim __embedded-target` child, or null. */
function embeddedChild(): number | null {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('__embedded-target')) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return null;
}

/** The call count of the mock a process serves (its listening ports asked for /__sheetsim/health), or 0. */
async function mockCalls(pid: number): Promise<number> {
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    }
  } catch {
    return 0;
  }
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    // st 0A: listening; f[9] the socket's inode.
    if (f[3] !== '0A' || !inodes.has(f[9]!)) continue;
    const port = Number.parseInt(f[1]!.split(':')[1]!, 16);
    try {
      const health = (await (await fetch(`http://127.0.0.1:${port}/__sheetsim/health`)).json()) as { calls?: number };
      if (typeof health.calls === 'number') return health.calls;
    } catch {
      // the backend's port, or not listening any more
    }
  }
  return 0;
}
