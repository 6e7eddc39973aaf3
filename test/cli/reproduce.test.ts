// `sheetsim run --reproduce`: what it says about the runtime a report was recorded with, and which reports it takes.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = new URL('../../bin/sheetsim.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'sheetsim-reproduce-'));

async function sheetsim(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)('node', [BIN, ...args], { cwd: dir, maxBuffer: 16 << 20 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const editReport = (name: string, edit: (json: Record<string, any>) => void) => {
  const path = join(dir, name, 'report.json');
  const json = JSON.parse(readFileSync(path, 'utf8'));
  edit(json);
  writeFileSync(path, JSON.stringify(json, null, 2));
};

describe('sheetsim run --reproduce', () => {
  beforeAll(async () => {
    const r = await sheetsim(['run', '--mode', 'exact', '--duration', '30s', '--workers', '3', '--spools', '50', '--quota', 'off', '--warn-only', '--out', 'base']);
    expect(r.code, r.stderr).toBe(0);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('records Node, tz and ICU versions next to sheetsim', () => {
    const json = JSON.parse(readFileSync(join(dir, 'base', 'report.json'), 'utf8'));
    expect(json.sheetsim).toEqual({ version: expect.any(String), node: process.version, tz: process.versions.tz ?? 'none', icu: process.versions.icu ?? 'none' });
  });

  it('says nothing about the runtime when it is the same, and warns in one line (and runs) when it is not', async () => {
    const same = await sheetsim(['run', '--reproduce', 'base', '--out', 'again']);
    expect(same.code, same.stderr).toBe(0);
    expect(same.stderr).not.toMatch(/warning/);
    expect(same.stdout).toMatch(/^reproduced: the digest matches base$/m);

    cpSync(join(dir, 'base'), join(dir, 'elsewhere'), { recursive: true });
    editReport('elsewhere', (json) => {
      json.sheetsim.tz = '2019a';
      json.sheetsim.icu = '64.1';
    });
    const other = await sheetsim(['run', '--reproduce', 'elsewhere', '--out', 'again-2']);
    expect(other.code, other.stderr).toBe(0);
    const warnings = other.stderr.split('\n').filter((l) => l.includes('warning'));
    expect(warnings).toEqual([
      `sheetsim run: warning: elsewhere was recorded with another runtime (tz 2019a → ${process.versions.tz ?? 'none'}, icu 64.1 → ${process.versions.icu ?? 'none'}); a different digest may come from that`,
    ]);
    expect(other.stdout).toMatch(/^reproduced: the digest matches elsewhere$/m);
  }, 120_000);

  it('refuses a realtime report (it has no digest) with exit 2 and one line, as its help says', async () => {
    cpSync(join(dir, 'base'), join(dir, 'realtime'), { recursive: true });
    editReport('realtime', (json) => {
      json.run.mode = 'realtime';
      json.digest = null;
    });
    const r = await sheetsim(['run', '--reproduce', 'realtime']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^sheetsim run: realtime is a realtime run without a digest: --reproduce re-runs exact-mode reports only \(to repeat this one, run --trace \S+ again\)\n$/);
    const help = await sheetsim(['run', '--help']);
    expect(help.stdout).toMatch(/--reproduce DIR[\s\S]*exact-mode report[\s\S]*2 for a realtime report/);
  });
});
