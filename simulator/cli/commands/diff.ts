/** `sheetsim diff BASE HEAD`: compare two runs of the same trace, event by event, with a verdict and exit code. */
import { resolve } from 'node:path';
import { type Command, UsageError, boolOpt, intOpt, stringOpt } from '../command.ts';
import { DIFF_OPTIONS, diffOptionsFromFlags } from '../diff-options.ts';
import { DEFAULT_DIFF_OPTIONS, diffRuns } from '../../diff/compare.ts';
import { renderDiffHtml, renderDiffMarkdown, renderDiffTerminal } from '../../diff/render.ts';
import { writeAtomic } from '../../report/write.ts';

export const diffCommand: Command = {
  name: 'diff',
  summary: 'Compare two runs of the same trace (two commits or profiles of a backend) and say whether HEAD regressed.',
  usage: '[options] BASE HEAD | --base DIR... --head DIR...',
  description: `
BASE and HEAD are report folders written by 'sheetsim run' from the same trace, or several folders per side
(--base/--head, repeated: runs of one build). Runs of different traces are refused (exit 2), and so are runs
made with a different mode, speed, latency model, quota or backend profile unless --force.

Exact mode (deterministic): statuses, Sheets calls per scenario and per method, the outcome digest and the
first divergent event are facts — any increase in Sheets calls per operation or any event answered worse is a
regression. Modelled latency is compared by an event bootstrap; the backend's measured compute time
(events.jsonl computeMs) by a paired Wilcoxon signed-rank test, a regression when its shift exceeds
--max-regression of the scenario's p50 response time.

Realtime: latency is tested across runs (hierarchical bootstrap over runs and events), only with at least
--min-runs runs per side; counts (Sheets calls per operation, errors) are regressions only when they hold in
every run by a clear margin — event order alone makes them "changes". A p95 is only computed from 100 events
or more (p50 from 10). An invalid or partial run gives no verdict (exit 1).

'sheetsim compare BASE HEAD' makes the runs for you from two git refs.`,
  options: {
    ...DIFF_OPTIONS,
    markdown: { type: 'string', valueName: 'FILE', description: 'Also write the comparison as Markdown (for a pull request).' },
    html: { type: 'string', valueName: 'FILE', description: 'Also write the comparison as a self-contained HTML page.' },
    seed: { type: 'string', valueName: 'N', description: 'Seed of the bootstrap RNG.', defaultText: '1' },
    base: { type: 'string', multiple: true, valueName: 'DIR', description: 'A base report folder (repeat for several runs).' },
    head: { type: 'string', multiple: true, valueName: 'DIR', description: 'A head report folder (repeat for several runs).' },
    'min-runs': { type: 'string', valueName: 'N', description: 'Runs per side needed to test realtime latency.', defaultText: '3' },
    force: { type: 'boolean', description: 'Compare runs made with different mode, speed, latency, quota or profile.' },
    color: { type: 'boolean', description: 'Colour the output (--no-color for plain text).', defaultText: 'on a terminal' },
  },
  examples: [
    'sheetsim diff reports/base reports/head',
    'sheetsim diff --markdown diff.md --html diff.html reports/base reports/head',
    'sheetsim diff --max-regression 5% --alpha 0.05 reports/base reports/head',
    'sheetsim diff --base reports/b1 --base reports/b2 --base reports/b3 --head reports/h1 --head reports/h2 --head reports/h3',
  ],
  async run(ctx) {
    const list = (name: string): string[] => (ctx.values[name] as string[] | undefined) ?? [];
    const sides = list('base').length || list('head').length ? [list('base'), list('head')] : [[ctx.positionals[0]], [ctx.positionals[1]]];
    if (list('base').length || list('head').length) {
      if (ctx.positionals.length > 0) throw new UsageError('give the runs either as BASE HEAD or with --base/--head, not both');
      if (!list('base').length || !list('head').length) throw new UsageError('--base and --head must both name at least one report folder');
    } else if (ctx.positionals.length !== 2) throw new UsageError(`expects two report folders BASE HEAD, got ${ctx.positionals.length} (see 'sheetsim diff --help')`);
    const options = {
      ...diffOptionsFromFlags(ctx),
      seed: intOpt(ctx, 'seed', DEFAULT_DIFF_OPTIONS.seed, 0),
      minRuns: intOpt(ctx, 'min-runs', DEFAULT_DIFF_OPTIONS.minRuns, 2, 1000),
      force: boolOpt(ctx, 'force'),
    };
    const [baseDirs, headDirs] = sides.map((s) => s.map((p) => resolve(ctx.cwd, p!))) as [string[], string[]];
    const result = await diffRuns(baseDirs, headDirs, options);
    ctx.stdout.write(renderDiffTerminal(result, { color: boolOpt(ctx, 'color', ctx.isTTY) }));
    const md = stringOpt(ctx, 'markdown');
    if (md) await writeAtomic(resolve(ctx.cwd, md), renderDiffMarkdown(result));
    const html = stringOpt(ctx, 'html');
    if (html) await writeAtomic(resolve(ctx.cwd, html), renderDiffHtml(result));
    return result.verdict === 'ok' ? 0 : 1;
  },
};
