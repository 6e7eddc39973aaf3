/** The `--gates FILE` / `--no-gates` flags, shared by `sheetsim run` and `sheetsim report`. */
import { resolve } from 'node:path';
import { type CommandContext, type OptionSpec, UsageError } from './command.ts';
import { DEFAULT_GATES, type GateConfig, loadGates } from '../report/gates.ts';

/** Option specs to spread into a command's `options`. */
export const GATE_OPTIONS: Record<string, OptionSpec> = {
  gates: {
    type: 'string',
    valueName: 'FILE',
    description: 'PERF gate thresholds as JSON, e.g. {"PERF-01":{"threshold":800,"scenario":"finalizar_arm_10"},"PERF-05":false} (docs/report.md)',
    defaultText: 'PERF-01..05 of the original suite',
  },
  'no-gates': { type: 'boolean', description: 'Do not evaluate PERF gates (the exit code then ignores them).' },
};

/** The gate config the flags ask for, or null for --no-gates. */
export function gateConfigFromFlags(ctx: CommandContext): GateConfig | null {
  const v = ctx.values.gates;
  // node's parser turns --no-gates into gates=false (allowNegative).
  if (v === false || ctx.values['no-gates'] === true) {
    if (typeof v === 'string') throw new UsageError('--gates and --no-gates cannot be used together');
    return null;
  }
  if (v === undefined) return DEFAULT_GATES;
  if (typeof v !== 'string' || v === '') throw new UsageError('--gates expects a JSON file path');
  return loadGates(resolve(ctx.cwd, v));
}

