/**
 * The folder of sheetsim's package.json. Sources run from `simulator/…` and the compiled build from
 * `dist/simulator/…`, so a fixed `../../` would be right in one of them only; the nearest folder holding a
 * package.json is right in both, and in an installed package (`node_modules/sheetsim/`).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}

/** Absolute path of the package root (where package.json, docs/ and adapters/ are). */
export const PACKAGE_ROOT: string = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** Absolute path of a file shipped with the package, e.g. `packagePath('docs', 'report.schema.json')`. */
export function packagePath(...parts: string[]): string {
  return join(PACKAGE_ROOT, ...parts);
}
