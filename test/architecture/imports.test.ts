/**
 * Layers only look down. Read from the import statements of the sources (test/architecture/import-graph.ts):
 * - nothing outside simulator/cli/ imports the CLI (errors every layer raises live in simulator/errors.ts);
 * - backend/ imports nothing from simulator/ or mock-sheets/ (it is a Sheets client like any other);
 * - mock-sheets/ imports nothing from simulator/ or backend/;
 * - simulator/ has no circle between files, and none between its folders.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { circles, importEdges, sourceFiles } from './import-graph.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const files = sourceFiles(ROOT, ['simulator', 'mock-sheets', 'backend']);
const edges = importEdges(ROOT, files);
const show = (e: { from: string; to: string; line: number }): string => `${e.from}:${e.line} imports ${e.to}`;

/**
 * The unit a file belongs to for the folder-level check: its folder under simulator/ (`simulator/replay`), a file
 * directly in simulator/ by itself. report/model.ts (the report's types, which metrics/, replay/ and diff/ fill or
 * read) is a unit of its own, below the rest of report/ (renderers, gates) that reads metrics/.
 */
function unit(file: string): string {
  if (file === 'simulator/report/model.ts') return file;
  const parts = file.split('/');
  return parts.length > 2 ? parts.slice(0, 2).join('/') : file;
}

describe('import graph', () => {
  it('reads the sources (a parser that finds nothing would pass every rule)', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(edges.some((e) => e.from === 'simulator/cli/main.ts' && e.to === 'simulator/cli/command.ts')).toBe(true);
    // every relative import resolves to a source file (or a JSON file next to it)
    expect(edges.filter((e) => !files.includes(e.to) && !e.to.endsWith('.json')).map(show)).toEqual([]);
  });

  it('finds a circle when there is one', () => {
    expect(circles(['a', 'b', 'c'], [['a', 'b'], ['b', 'c'], ['c', 'a']])).toEqual([['a', 'b', 'c']]);
    expect(circles(['a', 'b'], [['a', 'b']])).toEqual([]);
  });

  it('nothing below simulator/cli/ imports the CLI', () => {
    const up = edges.filter((e) => !e.from.startsWith('simulator/cli/') && e.to.startsWith('simulator/cli/'));
    expect(up.map(show)).toEqual([]);
  });

  it('backend/ imports nothing from simulator/ or mock-sheets/', () => {
    expect(edges.filter((e) => e.from.startsWith('backend/') && !e.to.startsWith('backend/')).map(show)).toEqual([]);
  });

  it('mock-sheets/ imports nothing from simulator/ or backend/', () => {
    expect(edges.filter((e) => e.from.startsWith('mock-sheets/') && !e.to.startsWith('mock-sheets/')).map(show)).toEqual([]);
  });

  it('simulator/ has no circle between files', () => {
    const sim = files.filter((f) => f.startsWith('simulator/'));
    expect(circles(sim, edges.map((e) => [e.from, e.to]))).toEqual([]);
  });

  it('simulator/ has no circle between folders', () => {
    const sim = edges.filter((e) => e.from.startsWith('simulator/') && e.to.startsWith('simulator/'));
    const units = [...new Set(files.filter((f) => f.startsWith('simulator/')).map(unit))];
    const unitEdges = sim.map((e) => [unit(e.from), unit(e.to)] as [string, string]).filter(([a, b]) => a !== b);
    const found = circles(units, unitEdges);
    // name the imports that close each circle, so the message says where to look
    const detail = found.map((c) => sim.filter((e) => c.includes(unit(e.from)) && c.includes(unit(e.to)) && unit(e.from) !== unit(e.to)).map(show));
    expect(detail).toEqual([]);
  });
});
