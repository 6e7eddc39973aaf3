/** Where `sheetsim run` finds its trace: `--trace FILE`, or one generated into traces/ from the flags. */
import { existsSync, mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { type TraceOptions, defaultTraceOptions } from '../workload/trace-options.ts';

/**
 * The file name a generated trace gets: every option that changes its bytes is in it. Payroll, start date and
 * think times appear only when they differ from the defaults, so the names of default-world traces stay short.
 */
export function defaultTraceName(o: TraceOptions): string {
  const d = defaultTraceOptions;
  const duration = o.durationMs % 1000 === 0 ? `${o.durationMs / 1000}s` : `${o.durationMs}ms`;
  let name = `${o.profile}-seed${o.seed}-w${o.workers}-d${duration}-s${o.spools}-c${o.conflicts}`;
  if (o.payroll !== d.payroll) name += `-p${o.payroll}`;
  if (o.startDate !== d.startDate) name += `-${o.startDate}`;
  if (o.thinkMinMs !== d.thinkMinMs || o.thinkMaxMs !== d.thinkMaxMs) name += `-t${o.thinkMinMs}-${o.thinkMaxMs}`;
  return `${name}.jsonl`;
}

/** Generate the trace into `<cwd>/traces/` unless that exact trace already exists; returns its path (relative to cwd). */
export async function ensureTrace(o: TraceOptions, cwd: string, signal?: AbortSignal): Promise<{ path: string; generated: boolean }> {
  const dir = resolve(cwd, 'traces');
  const path = join(dir, defaultTraceName(o));
  if (existsSync(path)) return { path: relative(cwd, path), generated: false };
  mkdirSync(dir, { recursive: true });
  // Loaded when a trace is made: `generate --help` uses defaultTraceName and should not load the generators.
  const { generateTrace } = await import('../workload/generate.ts');
  await generateTrace(o, path, signal);
  return { path: relative(cwd, path), generated: true };
}
