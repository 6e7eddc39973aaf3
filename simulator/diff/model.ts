/** The result of `sheetsim diff` / `sheetsim compare`: what every diff renderer (terminal, Markdown, HTML) reads. */
import type { FirstDivergence, PairingResult } from './pairs.ts';

export interface DiffSide {
  /** The report folders of this side (one per run). */
  dirs: string[];
  runId: string;
  label: string | null;
  mode: 'realtime' | 'exact';
  backendProfile: string | null;
  commit: string | null;
  digest: string | null;
  workbookDigest: string | null;
  requests: number;
  runs: number;
}

/** Quantiles of a side; a quantile is null when there are too few events to report it (p50 < 10, p95 < 100, p99 < 500). */
export interface Quantiles {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface LatencyDiff {
  /** What was compared: realtime response times over runs, or exact mode's modelled Sheets time and waits. */
  kind: 'realtime' | 'modelled';
  /** Events pooled per side, and runs per side. */
  n: { base: number; head: number };
  runs: { base: number; head: number };
  base: Quantiles;
  head: Quantiles;
  /** head / base − 1 per quantile (null where either is null). */
  change: Quantiles;
  /** The quantile tested ('p95', or 'p50' when too few events for p95), or null when not tested. */
  tested: 'p95' | 'p50' | null;
  /** Confidence interval of the relative change of the tested quantile, at the per-comparison level. */
  ci: { low: number; high: number } | null;
  /** The interval excludes zero AND |change| ≥ the minimum effect. */
  significant: boolean;
  /** Why not tested, or what limits the test. */
  note?: string;
  /** Each run's own quantiles (the spread the HTML charts draw as whiskers). */
  perRun: { base: Quantiles[]; head: Quantiles[] };
}

/** Exact mode: the backend's measured compute time, paired event by event (Wilcoxon signed-rank). */
export interface ComputeDiff {
  pairs: number;
  /** Median compute time per side (ms). */
  base: number;
  head: number;
  /** Hodges–Lehmann shift head − base (ms). */
  shift: number;
  /** The shift relative to the scenario's base p50 response time. */
  relative: number;
  p: number;
  significant: boolean;
}

export interface ScenarioDiff {
  name: string;
  base: { count: number; statuses: Record<string, number>; errors: number; expectMismatches: number };
  head: { count: number; statuses: Record<string, number>; errors: number; expectMismatches: number };
  /** Mean Sheets calls per operation (first run of each side), the per-run means, and per method per operation. */
  sheetsCalls: {
    base: number | null; head: number | null; baseMax: number | null; headMax: number | null;
    perRun: { base: number[]; head: number[] };
    byMethod: Record<string, { base: number; head: number }>;
  };
  latency: LatencyDiff | null;
  compute: ComputeDiff | null;
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
  minRuns: number;
}

/** The comparison; the event counts (paired, onlyBase, onlyHead, divergent, worse, better) are the first runs' pairing. */
export interface DiffResult extends Pick<PairingResult, 'paired' | 'onlyBase' | 'onlyHead' | 'divergent' | 'worse' | 'better'> {
  base: DiffSide;
  head: DiffSide;
  mode: 'realtime' | 'exact';
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
  /** Why no verdict can be given (an invalid or partial run); non-empty makes the verdict 'invalid'. */
  invalid: string[];
  verdict: 'regression' | 'ok' | 'invalid';
}
