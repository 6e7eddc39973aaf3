/**
 * PERF gates of the original suite (zeues-v4-spec.md §6.2), measured instead of assumed: parsed once from a gates
 * file into a GateConfig, then evaluated against any Report.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../errors.ts';
import type { GateResult, Report } from './model.ts';

export type GateId = 'PERF-01' | 'PERF-02' | 'PERF-03' | 'PERF-04' | 'PERF-05';

export const GATE_IDS: readonly GateId[] = ['PERF-01', 'PERF-02', 'PERF-03', 'PERF-04', 'PERF-05'];

export interface GateSetting {
  enabled: boolean;
  threshold: number;
}

/** Parsed, validated thresholds. */
export interface GateConfig {
  gates: Record<GateId, GateSetting>;
  /** Scenario whose p95 PERF-01 judges (the original requirement: the 10-union FINALIZAR). */
  perf01Scenario: string;
}

/** PERF-01..05 of the original suite. */
export const DEFAULT_GATES: GateConfig = Object.freeze({
  gates: Object.freeze({
    'PERF-01': { enabled: true, threshold: 1000 },
    'PERF-02': { enabled: true, threshold: 2000 },
    'PERF-03': { enabled: true, threshold: 2 },
    'PERF-04': { enabled: true, threshold: 900 },
    'PERF-05': { enabled: true, threshold: 30 },
  }),
  perf01Scenario: 'finalizar_arm_10',
}) as GateConfig;

const SHAPE: Record<GateId, { comparator: '<' | '<='; unit: string; integer: boolean }> = {
  'PERF-01': { comparator: '<', unit: 'ms', integer: false },
  'PERF-02': { comparator: '<', unit: 'ms', integer: false },
  'PERF-03': { comparator: '<=', unit: 'calls', integer: true },
  'PERF-04': { comparator: '<=', unit: 'rows', integer: true },
  'PERF-05': { comparator: '<', unit: 'writes/min', integer: false },
};

