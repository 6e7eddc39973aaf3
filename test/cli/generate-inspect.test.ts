import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '../../bin/sheetsim.js');
let dir: string;
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8' });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sheetsim-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('sheetsim generate / inspect', () => {
  it('two processes produce identical bytes and print the same sha256; another seed differs', async () => {
    const a = run('generate', '--seed', '42', '--duration', '2m', '--out', 'a.jsonl');
    const b = run('generate', '--seed', '42', '--duration', '2m', '--out', 'sub/b.jsonl');
    const c = run('generate', '--seed', '43', '--duration', '2m', '--out', 'c.jsonl');
    for (const r of [a, b, c]) expect(r.status, r.stderr).toBe(0);
    const sha = (out: string) => /^sha256: ([0-9a-f]{64})$/m.exec(out)![1];
    expect(sha(a.stdout)).toBe(sha(b.stdout));
    expect(sha(c.stdout)).not.toBe(sha(a.stdout));
    expect(await readFile(join(dir, 'a.jsonl'))).toEqual(await readFile(join(dir, 'sub/b.jsonl')));
    expect(a.stdout).toMatch(/^events: \d+ /m);
    expect(a.stdout).toMatch(/^choices: finalizar_arm_10 /m);
  });

  it('inspect shows duration, workers, events per scenario and requests per minute; --json is machine-readable', () => {
    const text = run('inspect', 'a.jsonl');
    expect(text.status, text.stderr).toBe(0);
    for (const s of ['profile    zeues, seed 42', 'duration', 'workers', 'events', 'Requests by scenario', 'finalizar_sold_5', 'Requests per simulated minute', 'regenerate identical', '(valid']) {
      expect(text.stdout).toContain(s);
    }
    const json = run('inspect', '--json', 'a.jsonl');
    const s = JSON.parse(json.stdout);
    expect(s.header.seed).toBe(42);
    expect(s.perMinute).toHaveLength(2);
    expect(s.generator.reproduces).toBe(true);
    expect(Object.keys(s.choices)).toEqual(['finalizar_arm_10', 'finalizar_sold_5', 'finalizar_arm_50', 'iniciar', 'disponibles_arm', 'metricas']);
  });

  it("generate's choice counts are inspect's (choices cut off by the trace end are listed apart by both)", () => {
    const g = run('generate', '--seed', '3', '--out', 'seed3.jsonl');
    expect(g.status, g.stderr).toBe(0);
    const printed = Object.fromEntries([...(/^choices: (.*)$/m.exec(g.stdout)![1]!).matchAll(/(\w+) (\d+) \(/g)].map((m) => [m[1], Number(m[2])]));
    const s = JSON.parse(run('inspect', '--json', 'seed3.jsonl').stdout);
    expect(printed).toEqual(Object.fromEntries(Object.entries(s.choices as Record<string, { count: number }>).map(([c, v]) => [c, v.count])));
    const unfinished = /^unfinished: (\d+) \(/m.exec(g.stdout);
    expect(Number(unfinished?.[1])).toBe(s.unfinishedChoices);
    expect(s.unfinishedChoices).toBeGreaterThan(0);
  });

  it('the default path names every option that changes the bytes; another trace is never replaced without --force', async () => {
    const a = run('generate', '--seed', '5', '--workers', '4', '--duration', '30s');
    expect(a.status, a.stderr).toBe(0);
    expect(a.stdout).toMatch(/^trace: traces\/zeues-seed5-w4-d30s-s2000-c0.05.jsonl$/m);
    const b = run('generate', '--seed', '5', '--workers', '4', '--duration', '30s', '--payroll', '20', '--start-date', '2026-06-01');
    expect(b.stdout).toMatch(/^trace: traces\/zeues-seed5-w4-d30s-s2000-c0.05-p20-2026-06-01.jsonl$/m);

    const first = run('generate', '--seed', '5', '--duration', '30s', '--out', 'keep.jsonl');
    expect(first.status, first.stderr).toBe(0);
    const before = await readFile(join(dir, 'keep.jsonl'));
    const same = run('generate', '--seed', '5', '--duration', '30s', '--out', 'keep.jsonl');
    expect(same.status, same.stderr).toBe(0);
    const other = run('generate', '--seed', '6', '--duration', '30s', '--out', 'keep.jsonl');
    expect(other.status).toBe(2);
    expect(other.stderr).toMatch(/^sheetsim generate: keep.jsonl already holds another trace \(sha256 [0-9a-f]{12}…, this one is [0-9a-f]{12}…\); pass --force to replace it or choose another --out\n$/);
    expect(await readFile(join(dir, 'keep.jsonl'))).toEqual(before);
    expect((await readdir(dir)).filter((f) => f.startsWith('keep.jsonl.'))).toEqual([]);
    const forced = run('generate', '--seed', '6', '--duration', '30s', '--out', 'keep.jsonl', '--force');
    expect(forced.status, forced.stderr).toBe(0);
    expect(await readFile(join(dir, 'keep.jsonl'))).not.toEqual(before);

    await writeFile(join(dir, 'notes.txt'), 'my notes\n');
    const clobber = run('generate', '--duration', '30s', '--out', 'notes.txt');
    expect(clobber.status).toBe(2);
    expect(clobber.stderr).toBe('sheetsim generate: notes.txt exists and is not a sheetsim trace; pass --force to replace it or choose another --out\n');
    expect(await readFile(join(dir, 'notes.txt'), 'utf8')).toBe('my notes\n');
  });

  it('a bad file gives a one-line error with its line number and exit code 2', async () => {
    const lines = (await readFile(join(dir, 'a.jsonl'), 'utf8')).split('\n');
    lines[4] = lines[4]!.replace(/"t":\d+/, '"t":-3');
    await writeFile(join(dir, 'bad.jsonl'), lines.join('\n'));
    const r = run('inspect', 'bad.jsonl');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("sheetsim inspect: bad.jsonl:5: field 't' must be a non-negative integer, got -3\n");
    const good = (await readFile(join(dir, 'a.jsonl'), 'utf8')).split('\n');
    await writeFile(join(dir, 'trunc.jsonl'), good.slice(0, 10).join('\n') + '\n');
    const t = run('inspect', 'trunc.jsonl');
    expect(t.status).toBe(2);
    expect(t.stderr).toBe('sheetsim inspect: trunc.jsonl: truncated after line 10 (no footer)\n');
  });

  it('bad flags exit 2 naming the flag; --help teaches options, defaults and examples', () => {
    const r = run('generate', '--workers', 'many');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--workers expects a whole number, got 'many'/);
    const p = run('generate', '--profile', 'k6');
    expect(p.status).toBe(2);
    expect(p.stderr).toMatch(/--profile must be one of zeues, locust/);
    const h = run('generate', '--help');
    expect(h.status).toBe(0);
    for (const s of ['--seed N', '(default: 42)', '(default: 5m)', '(default: 0.05)', '(default: 2026-03-02)', 'Examples:']) expect(h.stdout).toContain(s);
    expect(run('inspect', '--help').stdout).toContain('--json');
  });
});
