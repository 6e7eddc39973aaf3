import { describe, expect, it } from 'vitest';
import { collectBeforeT0 } from '../../simulator/replay/gc-before-t0.ts';

describe('collectBeforeT0', () => {
  it('runs a full collection on this Node, and again when called again', () => {
    expect(collectBeforeT0()).toBe(true);
    expect(collectBeforeT0()).toBe(true);
  });

  it('does not expose gc to the process itself', () => {
    collectBeforeT0();
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
  });
});
