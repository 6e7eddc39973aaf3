import { CHOICE_WEIGHTS, CHOICES, type Choice, type GeneratorStats } from './scenarios.ts';

const pct = (n: number, total: number) => (total === 0 ? '0.0%' : `${((n / total) * 100).toFixed(1)}%`);

/** `iniciar 34.3%, finalizar_cancel 15.1%, ...`: a request mix on one line, largest first. */
export function requestMixLine(counts: Record<string, number>): string {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return Object.entries(counts).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([k, n]) => `${k} ${n} (${pct(n, total)})`).join(', ');
}

/** `finalizar_arm_10 69 (8.5%, target 33.3%), ...`: realised choices against the 3:2:1:1:1:1 target. */
export function choiceMixLine(counts: Record<Choice, number>): string {
  const total = CHOICES.reduce((a, c) => a + counts[c], 0);
  const weight = CHOICE_WEIGHTS.reduce((a, b) => a + b, 0);
  return CHOICES.map((c, i) => `${c} ${counts[c]} (${pct(counts[c], total)}, target ${pct(CHOICE_WEIGHTS[i]!, weight)})`).join(', ');
}

/** `6 (finalizar_arm_10 5, iniciar 1)` or `none`: choices whose FINALIZAR would come after the trace's end. */
export function unfinishedLine(stats: GeneratorStats): string {
  const total = CHOICES.reduce((a, c) => a + stats.unfinished[c], 0);
  return total === 0 ? 'none' : `${total} (${CHOICES.filter((c) => stats.unfinished[c] > 0).map((c) => `${c} ${stats.unfinished[c]}`).join(', ')})`;
}

/** `546 (finalizar_arm_10 271 from 58.5 s, ...)` or `none`: choices that found no spool and were drawn again. */
export function redrawLine(stats: GeneratorStats): string {
  const parts = CHOICES.filter((c) => stats.redraws[c] > 0)
    .map((c) => `${c} ${stats.redraws[c]} from t=${((stats.firstRedrawMs[c] ?? 0) / 1000).toFixed(1)} s`);
  const total = CHOICES.reduce((a, c) => a + stats.redraws[c], 0);
  return total === 0 ? 'none' : `${total} (${parts.join(', ')})`;
}

/** Milliseconds as `5m`, `90s`, `4m59.9s`. */
export function formatDurationMs(ms: number): string {
  ms = Math.round(ms / 100) * 100;
  const m = Math.floor(ms / 60_000);
  const s = (ms % 60_000) / 1000;
  const sText = Number.isInteger(s) ? `${s}s` : `${s.toFixed(1)}s`;
  if (m === 0) return sText;
  return s === 0 ? `${m}m` : `${m}m${sText}`;
}
