/** The url target: a backend (and optionally its mock) already running, checked to answer before the run. */
import { assertAnswers } from './target-probes.ts';
import type { Target } from './target-types.ts';

/** Connect to the backend at `rawUrl` and the mock at `rawSheetsUrl`; throws TargetUnreachableError when either is silent. */
export async function urlTarget(rawUrl: string, rawSheetsUrl: string | null): Promise<Target> {
  const url = rawUrl.replace(/\/$/, '');
  const sheetsUrl = rawSheetsUrl ? rawSheetsUrl.replace(/\/$/, '') : null;
  await assertAnswers('--target', url, '/api/health');
  if (sheetsUrl) await assertAnswers('--sheets', sheetsUrl, '/__sheetsim/health');
  return {
    kind: 'url',
    url,
    sheetsUrl,
    command: null,
    backendProfile: null,
    commit: null,
    rssMb: null,
    died: () => null,
    stop: async () => undefined,
  };
}
