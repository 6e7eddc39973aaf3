/** The flags that set the verdict's statistics, shared by `sheetsim diff` and `sheetsim compare`. */
import { type CommandContext, type OptionSpec, UsageError, boolOpt, intOpt, stringOpt } from './command.ts';
import { DEFAULT_DIFF_OPTIONS, type DiffOptions } from '../diff/compare.ts';

/** Option specs to spread into a command's `options`. */
export const DIFF_OPTIONS: Record<string, OptionSpec> = {
  'max-regression': { type: 'string', valueName: 'PCT', description: 'Largest tolerated significant latency increase.', defaultText: '10%' },
  alpha: { type: 'string', valueName: 'P', description: 'Family-wise significance level of the latency tests.', defaultText: '0.01' },
  'min-effect': { type: 'string', valueName: 'PCT', description: 'Smallest latency change called significant.', defaultText: '5%' },
  resamples: { type: 'string', valueName: 'N', description: 'Bootstrap resamples per test.', defaultText: '2000' },
  'strict-digest': { type: 'boolean', description: 'In exact mode, treat any outcome digest change as a regression.' },
};

/** Parse `10%` or `0.1` into a fraction. */
export function parseFraction(ctx: CommandContext, name: string, fallback: number, max = 10): number {
  const v = stringOpt(ctx, name);
  if (v === undefined) return fallback;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(v);
  if (!m) throw new UsageError(`--${name} expects a percentage like 10% or a fraction like 0.1, got '${v}'`);
  const n = m[2] ? Number(m[1]) / 100 : Number(m[1]);
  if (n > max) throw new UsageError(`--${name} must be at most ${max * 100}%, got '${v}'`);
  return n;
}

/** The diff options the flags of DIFF_OPTIONS ask for, over the defaults. */
export function diffOptionsFromFlags(ctx: CommandContext): DiffOptions {
  const alpha = parseFraction(ctx, 'alpha', DEFAULT_DIFF_OPTIONS.alpha, 0.5);
  if (alpha <= 0) throw new UsageError('--alpha must be above 0');
  return {
    ...DEFAULT_DIFF_OPTIONS,
    maxRegression: parseFraction(ctx, 'max-regression', DEFAULT_DIFF_OPTIONS.maxRegression),
    minEffect: parseFraction(ctx, 'min-effect', DEFAULT_DIFF_OPTIONS.minEffect),
    alpha,
    resamples: intOpt(ctx, 'resamples', DEFAULT_DIFF_OPTIONS.resamples, 100, 1_000_000),
    strictDigest: boolOpt(ctx, 'strict-digest'),
  };
}
