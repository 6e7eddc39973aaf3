/** `sheetsim compare BASE HEAD`: a regression diff between two commits of the repository in the current folder, in one command. */
import { resolve } from 'node:path';
import { type Command, InputError, UsageError, boolOpt, enumOpt, intOpt, numberOpt, stringOpt } from '../command.ts';
import { SHEETSIM_VERSION } from '../../version.ts';
import { type CompareMode, compareRefs } from '../../compare/compare-refs.ts';
import { DEFAULT_DIFF_OPTIONS } from '../../diff/compare.ts';
import { renderDiffHtml, renderDiffMarkdown, renderDiffTerminal } from '../../diff/render.ts';
import { writeAtomic } from '../../report/write.ts';
import { ensureTrace } from '../../replay/trace-file.ts';
import { DIFF_OPTIONS, diffOptionsFromFlags } from '../diff-options.ts';
import { TRACE_OPTIONS, traceOptionsFromFlags } from '../trace-options.ts';

export const compareCommand: Command = {
  name: 'compare',
  summary: 'Compare two commits of a backend in one command: check both out, run the same trace against each, diff.',
  usage: '[options] BASE HEAD',
  description: `
BASE and HEAD are git refs (branch, tag, sha, HEAD~1) of the repository in the current folder. Each is checked
out into a temporary worktree (removed at the end, also on errors and Ctrl-C) and prepared by the per-project
hook: --prepare CMD, else the ref's .sheetsim/prepare script, else for a Node project a link to the current
checkout's node_modules when the ref's package-lock.json is identical (else npm ci, ~100 s).

The backend started in each worktree is --target-cmd (run in the worktree, with PORT, SHEETS_API_URL,
SPREADSHEET_ID, GOOGLE_APPLICATION_CREDENTIALS), by default the ref's own reference backend
('node bin/sheetsim.js backend --profile <profile>'). The mock Sheets API and the replayer are the current
checkout's, so only the backend differs. Every run uses the same trace and options; runs are interleaved
(base, head, base, head…), --runs per side and mode.

Modes: exact compares facts (statuses, Sheets calls per scenario and method, first divergent event) and the
backend's measured compute time event by event; realtime compares latency across runs (hierarchical bootstrap
over runs and events) and counts that hold in every run. See 'sheetsim diff --help' and docs/ci.md.

Writes <out>/ (the run folders, compare.md for a pull request, compare.html), prints the verdict.
Exit codes: 0 no regression, 1 a regression or an invalid run (no verdict), 2 bad usage or unlike runs, 130 interrupted.`,
  options: {
    'target-cmd': { type: 'string', valueName: 'CMD', description: 'Backend command, run in each worktree.', defaultText: 'node bin/sheetsim.js backend --profile <profile>' },
    'backend-profile': { type: 'string', valueName: 'NAME', description: 'Profile of the default reference backend: lean or zeues.', defaultText: 'lean' },
    prepare: { type: 'string', valueName: 'CMD', description: 'Shell command that prepares a worktree (overrides .sheetsim/prepare and the node_modules default).' },
    mode: { type: 'string', valueName: 'MODE', description: 'exact, realtime or both.', defaultText: 'both' },
    runs: { type: 'string', valueName: 'N', description: 'Runs per side and mode (realtime latency is tested from 3).', defaultText: '3' },
    ...TRACE_OPTIONS,
    speed: { type: 'string', valueName: 'X', description: 'Realtime speed-up.', defaultText: '10' },
    latency: { type: 'string', valueName: 'off|realistic', description: 'Latency model of the mock.', defaultText: 'realistic' },
    quota: { type: 'string', valueName: 'on|off', description: 'Per-minute quotas of the mock.', defaultText: 'on' },
    timeout: { type: 'string', valueName: 'MS', description: 'Per-request timeout.', defaultText: '30000' },
    'ready-timeout': { type: 'string', valueName: 'MS', description: 'How long a backend gets to answer GET /api/health.', defaultText: '30000' },
    ...DIFF_OPTIONS,
    out: { type: 'string', valueName: 'DIR', description: 'Folder for the runs and the diff.', defaultText: 'reports/compare-<stamp>-<base>-<head>' },
    markdown: { type: 'string', valueName: 'FILE', description: 'Also write the Markdown (pull-request comment) here.' },
    html: { type: 'string', valueName: 'FILE', description: 'Also write the HTML page here.' },
    color: { type: 'boolean', description: 'Colour the output (--no-color for plain text).', defaultText: 'on a terminal' },
  },
  examples: [
    'sheetsim compare main HEAD',
    'sheetsim compare --mode exact --duration 2m main my-branch',
    'sheetsim compare --target-cmd "uvicorn app:app --port $PORT" --prepare "pip install -r requirements.txt" v1.2 HEAD',
  ],
  async run(ctx) {
    if (ctx.positionals.length !== 2) throw new UsageError(`expects two git refs BASE HEAD, got ${ctx.positionals.length} (see 'sheetsim compare --help')`);
    const [baseRef, headRef] = ctx.positionals as [string, string];
    const modeText = enumOpt(ctx, 'mode', ['exact', 'realtime', 'both'] as const, 'both');
    const modes: CompareMode[] = modeText === 'both' ? ['exact', 'realtime'] : [modeText];
    const runs = intOpt(ctx, 'runs', 3, 1, 100);
    if (runs < DEFAULT_DIFF_OPTIONS.minRuns && modes.includes('realtime')) {
      ctx.stderr.write(`sheetsim compare: with --runs ${runs}, realtime latency is reported but not tested (it needs ${DEFAULT_DIFF_OPTIONS.minRuns} runs per side)\n`);
    }
    const diff = diffOptionsFromFlags(ctx);
    const backendProfile = enumOpt(ctx, 'backend-profile', ['lean', 'zeues'] as const, 'lean');
    const targetCmd = stringOpt(ctx, 'target-cmd') ?? null;
    if (targetCmd !== null && ctx.values['backend-profile'] !== undefined) throw new UsageError('--backend-profile chooses the default reference backend; it has no effect with --target-cmd');
    let tracePath = stringOpt(ctx, 'trace');
    if (!tracePath) {
      const made = await ensureTrace(traceOptionsFromFlags(ctx), ctx.cwd, ctx.signal);
      if (made.generated) ctx.stderr.write(`generated ${made.path}\n`);
      tracePath = made.path;
    }
    const outText = stringOpt(ctx, 'out');
    let outcome;
    try {
      outcome = await compareRefs({
        cwd: ctx.cwd, env: ctx.env, signal: ctx.signal, log: ctx.stderr, tty: ctx.isTTY, baseRef, headRef, targetCmd, backendProfile,
        prepareCmd: stringOpt(ctx, 'prepare') ?? null, modes, runs: { exact: runs, realtime: runs }, tracePath: resolve(ctx.cwd, tracePath),
        speed: numberOpt(ctx, 'speed', 10, 0.001, 10_000),
        latency: enumOpt(ctx, 'latency', ['off', 'realistic'] as const, 'realistic'),
        quota: enumOpt(ctx, 'quota', ['on', 'off'] as const, 'on'),
        timeoutMs: intOpt(ctx, 'timeout', 30_000, 1, 3_600_000),
        readyTimeoutMs: intOpt(ctx, 'ready-timeout', 30_000, 1, 3_600_000),
        outDir: outText ? resolve(ctx.cwd, outText) : null, diff, version: SHEETSIM_VERSION,
      });
    } catch (err) {
      if (ctx.signal.aborted) {
        ctx.stderr.write('sheetsim compare: interrupted; temporary worktrees removed\n');
        return 130;
      }
      if (err instanceof UsageError || err instanceof InputError) throw err;
      // A backend that does not start or a hook that fails: an unusable environment, said in one line (plus the
      // target's or hook's own last output lines, which the message carries).
      ctx.stderr.write(`sheetsim compare: ${(err as Error).message}\n`);
      return 2;
    }
    const color = boolOpt(ctx, 'color', ctx.isTTY);
    for (const { mode, result } of outcome.results) {
      if (outcome.results.length > 1) ctx.stdout.write(`\n== ${mode} mode ==\n`);
      ctx.stdout.write(renderDiffTerminal(result, { color }));
    }
    const md = outcome.results.map(({ result }) => renderDiffMarkdown(result)).join('\n');
    const html = renderDiffHtml(outcome.results.map((x) => x.result));
    await writeAtomic(resolve(outcome.dir, 'compare.md'), md);
    await writeAtomic(resolve(outcome.dir, 'compare.html'), html);
    const mdOut = stringOpt(ctx, 'markdown');
    if (mdOut) await writeAtomic(resolve(ctx.cwd, mdOut), md);
    const htmlOut = stringOpt(ctx, 'html');
    if (htmlOut) await writeAtomic(resolve(ctx.cwd, htmlOut), html);
    ctx.stdout.write(`compared ${outcome.base.commit.slice(0, 10)} → ${outcome.head.commit.slice(0, 10)} in ${(outcome.wallMs / 1000).toFixed(0)} s wall\nreport: ${outcome.dir}\n`);
    const verdicts = outcome.results.map((x) => x.result.verdict);
    return verdicts.every((v) => v === 'ok') ? 0 : 1;
  },
};
