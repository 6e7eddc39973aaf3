/** The embedded target: the mock and sheetsim's reference backend in a child process of their own. */
import { PACKAGE_ROOT } from '../package-root.ts';
import { spawnEmbedded } from './embedded-child.ts';
import { gitCommit } from './target-probes.ts';
import type { Target, TargetSpec } from './target-types.ts';

/** The folder sheetsim itself lives in (its backend/ is the embedded target). */
const SHEETSIM_ROOT = PACKAGE_ROOT;

/** Start the embedded child and wait until it answers. */
export async function embeddedTarget(spec: Extract<TargetSpec, { kind: 'embedded' }>): Promise<Target> {
  const { kind: _kind, readyTimeoutMs, ...settings } = spec;
  const starting = spawnEmbedded(settings, readyTimeoutMs);
  // While the child starts (its settings are written by now): not on the way to its first request.
  // The embedded backend is sheetsim's own backend/: its commit is that of sheetsim's checkout, wherever the run starts.
  const commit = gitCommit(SHEETSIM_ROOT);
  const child = await starting;
  return {
    kind: 'embedded',
    url: child.url!,
    sheetsUrl: child.sheetsUrl,
    command: null,
    backendProfile: spec.backendProfile,
    commit,
    rssMb: child.rssMb,
    died: child.died,
    exactInside: child.channel,
    ...(child.warmup ? { warmup: child.warmup } : {}),
    stop: child.stop,
  };
}
