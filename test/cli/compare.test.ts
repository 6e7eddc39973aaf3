// End-to-end: `sheetsim compare` on a temporary clone of this repository with one extra commit on top that makes
// the reference backend read one more row per FINALIZAR (a real code change between two commits). The clone links
// this checkout's node_modules, and compare links it into its worktrees (identical package-lock.json), so no npm ci.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = new URL('../..', import.meta.url).pathname;
const BIN = join(ROOT, 'bin', 'sheetsim.js');
const dir = mkdtempSync(join(tmpdir(), 'sheetsim-compare-'));
const repo = join(dir, 'repo');
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] }).toString().trim();

async function sheetsim(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', [BIN, ...args], { cwd: repo, maxBuffer: 32 << 20 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const TRACE = ['--duration', '1m', '--workers', '10', '--spools', '100', '--mode', 'exact', '--no-color'];
let baseSha = '';
let headSha = '';

beforeAll(() => {
  execFileSync('git', ['clone', '--quiet', '--shared', '--no-checkout', ROOT, repo]);
  git('checkout', '--quiet', '--detach', execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT }).toString().trim());
  symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(repo, 'node_modules'), 'dir');
  baseSha = git('rev-parse', 'HEAD');
  const app = join(repo, 'backend', 'app.ts');
  const text = readFileSync(app, 'utf8');
  expect(text).toContain('parseTestHooks(process.env)');
  writeFileSync(app, text.replace('parseTestHooks(process.env)', "parseTestHooks({ ...process.env, SHEETSIM_BACKEND_EXTRA_READ: 'finalizar' })"));
  git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '--quiet', '-am', 'one more read per FINALIZAR');
  headSha = git('rev-parse', 'HEAD');
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const worktrees = () => git('worktree', 'list').split('\n').length;

describe('sheetsim compare BASE HEAD', () => {
  it('the same commit on both sides: no difference, exit 0, commits recorded, worktrees removed', async () => {
    const r = await sheetsim(['compare', 'HEAD~1', 'HEAD~1', ...TRACE, '--runs', '1', '--out', join(dir, 'aa')]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`sheetsim diff HEAD~1 @ ${baseSha.slice(0, 10)} → HEAD~1 @ ${baseSha.slice(0, 10)}: no difference`));
    expect(r.stderr).toMatch(/prepared: linked node_modules/);
    expect(r.stderr).toMatch(/exact run 1\/1 of head \(HEAD~1 @ /);
    const report = JSON.parse(readFileSync(join(dir, 'aa', 'exact-head-1', 'report.json'), 'utf8'));
    expect(report.run.target.commit).toBe(baseSha);
    expect(readFileSync(join(dir, 'aa', 'compare.md'), 'utf8')).toMatch(/^### ✅ /);
    expect(worktrees()).toBe(1);
    const made = [...r.stderr.matchAll(/checked out in (\S+)/g)].map((m) => m[1]!);
    expect(made).toHaveLength(2);
    for (const d of made) expect(existsSync(d)).toBe(false);
  }, 300_000);

  it('one more values.get per FINALIZAR: a regression naming the FINALIZAR scenarios and the method, exit 1', async () => {
    const r = await sheetsim(['compare', 'HEAD~1', 'HEAD', ...TRACE, '--runs', '1', '--out', join(dir, 'ab')]);
    expect(r.code, r.stderr + r.stdout).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`sheetsim diff HEAD~1 @ ${baseSha.slice(0, 10)} → HEAD @ ${headSha.slice(0, 10)}: REGRESSION`));
    const flagged = [...r.stdout.matchAll(/✗ regression\s+(\w+): Sheets calls per operation [\d.]+ → [\d.]+ \(\+1 values\.get per operation\)/g)].map((m) => m[1]);
    expect(flagged.length).toBeGreaterThan(0);
    expect(flagged.every((s) => s!.startsWith('finalizar_'))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'ab', 'exact-head-1', 'report.json'), 'utf8')).run.target.commit).toBe(headSha);
    const html = readFileSync(join(dir, 'ab', 'compare.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('class="changed"');
    expect(worktrees()).toBe(1);
  }, 300_000);

  it('Ctrl-C during a run: exit 130 and both worktrees removed', async () => {
    const child = spawn('node', [BIN, 'compare', 'HEAD~1', 'HEAD', '--mode', 'realtime', '--speed', '1', '--duration', '2m', '--workers', '5', '--spools', '50', '--out', join(dir, 'int')], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
    await new Promise<void>((res) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/realtime run 1\/3 of base/.test(stderr)) res();
      });
    });
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const made = [...stderr.matchAll(/checked out in (\S+)/g)].map((m) => m[1]!);
    expect(made).toHaveLength(2);
    for (const d of made) expect(existsSync(d)).toBe(false);
    expect(worktrees()).toBe(1);
  }, 120_000);

  it('refuses a ref that does not exist with exit 2, naming it', async () => {
    const r = await sheetsim(['compare', 'no-such-ref', 'HEAD', ...TRACE]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/'no-such-ref' is not a commit/);
  });
});
