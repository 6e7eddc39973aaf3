import { describe, expect, it } from 'vitest';
import { regenerate } from '../../simulator/workload/generate.ts';
import { defaultTraceOptions, traceHeader } from '../../simulator/workload/profiles.ts';

// The sha256 of `sheetsim generate --seed 42` (all defaults). If this test fails, the bytes of the default trace
// changed: that must be a deliberate, reviewed change (generator, world, format or defaults). Update the hash in
// the same commit and say why; every stored trace and recorded run of seed 42 stops matching.
const GOLDEN_SEED_42 = '5398f50235ac3155604b366ead07c840304315f45204fc602c0f3fe0158a6aa7';

describe('golden trace', () => {
  it('the default seed-42 trace has the committed sha256', () => {
    const { sha256, events } = regenerate(traceHeader(defaultTraceOptions));
    expect(events).toBeGreaterThan(1000);
    expect(sha256).toBe(GOLDEN_SEED_42);
  });
});
