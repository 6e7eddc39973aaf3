/**
 * The import graph of the project's own source files, read from their import statements (no bundler, no
 * dependency): static imports, re-exports, side-effect imports and dynamic `import('…')` with a literal path.
 * Type-only imports count too: a type that points up is still a dependency that points up.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** One edge: `from` imports `to`; both are paths relative to the root, with '/' separators. */
export interface ImportEdge {
  from: string;
  to: string;
  line: number;
}

const STATIC = /\b(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]/g;
const DYNAMIC = /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Comments removed, line breaks kept (so line numbers stay right). Strings with comment markers are rare enough here. */
function stripComments(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '))
    .replace(/(^|[^:'"`\\])\/\/[^\n]*/g, '$1');
}

/** Every `.ts` file under `dirs` (relative to root), skipping node_modules and dist. */
export function sourceFiles(root: string, dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (abs: string): void => {
    for (const name of readdirSync(abs)) {
      if (name === 'node_modules' || name === 'dist') continue;
      const p = join(abs, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(relative(root, p).split(sep).join('/'));
    }
  };
  for (const d of dirs) walk(join(root, d));
  return out.sort();
}

/** The relative imports of each file (package imports such as 'fastify' or 'node:fs' are left out). */
export function importEdges(root: string, files: string[]): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const from of files) {
    const text = stripComments(readFileSync(join(root, from), 'utf8'));
    for (const re of [STATIC, DYNAMIC]) {
      for (const m of text.matchAll(re)) {
        const spec = m[1]!;
        if (!spec.startsWith('.')) continue;
        const to = relative(root, resolve(root, dirname(from), spec)).split(sep).join('/');
        const line = text.slice(0, m.index).split('\n').length;
        edges.push({ from, to, line });
      }
    }
  }
  return edges;
}

/** The circles of a directed graph (one per strongly connected component with more than one node or a self-loop). */
export function circles(nodes: string[], edges: Array<[string, string]>): string[][] {
  const next = new Map<string, string[]>(nodes.map((n) => [n, []]));
  for (const [a, b] of edges) if (next.has(a) && next.has(b)) next.get(a)!.push(b);
  // Tarjan's strongly connected components.
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index);
    index += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v)!) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || next.get(v)!.includes(v)) out.push(scc.sort());
    }
  };
  for (const n of nodes) if (!idx.has(n)) visit(n);
  return out;
}
