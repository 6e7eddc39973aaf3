import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { arc4Quick, seededRandom } from '../../simulator/workload/random.ts';

describe('seeded random source', () => {
  it('arc4Quick draws exactly what seedrandom(seed).quick draws (the trace bytes depend on it)', () => {
    for (const seed of ['42', '42/zeues', '42/locust', '7/world', '0', '', 'ñandú/🙂']) {
      const ours = arc4Quick(seed);
      const theirs = seedrandom(seed).quick;
      for (let i = 0; i < 20_000; i++) expect(ours()).toBe(theirs());
    }
  });

  it('same seed and stream, same sequence; another stream, another sequence', () => {
    const a = seededRandom(42, 'zeues');
    const b = seededRandom(42, 'zeues');
    const c = seededRandom(42, 'locust');
    const draw = (r: typeof a) => Array.from({ length: 50 }, () => r.int(0, 1_000_000));
    const da = draw(a);
    expect(draw(b)).toEqual(da);
    expect(draw(c)).not.toEqual(da);
  });
});
