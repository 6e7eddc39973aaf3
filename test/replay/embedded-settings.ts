/** The small embedded target the embedded-child tests start: a 50-spool world, no latency, no quota. */
import type { EmbeddedSettings } from '../../simulator/replay/embedded-servers.ts';

export function smallEmbeddedSettings(mode: EmbeddedSettings['mode']): EmbeddedSettings {
  return {
    world: { seed: 3, spools: 50, workers: 10, startDate: '2026-02-02' },
    mode,
    speed: 1,
    epochMs: Date.parse('2026-02-02T08:00:00-03:00'),
    latency: 'off',
    quota: 'off',
    backendProfile: 'lean',
  };
}
