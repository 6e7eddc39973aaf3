/**
 * Targets: where the replayer sends requests and how it reads the mock. One interface (target-types.ts), three
 * kinds, a file each: embedded (mock + reference backend in a child process of their own; target-embedded.ts), url
 * (an already running backend, optionally its mock; checked to answer before the run; target-url.ts) and command
 * (sheetsim starts the mock in its child process, then the user's backend as a child process, and stops both;
 * target-command.ts). What they ask of the machine (a URL answers, a free port, a git commit) is in target-probes.ts.
 */
import { commandTarget } from './target-command.ts';
import { embeddedTarget } from './target-embedded.ts';
import type { Target, TargetSpec } from './target-types.ts';
import { urlTarget } from './target-url.ts';

export type { Target, TargetSpec } from './target-types.ts';
export { TargetUnreachableError, answers } from './target-probes.ts';

/** Start (or connect to) the target a run drives. */
export async function startTarget(spec: TargetSpec): Promise<Target> {
  if (spec.kind === 'url') return urlTarget(spec.url, spec.sheetsUrl);
  if (spec.kind === 'embedded') return embeddedTarget(spec);
  return commandTarget(spec);
}
