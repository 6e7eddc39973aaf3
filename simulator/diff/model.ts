/** The result of `sheetsim diff`: what every diff renderer (terminal, Markdown, HTML) reads. */
import type { FirstDivergence, PairingResult } from './pairs.ts';

export interface DiffSide {
  dir: string;
  runId: string;
  label: string | null;
  mode: 'realtime' | 'exact';
  backendProfile: string | null;
  commit: string | null;
  digest: string | null;
  workbookDigest: string | null;
  requests: number;
}

export interface Quantiles {
  p50: number;
  p95: number;
  p99: number;
}

export interface LatencyDiff {
  /** Paired events. */
  n: number;
  base: Quantiles;
  head: Quantiles;
  /** head / base − 1. */
  change: Quantiles;
  /** Confidence interval of the relative p95 change at the Bonferroni-adjusted level; null when not tested. */
  ci: { low: number; high: number } | null;
  /** The interval excludes zero AND |change| ≥ the minimum effect. */
  significant: boolean;
  /** Why not tested (too few pairs). */
  note?: string;
}

export interface ScenarioDiff {
  name: string;
  base: { count: number; statuses: Record<string, number>; errors: number; expectMismatches: number };
  head: { count: number; statuses: Record<string, number>; errors: number; expectMismatches: number };
  sheetsCalls: { base: number | null; head: number | null; baseMax: number | null; headMax: number | null };
  latency: LatencyDiff | null;
}

export interface Finding {
  kind: 'regression' | 'improvement' | 'change';
  text: string;
}

export interface DiffMethod {
  test: string;
  alpha: number;
  comparisons: number;
  alphaPerComparison: number;
  resamples: number;
  seed: number;
  minEffect: number;
  maxRegression: number;
  minPairs: number;
}

/** The comparison; the event counts (paired, onlyBase, onlyHead, divergent, worse, better) are the pairing's. */
export interface DiffResult extends Pick<PairingResult, 'paired' | 'onlyBase' | 'onlyHead' | 'divergent' | 'worse' | 'better'> {
  base: DiffSide;
  head: DiffSide;
  trace: { sha256: string; events: number; path: string };
  /** null when either run is not in exact mode (no digest). */
  digestSame: boolean | null;
  workbookSame: boolean | null;
  firstDivergence: (FirstDivergence & { request: { method: string; path: string; body?: unknown } | null }) | null;
  scenarios: ScenarioDiff[];
  sheets: {
    available: boolean;
    byMethod: Record<string, { base: number; head: number }>;
    calls: { base: number; head: number };
    peakWritesPerMinute: { base: number; head: number };
    status429: { base: number; head: number };
  };
  errors: { base: number; head: number };
  expectMismatches: { base: number; head: number };
  method: DiffMethod;
  findings: Finding[];
  verdict: 'regression' | 'ok';
}
