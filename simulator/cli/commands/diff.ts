/** `sheetsim diff BASE HEAD`: compare two runs of the same trace, event by event, with a verdict and exit code. */
import { resolve } from 'node:path';
import { type Command, type CommandContext, UsageError, boolOpt, intOpt, stringOpt } from '../command.ts';
import { DEFAULT_DIFF_OPTIONS, diffRuns } from '../../diff/compare.ts';
import { renderDiffHtml, renderDiffMarkdown, renderDiffTerminal } from '../../diff/render.ts';
import { writeAtomic } from '../../report/write.ts';

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

export const diffCommand: Command = {
  name: 'diff',
  summary: 'Compare two runs of the same trace (two commits or profiles of a backend) and say whether HEAD regressed.',
  usage: '[options] BASE HEAD',
  description: `
BASE and HEAD are report folders written by 'sheetsim run' from the same trace (same sha256; otherwise the diff
is refused, exit 2). Exact facts come first: outcome digest (exact mode), the first event answered differently,
statuses and Sheets calls per scenario and per method, peak writes per minute, 429s, expect mismatches. Then
latency per scenario: events are paired by seq and the p95 change is tested with a paired moving-block bootstrap
(seeded, so the output is deterministic) at a family-wise level split across scenarios (Bonferroni); "~" means
not significant. Verdict: regression (exit 1) when a significant p95 increase exceeds --max-regression, when
Sheets calls per operation or errors increase, or in exact mode when events are answered differently or the
final workbook changed (any digest change with --strict-digest). Improvements are reported too.`,
  options: {
    markdown: { type: 'string', valueName: 'FILE', description: 'Also write the comparison as Markdown (for a pull request).' },
    html: { type: 'string', valueName: 'FILE', description: 'Also write the comparison as a self-contained HTML page.' },
    'max-regression': { type: 'string', valueName: 'PCT', description: 'Largest tolerated significant p95 increase.', defaultText: '10%' },
    alpha: { type: 'string', valueName: 'P', description: 'Family-wise significance level of the latency test.', defaultText: '0.01' },
    'min-effect': { type: 'string', valueName: 'PCT', description: 'Smallest p95 change called significant.', defaultText: '5%' },
    resamples: { type: 'string', valueName: 'N', description: 'Bootstrap resamples per scenario.', defaultText: '2000' },
    seed: { type: 'string', valueName: 'N', description: 'Seed of the bootstrap RNG.', defaultText: '1' },
    'strict-digest': { type: 'boolean', description: 'In exact mode, treat any outcome digest change as a regression.' },
    color: { type: 'boolean', description: 'Colour the output (--no-color for plain text).', defaultText: 'on a terminal' },
  },
  examples: [
    'sheetsim diff reports/base reports/head',
    'sheetsim diff --markdown diff.md --html diff.html reports/base reports/head',
    'sheetsim diff --max-regression 5% --alpha 0.05 reports/base reports/head',
  ],
  async run(ctx) {
    if (ctx.positionals.length !== 2) throw new UsageError(`expects two report folders BASE HEAD, got ${ctx.positionals.length} (see 'sheetsim diff --help')`);
    const alpha = parseFraction(ctx, 'alpha', DEFAULT_DIFF_OPTIONS.alpha, 0.5);
    if (alpha <= 0) throw new UsageError('--alpha must be above 0');
    const options = {
      ...DEFAULT_DIFF_OPTIONS,
      maxRegression: parseFraction(ctx, 'max-regression', DEFAULT_DIFF_OPTIONS.maxRegression),
      minEffect: parseFraction(ctx, 'min-effect', DEFAULT_DIFF_OPTIONS.minEffect),
      alpha,
      resamples: intOpt(ctx, 'resamples', DEFAULT_DIFF_OPTIONS.resamples, 100, 1_000_000),
      seed: intOpt(ctx, 'seed', DEFAULT_DIFF_OPTIONS.seed, 0),
      strictDigest: boolOpt(ctx, 'strict-digest'),
    };
    const [baseDir, headDir] = ctx.positionals.map((p) => resolve(ctx.cwd, p)) as [string, string];
    const result = await diffRuns(baseDir, headDir, options);
    ctx.stdout.write(renderDiffTerminal(result, { color: boolOpt(ctx, 'color', ctx.isTTY) }));
    const md = stringOpt(ctx, 'markdown');
    if (md) await writeAtomic(resolve(ctx.cwd, md), renderDiffMarkdown(result));
    const html = stringOpt(ctx, 'html');
    if (html) await writeAtomic(resolve(ctx.cwd, html), renderDiffHtml(result));
    return result.verdict === 'regression' ? 1 : 0;
  },
};