/** Read and validate a gates file (docs/report.md#gates-file); InputError names the file and the field. */
export function loadGates(path: string): GateConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read gates file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InputError(`gates file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  return parseGates(json, path);
}

/** Validate an already-parsed gates object; `source` names it in error messages. */
export function parseGates(json: unknown, source: string): GateConfig {
  if (!isObject(json)) throw new InputError(`${source}: expected a JSON object keyed by gate id (PERF-01 … PERF-05)`);
  const gates = Object.fromEntries(GATE_IDS.map((id) => [id, { ...DEFAULT_GATES.gates[id] }])) as Record<GateId, GateSetting>;
  let perf01Scenario = DEFAULT_GATES.perf01Scenario;
  for (const [key, value] of Object.entries(json)) {
    if (key === '$schema' || key === 'description') continue;
    if (!(GATE_IDS as readonly string[]).includes(key)) {
      throw new InputError(`${source}: unknown gate '${key}'; expected one of ${GATE_IDS.join(', ')}`);
    }
    const id = key as GateId;
    if (value === false) {
      gates[id].enabled = false;
      continue;
    }
    if (!isObject(value)) throw new InputError(`${source}: ${id} must be an object like {"threshold": 1000} or false`);
    for (const [field, v] of Object.entries(value)) {
      const where = `${source}: ${id}.${field}`;
      if (field === 'enabled') {
        if (typeof v !== 'boolean') throw new InputError(`${where} must be true or false, got ${JSON.stringify(v)}`);
        gates[id].enabled = v;
      } else if (field === 'threshold') {
        if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new InputError(`${where} must be a number >= 0, got ${JSON.stringify(v)}`);
        gates[id].threshold = v;
      } else if (field === 'scenario' && id === 'PERF-01') {
        if (typeof v !== 'string' || v === '') throw new InputError(`${where} must be a scenario name such as "finalizar_arm_10", got ${JSON.stringify(v)}`);
        perf01Scenario = v;
      } else {
        const allowed = id === 'PERF-01' ? 'enabled, threshold, scenario' : 'enabled, threshold';
        throw new InputError(`${where}: unknown field; expected ${allowed}`);
      }
    }
  }
  return { gates, perf01Scenario };
}

/** Evaluate every enabled gate; a gate whose measurement is unavailable fails with value null and a note. */
export function evaluateGates(report: Report, config: GateConfig): GateResult[] {
  const results: GateResult[] = [];
  for (const id of GATE_IDS) {
    const setting = config.gates[id];
    if (!setting.enabled) continue;
    const { value, description, note } = measure(id, report, config, setting.threshold);
    const { comparator, unit } = SHAPE[id];
    const pass = value !== null && (comparator === '<' ? value < setting.threshold : value <= setting.threshold);
    results.push({ id, description, value, threshold: setting.threshold, comparator, unit, pass, ...(note ? { note } : {}) });
  }
  return results;
}

/** True when every gate passed (an empty list passes). */
export function gatesPass(results: GateResult[]): boolean {
  return results.every((g) => g.pass);
}

function measure(id: GateId, report: Report, config: GateConfig, threshold: number): { value: number | null; description: string; note?: string } {
  switch (id) {
    case 'PERF-01': {
      const name = config.perf01Scenario;
      const s = report.scenarios[name];
      const description = `p95 response time of ${name} < ${threshold} ms`;
      if (!s || s.responseTime.count === 0) return { value: null, description, note: `no ${name} events in this run` };
      return { value: s.responseTime.p95, description };
    }
    case 'PERF-02': {
      const description = `p99 response time of all requests < ${threshold} ms`;
      if (report.totals.responseTime.count === 0) return { value: null, description, note: 'no requests completed' };
      return { value: report.totals.responseTime.p99, description };
    }
    case 'PERF-03': {
      const description = `at most ${threshold} Sheets calls per FINALIZAR`;
      // Only FINALIZARs that got an HTTP answer made their calls: on a saturated run most were never sent, and
      // "0 calls" from events that never ran must not pass.
      const answered = (st: Report['scenarios'][string]): boolean => Object.keys(st.statuses).some((k) => k !== 'error');
      const finalizar = Object.entries(report.scenarios).filter(([name, s]) => name.startsWith('finalizar') && s.count > 0 && answered(s));
      if (finalizar.length === 0) {
        const any = Object.keys(report.scenarios).some((name) => name.startsWith('finalizar') && report.scenarios[name]!.count > 0);
        return { value: null, description, note: any ? 'no FINALIZAR event got an HTTP answer' : 'no FINALIZAR events in this run' };
      }
      if (!report.sheets.available || finalizar.some(([, s]) => s.sheetsCalls === null)) {
        return { value: null, description, note: 'Sheets call log unavailable: calls per event cannot be attributed' };
      }
      const unknown = finalizar.reduce((n, [, s]) => n + (s.sheetsUnattributed ?? 0), 0);
      // A maximum over the attributed events only would pass a backend whose worst FINALIZARs went unseen.
      if (unknown > 0) {
        return { value: null, description, note: `${unknown} FINALIZAR events' Sheets calls could not be attributed (no traceparent forwarded, events overlapping)` };
      }
      const worst = finalizar.reduce((best, [name, s]) => (s.sheetsCalls!.max > best.max ? { name, max: s.sheetsCalls!.max } : best), { name: '', max: -1 });
      return { value: worst.max, description, note: `highest per-event count, in ${worst.name}` };
    }
    case 'PERF-04': {
      const description = `no values.append over ${threshold} rows`;
      if (!report.sheets.available) return { value: null, description, note: 'Sheets call log unavailable' };
      return { value: report.sheets.maxAppendRows, description, note: 'largest values.append in the call log' };
    }
    case 'PERF-05': {
      const description = `Sheets writes per minute < ${threshold}`;
      if (!report.sheets.available) return { value: null, description, note: 'Sheets call log unavailable' };
      // Attempted writes (429'd included): the demand. Admitted writes never exceed the quota, so they could not
      // tell a backend needing 400 writes/min from one needing 61.
      return { value: report.sheets.writes.peakPerMinute, description, note: "attempted writes (429'd included), peak of the sliding simulated minute" };
    }
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
