import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildWorldStore, MAX_BYTES, MAX_WORLDS, worldCacheDir, worldKey, worldStore } from '../../simulator/replay/world-cache.ts';
import type { WorldParams } from '../../simulator/trace/types.ts';

const root = mkdtempSync(join(tmpdir(), 'sheetsim-worlds-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = (): string => join(root, `c${n++}`);

const small = (seed: number): WorldParams => ({ seed, spools: 40, workers: 12, startDate: '2026-03-02' });
const worldFiles = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.world'));

describe('the cache of built worlds', () => {
  it('builds a world once, then opens the same workbook from the cache', () => {
    const dir = freshDir();
    const built = buildWorldStore(small(7));
    const first = worldStore(small(7), dir);
    const second = worldStore(small(7), dir);
    expect([first.cached, second.cached]).toEqual([false, true]);
    expect(worldFiles(dir)).toEqual([`${worldKey(small(7))}.world`]);
    expect(second.store.export()).toEqual(built.store.export());
    expect(second.store.digest()).toBe(built.store.digest());
    expect([second.spreadsheetId, second.auditSpreadsheetId]).toEqual([built.spreadsheetId, built.auditSpreadsheetId]);
    // A world from the cache is its own store: writing to one leaves the file, and the next, alone.
    const sid = second.store.sheets(second.spreadsheetId)[0]!.sid;
    second.store.writeCell(sid, 1, 0, { value: 'changed' });
    expect(worldStore(small(7), dir).store.digest()).toBe(built.store.digest());
  });

  it('keys a world by its parameters', () => {
    const dir = freshDir();
    const a = worldStore(small(1), dir);
    const b = worldStore({ ...small(1), spools: 41 }, dir);
    expect(b.cached).toBe(false);
    expect(b.store.digest()).not.toBe(a.store.digest());
    expect(worldFiles(dir)).toHaveLength(2);
  });

  it('builds over a file that is cut short or not an image', () => {
    const dir = freshDir();
    const expected = buildWorldStore(small(3)).store.digest();
    worldStore(small(3), dir);
    const file = join(dir, `${worldKey(small(3))}.world`);
    const whole = readFileSync(file);
    for (const damaged of [whole.subarray(0, whole.length / 2), Buffer.from('not a world')]) {
      writeFileSync(file, damaged);
      const again = worldStore(small(3), dir);
      expect(again.cached).toBe(false);
      expect(again.store.digest()).toBe(expected);
      expect(readFileSync(file).equals(whole)).toBe(true);
    }
  });

  it(`keeps the ${MAX_WORLDS} most recently used worlds`, () => {
    const dir = freshDir();
    const seeds = Array.from({ length: MAX_WORLDS + 2 }, (_, i) => 100 + i);
    seeds.forEach((seed, i) => {
      worldStore(small(seed), dir);
      // mtimes a second apart, oldest first, so the order does not hang on the file system's clock resolution.
      const at = new Date(Date.UTC(2026, 0, 1, 0, 0, i));
      utimesSync(join(dir, `${worldKey(small(seed))}.world`), at, at);
    });
    // 100 and 101 went as 108 and 109 came. A hit makes 102 the most recently used, so 100, built again, evicts 103.
    expect(worldStore(small(102), dir).cached).toBe(true);
    expect(worldStore(small(100), dir).cached).toBe(false);
    expect(worldFiles(dir).sort()).toEqual([100, 102, ...seeds.slice(4)].map((s) => `${worldKey(small(s))}.world`).sort());
  });

  it(`keeps at most ${MAX_BYTES / 1024 / 1024} MB of worlds, the one just written always`, () => {
    const dir = freshDir();
    const bytesOf = (seed: number): number => statSync(join(dir, `${worldKey(small(seed))}.world`)).size;
    worldStore(small(21), dir);
    const older = new Date(Date.now() - 60_000);
    utimesSync(join(dir, `${worldKey(small(21))}.world`), older, older);
    // Room for two worlds of this size but not three: the new one and the most recent stay.
    const limits = { worlds: MAX_WORLDS, bytes: bytesOf(21) * 2.5 };
    worldStore(small(22), dir, limits);
    expect(worldFiles(dir)).toHaveLength(2);
    utimesSync(join(dir, `${worldKey(small(22))}.world`), new Date(Date.now() - 30_000), new Date(Date.now() - 30_000));
    worldStore(small(23), dir, limits);
    expect(worldFiles(dir).sort()).toEqual([22, 23].map((seed) => `${worldKey(small(seed))}.world`).sort());
    // A world over the limit on its own is kept when it is the one just written; every other goes.
    worldStore(small(24), dir, { worlds: MAX_WORLDS, bytes: 1 });
    expect(worldFiles(dir)).toEqual([`${worldKey(small(24))}.world`]);
  });

  it('removes temporary files an hour old (a process killed while writing), not younger ones', () => {
    const dir = freshDir();
    mkdirSync(dir, { recursive: true });
    const old = join(dir, 'x.world.123.tmp');
    const young = join(dir, 'y.world.456.tmp');
    writeFileSync(old, 'half');
    writeFileSync(young, 'half');
    const hourAgo = new Date(Date.now() - 3_700_000);
    utimesSync(old, hourAgo, hourAgo);
    worldStore(small(11), dir);
    expect(readdirSync(dir).sort()).toEqual([`${worldKey(small(11))}.world`, 'y.world.456.tmp']);
  });

  it('runs uncached when the folder cannot be written', () => {
    if (process.getuid?.() === 0) {
      // root writes anywhere: a file where the folder should be stands in for a read-only one.
      const blocked = join(root, `file${n++}`);
      writeFileSync(blocked, '');
      const world = worldStore(small(5), join(blocked, 'worlds'));
      expect(world.cached).toBe(false);
      expect(world.store.digest()).toBe(buildWorldStore(small(5)).store.digest());
      return;
    }
    const dir = freshDir();
    mkdirSync(dir);
    chmodSync(dir, 0o500);
    expect(worldStore(small(5), dir).cached).toBe(false);
    expect(worldFiles(dir)).toEqual([]);
  });

  it('is found through SHEETSIM_CACHE_DIR, XDG_CACHE_HOME or ~/.cache, and off with SHEETSIM_CACHE_DIR=off', () => {
    expect(worldCacheDir({ SHEETSIM_CACHE_DIR: '/x/worlds', XDG_CACHE_HOME: '/y' })).toBe('/x/worlds');
    expect(worldCacheDir({ XDG_CACHE_HOME: '/y' })).toBe('/y/sheetsim');
    expect(worldCacheDir({ HOME: '/home/u' })).toMatch(/\/\.cache\/sheetsim$/);
    expect(worldCacheDir({ SHEETSIM_CACHE_DIR: 'off' })).toBeNull();
    const uncached = worldStore(small(9), null);
    expect(uncached.cached).toBe(false);
  });
});
