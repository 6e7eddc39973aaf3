/**
 * Worlds built before, kept on disk: the embedded target's mock opens a world's store image (mock-sheets/store-image.ts)
 * when this machine has built the same world with the same code, instead of generating its two workbooks and loading
 * their ~440,000 inputs with USER_ENTERED semantics (~0.6 s of the child's CPU for the default world, ahead of every
 * run). A reproduction, each side of a `compare` and a CI job that keeps the folder all start from the same world.
 *
 * Keyed by the world's parameters and a fingerprint of the code that builds and stores a world (the contents of every
 * file under mock-sheets/ and simulator/workload/ of the running build, and of this one): an edit there, or another
 * checkout's code, builds afresh. A file that is unreadable, cut short or from another format is built over. Files
 * are written whole (a temporary file renamed), and only the most recently used are kept: at most MAX_WORLDS files
 * and MAX_BYTES in all (the world just written always stays). A folder that cannot be written leaves runs
 * uncached, not failed.
 *
 * The folder: `SHEETSIM_CACHE_DIR`, else `$XDG_CACHE_HOME/sheetsim`, else `~/.cache/sheetsim`; `SHEETSIM_CACHE_DIR=off`
 * builds every world afresh.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SheetsStore } from '../../mock-sheets/store.ts';
import { decodeStore, encodeStore } from '../../mock-sheets/store-image.ts';
import type { WorldParams } from '../trace/types.ts';
import { generateWorld, worldWorkbooks } from '../workload/world.ts';

export const CACHE_DIR_ENV = 'SHEETSIM_CACHE_DIR';
/** Worlds kept (the default world's file is ~17 MB). */
export const MAX_WORLDS = 8;
/** Bytes kept in all (a world of 10,000 spools is ~85 MB). */
export const MAX_BYTES = 512 * 1024 * 1024;
/** How much the cache keeps (tests pass smaller ones). */
export interface CacheLimits {
  worlds: number;
  bytes: number;
}
const SUFFIX = '.world';

/** A world's store, ready to serve, and its two spreadsheets. */
export interface WorldStore {
  store: SheetsStore;
  spreadsheetId: string;
  auditSpreadsheetId: string;
  /** Whether it came from the cache. */
  cached: boolean;
}

/** The cache folder `env` names (see the head of this file), or null when the cache is off. */
export function worldCacheDir(env: NodeJS.ProcessEnv = process.env): string | null {
  const dir = env[CACHE_DIR_ENV];
  if (dir === 'off') return null;
  if (dir) return resolve(dir);
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'sheetsim');
}

let fingerprint: string | undefined;

/** sha256 over the names and contents of the files of the code that builds and stores a world (once a process). */
function codeFingerprint(): string {
  if (fingerprint !== undefined) return fingerprint;
  // This file is <root>/simulator/replay/ in the sources and <root>/dist/simulator/replay/ in the build.
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const hash = createHash('sha256');
  for (const folder of ['mock-sheets', join('simulator', 'workload')]) {
    const names = readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' }).sort();
    for (const name of names) {
      const path = join(root, folder, name);
      if (!statSync(path).isFile()) continue;
      hash.update(`${folder}/${name}\0`).update(readFileSync(path)).update('\0');
    }
  }
  // And this file: buildWorldStore is how a world goes into a store.
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  fingerprint = hash.digest('hex');
  return fingerprint;
}

/** The file name of a world: its parameters and the code's fingerprint. */
export function worldKey(params: WorldParams): string {
  return createHash('sha256').update(JSON.stringify(params)).update('\0').update(codeFingerprint()).digest('hex').slice(0, 32);
}

/** Generate the world of `params` and load its workbooks into a new in-memory store. */
export function buildWorldStore(params: WorldParams): WorldStore {
  const world = generateWorld(params);
  const store = new SheetsStore();
  store.transaction(() => {
    for (const spec of worldWorkbooks(world)) store.loadWorkbook(spec);
  });
  return { store, spreadsheetId: world.workbook.spreadsheetId, auditSpreadsheetId: world.auditWorkbook.spreadsheetId, cached: false };
}

/** The world of `params`: from `dir` when it holds it, else built (and kept there when `dir` is not null). */
export function worldStore(params: WorldParams, dir: string | null = worldCacheDir(), limits: CacheLimits = { worlds: MAX_WORLDS, bytes: MAX_BYTES }): WorldStore {
  if (dir === null) return buildWorldStore(params);
  let file: string;
  try {
    file = join(dir, worldKey(params) + SUFFIX);
  } catch {
    // The code's files cannot be read (an unusual install): no key, so no cache.
    return buildWorldStore(params);
  }
  const hit = readCached(file);
  if (hit) return hit;
  const built = buildWorldStore(params);
  keep(dir, file, encodeStore(built.store, { spreadsheetId: built.spreadsheetId, auditSpreadsheetId: built.auditSpreadsheetId }), limits);
  return built;
}

function readCached(file: string): WorldStore | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return null;
  }
  try {
    const { store, meta } = decodeStore(bytes);
    const ids = meta as { spreadsheetId?: unknown; auditSpreadsheetId?: unknown } | null;
    if (typeof ids?.spreadsheetId !== 'string' || typeof ids.auditSpreadsheetId !== 'string') {
      store.close();
      return null;
    }
    touch(file);
    return { store, spreadsheetId: ids.spreadsheetId, auditSpreadsheetId: ids.auditSpreadsheetId, cached: true };
  } catch {
    // Cut short, another format, or a database that does not open: built over.
    return null;
  }
}

function touch(file: string): void {
  const now = new Date();
  try {
    utimesSync(file, now, now);
  } catch {
    // Only the eviction order depends on it.
  }
}

/** Write `bytes` to `file` whole, then drop the least recently used worlds beyond the limits. */
function keep(dir: string, file: string, bytes: Buffer, limits: CacheLimits): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(temporary, bytes);
    renameSync(temporary, file);
  } catch {
    remove(temporary);
    return;
  }
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  const worlds = names
    .filter((name) => name.endsWith(SUFFIX))
    .map((name) => ({ path: join(dir, name), ...sizeAndUse(join(dir, name)) }))
    .sort((a, b) => b.used - a.used);
  let bytesKept = 0;
  worlds.forEach((world, i) => {
    bytesKept += world.bytes;
    if (world.path !== file && (i >= limits.worlds || bytesKept > limits.bytes)) remove(world.path);
  });
  // A temporary file an hour old was left by a process killed while writing it.
  for (const name of names) if (name.endsWith('.tmp') && sizeAndUse(join(dir, name)).used < Date.now() - 3_600_000) remove(join(dir, name));
}

/** A file's size and mtime (its last use), or zeros when it went meanwhile (another process evicting). */
function sizeAndUse(path: string): { bytes: number; used: number } {
  try {
    const stat = statSync(path);
    return { bytes: stat.size, used: stat.mtimeMs };
  } catch {
    return { bytes: 0, used: 0 };
  }
}

function remove(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Gone already.
  }
}
