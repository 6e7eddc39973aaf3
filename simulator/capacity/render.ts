/** The capacity answer in words, the curve as a terminal table and as CSV. */
import { stringify } from 'csv-stringify/sync';
import type { CapacityResult } from './capacity.ts';
import type { CapacityPoint } from './verdict.ts';

const s = (ms: number) => `${+(ms / 1000).toFixed(1)}`;
const ms = (v: number | null) => (v === null ? '—' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${Math.round(v)} ms`);

/** Why the first failing count failed, as the resource and the figure at the answer. */
export function limitPhrase(points: readonly CapacityPoint[], answer: number, perf01Ms: number | null): string {
  const at = points.find((p) => p.workers === answer);
  const fail = points.find((p) => !p.pass && p.workers > answer);
  if (!fail) return 'nothing gave out within the range';
  const then = `; at ${fail.workers}: ${fail.failures[0]}`;
  switch (fail.limitedBy) {
    case 'write quota':
      return `limited by Sheets writes, ${at ? `${at.writesPeak} of ${at.quotaPerMinute} a minute` : 'over quota'}${then}`;
    case 'read quota':
      return `limited by Sheets reads, ${at ? `${at.readsPeak} of ${at.quotaPerMinute} a minute` : 'over quota'}${then}`;
    case 'latency':
      return `limited by latency${at ? `, PERF-01 p95 ${ms(at.perf01P95)} of ${perf01Ms ?? '—'} ms` : ''}${then}`;
    case 'errors':
      return `limited by errors${then}`;
    default:
      return `limited by an invalid run${then}`;
  }
}

/** The one-line answer, e.g. `lean: 5 workers at 5–15 s think time; limited by Sheets writes, 52 of 60 a minute`. */
export function answerLine(r: CapacityResult): string {
  const think = `${s(r.thinkMinMs)}–${s(r.thinkMaxMs)} s think time`;
  if (r.answer === 0) {
    const first = r.points[0];
    return `${r.name}: no worker count passes at ${think}: ${first ? `${first.workers} worker${first.workers === 1 ? '' : 's'} already fail${first.workers === 1 ? 's' : ''} (${first.failures.join('; ')})` : 'nothing measured'}`;
  }
  if (r.atMax) return `${r.name}: at least ${r.answer} workers at ${think} (every count measured passed; raise --max-workers)`;
  return `${r.name}: ${r.answer} worker${r.answer === 1 ? '' : 's'} at ${think}; ${limitPhrase(r.points, r.answer, r.gates.perf01Ms)}`;
}

/** The quota-only answer (PERF-01/02 off), or null when it says nothing the answer line does not. */
export function quotaLine(r: CapacityResult): string | null {
  const q = r.quota;
  if (!q || (q.answer === r.answer && q.atMax === r.atMax)) return null;
  const count = `${q.atMax ? 'at least ' : ''}${q.answer} worker${q.answer === 1 ? '' : 's'}`;
  return `quota alone (no 429, success >= ${(q.gates.minSuccess * 100).toFixed(0)}%, latency not judged): ${count}${q.atMax || q.answer === 0 ? '' : `; ${limitPhrase(q.points, q.answer, null)}`}`;
}

const HEAD = ['workers', 'requests', 'writes/min peak', 'writes/min mean', 'reads/min peak', '429s', 'PERF-01 p95', 'p99', 'success', 'verdict'];

function row(p: CapacityPoint): string[] {
  return [
    String(p.workers), String(p.requests), `${p.writesPeak}`, `${p.writesMean}`, `${p.readsPeak}`, `${p.status429}`, ms(p.perf01P95), ms(p.p99),
    `${(p.successRate * 100).toFixed(1)}%`, p.pass ? 'pass' : `FAIL ${p.limitedBy}`,
  ];
}

/** The curve and the confirmation as an aligned table. */
export function capacityTable(r: CapacityResult): string {
  const rows = [HEAD, ...r.points.map(row)];
  const c = r.confirmation;
  if (c) rows.push(row(c).map((cell, i) => (i === 0 ? `${cell} rt×${c.speed}` : i === HEAD.length - 1 && c.gatesKind === 'quota' ? `${cell} (quota gates)` : cell)));
  const widths = HEAD.map((_, i) => Math.max(...rows.map((x) => x[i]!.length)));
  return rows.map((x) => x.map((c, i) => (i === 0 || i === x.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd()).join('\n') + '\n';
}

/** The curve as CSV: one row per measured count (mode exact), plus the realtime confirmation. */
export function capacityCsv(r: CapacityResult): string {
  const rows = [...r.points.map((p) => ({ p, mode: 'exact', speed: 1 })), ...(r.confirmation ? [{ p: r.confirmation as CapacityPoint, mode: 'realtime', speed: r.confirmation.speed }] : [])];
  return stringify([
    ['workers', 'mode', 'speed', 'requests', 'writes_peak_per_min', 'writes_mean_per_min', 'writes_admitted_peak_per_min', 'reads_peak_per_min', 'reads_mean_per_min',
      'status_429', 'writes_429', 'reads_429', 'perf01_p95_ms', 'p99_ms', 'success_rate', 'pass', 'limited_by', 'failures', 'digest', 'report_dir'],
    ...rows.map(({ p, mode, speed }) => [
      p.workers, mode, speed, p.requests, p.writesPeak, p.writesMean, p.writesAdmittedPeak ?? '', p.readsPeak, p.readsMean, p.status429, p.writes429, p.reads429,
      p.perf01P95 ?? '', p.p99 ?? '', p.successRate, p.pass ? 'true' : 'false', p.limitedBy ?? '', p.failures.join('; '), p.digest ?? '', p.dir,
    ]),
  ]);
}
