import { describe, expect, it } from 'vitest';
import { currentRuntime, runtimeDifferences } from '../../simulator/runtime-versions.ts';

describe('runtime versions', () => {
  it('reads Node, tz and ICU, and names a Node without ICU', () => {
    expect(currentRuntime('v20.20.2', { tz: '2025c', icu: '78.2' })).toEqual({ node: 'v20.20.2', tz: '2025c', icu: '78.2' });
    expect(currentRuntime('v20.20.2', {})).toEqual({ node: 'v20.20.2', tz: 'none', icu: 'none' });
  });
  it('lists what differs, and what an older report did not record', () => {
    const now = { node: 'v22.1.0', tz: '2026e', icu: '78.2' };
    expect(runtimeDifferences(now, now)).toEqual([]);
    expect(runtimeDifferences({ node: 'v20.19.0', tz: '2025c', icu: '78.2' }, now)).toEqual(['node v20.19.0 → v22.1.0', 'tz 2025c → 2026e']);
    expect(runtimeDifferences({ node: 'v22.1.0' }, now)).toEqual(['tz unrecorded → 2026e', 'icu unrecorded → 78.2']);
  });
});
