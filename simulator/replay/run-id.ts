/** Run ids and report folders: `YYYYMMDD-HHMMSS-<profile>-seed<seed>-<mode>`, made unique with a suffix. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The run id for a start time (UTC), profile, seed and mode. */
export function runId(start: Date, profile: string, seed: number, mode: string): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${start.getUTCFullYear()}${p(start.getUTCMonth() + 1)}${p(start.getUTCDate())}-${p(start.getUTCHours())}${p(start.getUTCMinutes())}${p(start.getUTCSeconds())}`;
  return `${stamp}-${profile}-seed${seed}-${mode}`;
}

/** A folder under `root` named `id`, or `id-2`, `id-3`... when it is taken. */
export function uniqueDir(root: string, id: string): { id: string; dir: string } {
  let candidate = id;
  for (let n = 2; existsSync(join(root, candidate)); n++) candidate = `${id}-${n}`;
  return { id: candidate, dir: join(root, candidate) };
}
