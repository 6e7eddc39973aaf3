import seedrandom from 'seedrandom';

/** A seeded random source with the few draws the world and the profiles need. Never `Math.random`. */
export class Random {
  private readonly prng: () => number;

  constructor(prng: () => number) {
    this.prng = prng;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.prng();
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.prng() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.prng() < p;
  }

  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.prng() * items.length)]!;
  }

  /** An index drawn with the given non-negative weights (at least one positive). */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let x = this.prng() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i]!;
      if (x < 0 && weights[i]! > 0) return i;
    }
    for (let i = weights.length - 1; i >= 0; i--) if (weights[i]! > 0) return i;
    throw new Error('weighted draw with no positive weight');
  }

  /** A new array in a random order (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.prng() * (i + 1));
      const tmp = out[i]!;
      out[i] = out[j]!;
      out[j] = tmp;
    }
    return out;
  }
}

/** A Random seeded from a string; `seed` and `stream` keep the world and each profile on separate sequences. */
export function seededRandom(seed: number, stream?: string): Random {
  return new Random(arc4Quick(stream === undefined ? String(seed) : `${seed}/${stream}`));
}

/**
 * seedrandom's `quick()` for a seed string: 32 bits of its ARC4 stream per draw (instead of 56; plenty for picks and
 * think times). seedrandom derives the key and runs the key schedule and the 256-byte discard; the draws then run
 * here on a typed array, the same algorithm without its generic `g(count)` loop (the draws define the trace bytes:
 * test/workload/random.test.ts compares them with seedrandom's own).
 */
export function arc4Quick(seed: string): () => number {
  const state = seedrandom(seed, { state: true }).state() as { i: number; j: number; S: number[] };
  const s = Uint8Array.from(state.S);
  let i = state.i;
  let j = state.j;
  return () => {
    let t = s[(i = (i + 1) & 255)]!;
    s[i] = s[(j = (j + t) & 255)]!;
    s[j] = t;
    let r = s[(s[i]! + t) & 255]!;
    t = s[(i = (i + 1) & 255)]!;
    s[i] = s[(j = (j + t) & 255)]!;
    s[j] = t;
    r = r * 256 + s[(s[i]! + t) & 255]!;
    t = s[(i = (i + 1) & 255)]!;
    s[i] = s[(j = (j + t) & 255)]!;
    s[j] = t;
    r = r * 256 + s[(s[i]! + t) & 255]!;
    t = s[(i = (i + 1) & 255)]!;
    s[i] = s[(j = (j + t) & 255)]!;
    s[j] = t;
    r = r * 256 + s[(s[i]! + t) & 255]!;
    return r / 0x100000000;
  };
}
