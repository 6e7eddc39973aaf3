/**
 * Latency model of the mock: per method a log-normal with a median and a p99, plus a cost per cell read or
 * written, clamped to [minMs, maxMs]. Pure: the random source is a parameter.
 */
import seedrandom from 'seedrandom';
import type { SheetsMethod } from './admin-types.ts';
import { ConfigError, READ_METHODS, SHEETS_METHODS, methodAt, numberAt, objectAt } from './config-fields.ts';

export interface MethodLatency {
  medianMs: number;
  p99Ms: number;
}

export interface LatencyConfig {
  /** Log-normal parameters per method. */
  methods: Record<SheetsMethod, MethodLatency>;
  /** Added per cell a read method returned. */
  perCellReadMs: number;
  /** Added per cell a write method wrote or cleared. */
  perCellWrittenMs: number;
  /** The figure is clamped to [minMs, maxMs] after the per-cell cost. */
  minMs: number;
  maxMs: number;
  /**
   * A call answered with an error before it ran (a 429, an injected 500/503, an outage): Google answers those
   * without touching the spreadsheet, so they are fast, but not free. Clamped to [0, maxMs], no per-cell cost.
   */
  rejected: MethodLatency;
}

/** z of the 99th percentile of the standard normal: σ = ln(p99 / median) / Z99. */
export const Z99 = 2.3263478740408408;

/**
 * `--latency realistic`. Writes come from the original suite's mocks (spec §6.4: batch_update 300 ms with
 * production p99 800 ms, append_rows 150 ms, clamped at 50 ms); reads and the rest are our estimates of
 * Sheets' usual figures, documented in docs/fidelity.md.
 */
export const REALISTIC_LATENCY: LatencyConfig = {
  methods: {
    'spreadsheets.get': { medianMs: 90, p99Ms: 400 },
    'spreadsheets.create': { medianMs: 400, p99Ms: 1000 },
    'spreadsheets.batchUpdate': { medianMs: 300, p99Ms: 900 },
    'values.get': { medianMs: 120, p99Ms: 500 },
    'values.batchGet': { medianMs: 140, p99Ms: 550 },
    'values.update': { medianMs: 250, p99Ms: 700 },
    'values.batchUpdate': { medianMs: 300, p99Ms: 800 },
    'values.append': { medianMs: 150, p99Ms: 400 },
    'values.clear': { medianMs: 150, p99Ms: 400 },
    'values.batchClear': { medianMs: 180, p99Ms: 500 },
  },
  perCellReadMs: 0.01,
  perCellWrittenMs: 0.2,
  minMs: 50,
  maxMs: 10_000,
  // Our estimate of a 429 round trip to Google's front end (no Sheets work): median 40 ms, p99 150 ms.
  rejected: { medianMs: 40, p99Ms: 150 },
};

const CONFIG_FIELDS = ['methods', 'perCellReadMs', 'perCellWrittenMs', 'minMs', 'maxMs', 'rejected'] as const;

/**
 * Validate a latency setting from JSON: `"off"`, `"realistic"`, or an object whose fields override the
 * realistic defaults (methods are merged one by one). Returns null for off.
 */
export function parseLatencyConfig(value: unknown, field = 'latency'): LatencyConfig | null {
  if (value === 'off') return null;
  if (value === 'realistic') return structuredClone(REALISTIC_LATENCY);
  if (typeof value === 'string') throw new ConfigError(`${field}: expected "off", "realistic" or an object, got ${JSON.stringify(value)}`);
  const obj = objectAt(value, field, CONFIG_FIELDS);
  const out = structuredClone(REALISTIC_LATENCY);
  if (obj.methods !== undefined) {
    const methods = objectAt(obj.methods, `${field}.methods`, SHEETS_METHODS);
    for (const [name, spec] of Object.entries(methods)) {
      const at = `${field}.methods.${name}`;
      const method = methodAt(name, at);
      const m = objectAt(spec, at, ['medianMs', 'p99Ms']);
      const medianMs = numberAt(m.medianMs ?? out.methods[method].medianMs, `${at}.medianMs`, 0, 600_000);
      const p99Ms = numberAt(m.p99Ms ?? Math.max(medianMs, out.methods[method].p99Ms), `${at}.p99Ms`, 0, 600_000);
      if (p99Ms < medianMs) throw new ConfigError(`${at}.p99Ms: expected at least the median (${medianMs}), got ${p99Ms}`);
      out.methods[method] = { medianMs, p99Ms };
    }
  }
  if (obj.perCellReadMs !== undefined) out.perCellReadMs = numberAt(obj.perCellReadMs, `${field}.perCellReadMs`, 0, 1000);
  if (obj.perCellWrittenMs !== undefined) out.perCellWrittenMs = numberAt(obj.perCellWrittenMs, `${field}.perCellWrittenMs`, 0, 1000);
  if (obj.minMs !== undefined) out.minMs = numberAt(obj.minMs, `${field}.minMs`, 0, 600_000);
  if (obj.maxMs !== undefined) out.maxMs = numberAt(obj.maxMs, `${field}.maxMs`, 0, 600_000);
  if (obj.rejected !== undefined) {
    const at = `${field}.rejected`;
    const r = objectAt(obj.rejected, at, ['medianMs', 'p99Ms']);
    const medianMs = numberAt(r.medianMs ?? out.rejected.medianMs, `${at}.medianMs`, 0, 600_000);
    const p99Ms = numberAt(r.p99Ms ?? Math.max(medianMs, out.rejected.p99Ms), `${at}.p99Ms`, 0, 600_000);
    if (p99Ms < medianMs) throw new ConfigError(`${at}.p99Ms: expected at least the median (${medianMs}), got ${p99Ms}`);
    out.rejected = { medianMs, p99Ms };
  }
  if (out.maxMs < out.minMs) throw new ConfigError(`${field}.maxMs: expected at least minMs (${out.minMs}), got ${out.maxMs}`);
  return out;
}

/** Standard normal deviate from two uniforms (Box-Muller); always consumes exactly two draws so streams stay aligned. */
export function standardNormal(random: () => number): number {
  const u1 = random();
  const u2 = random();
  // 1 - u keeps the argument of log in (0, 1] (seedrandom returns [0, 1)).
  return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
}

/** One latency figure (whole ms) for a method that touched `cells` cells, drawn from `random`. */
export function sampleLatency(config: LatencyConfig, method: SheetsMethod, cells: number, random: () => number): number {
  const { medianMs, p99Ms } = config.methods[method];
  const z = standardNormal(random);
  const base = medianMs > 0 ? medianMs * Math.exp((Math.log(p99Ms / medianMs) / Z99) * z) : 0;
  const perCell = READ_METHODS.has(method) ? config.perCellReadMs : config.perCellWrittenMs;
  const total = base + Math.max(0, cells) * perCell;
  return Math.round(Math.min(config.maxMs, Math.max(config.minMs, total)));
}

/** One latency figure (whole ms) for a call rejected before it ran, drawn from `random`. */
export function sampleRejectedLatency(config: LatencyConfig, random: () => number): number {
  const { medianMs, p99Ms } = config.rejected;
  const z = standardNormal(random);
  const base = medianMs > 0 ? medianMs * Math.exp((Math.log(p99Ms / medianMs) / Z99) * z) : 0;
  return Math.round(Math.min(config.maxMs, Math.max(0, base)));
}

/** The seeded latency stream of a mock: the same seed and call sequence give the same figures. */
export class LatencyModel {
  private random: () => number;
  // Its own stream: how many calls a quota rejects does not shift the latencies of the calls it admits.
  private rejectedRandom: () => number;
  constructor(
    private settings: LatencyConfig | null,
    seed: number,
  ) {
    this.random = seedrandom(`${seed}:latency`);
    this.rejectedRandom = seedrandom(`${seed}:latency-rejected`);
  }

  /** Modelled latency of one call (0 when latency is off). */
  sample(method: SheetsMethod, cells: number): number {
    return this.settings ? sampleLatency(this.settings, method, cells, this.random) : 0;
  }

  /** Modelled latency of one rejected call (0 when latency is off). */
  sampleRejected(): number {
    return this.settings ? sampleRejectedLatency(this.settings, this.rejectedRandom) : 0;
  }

  /** The active configuration, or null when off. */
  get config(): LatencyConfig | null {
    return this.settings;
  }

  /** Replace the configuration without disturbing the random stream. */
  setConfig(settings: LatencyConfig | null): void {
    this.settings = settings;
  }

  /** Restart the random stream for a new seed. */
  reseed(seed: number): void {
    this.random = seedrandom(`${seed}:latency`);
    this.rejectedRandom = seedrandom(`${seed}:latency-rejected`);
  }
}
