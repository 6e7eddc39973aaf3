/**
 * Injected faults: seeded per-method 500/503 rates, dropped connections, slow responses, and outage windows
 * on the mock clock. Pure: the random source and the elapsed time are parameters.
 */
import type { SheetsMethod } from './admin-types.ts';
import type { PolicyError } from './policy.ts';
import { ConfigError, integerAt, methodAt, numberAt, objectAt, rateAt, show } from './config-fields.ts';

export interface FaultRule {
  /** Methods the rule applies to, or '*' for all. The first rule naming a method is the one used. */
  methods: SheetsMethod[] | '*';
  /** Probability of a 500 INTERNAL. */
  error500: number;
  /** Probability of a 503 UNAVAILABLE. */
  error503: number;
  /** Probability that the connection is destroyed without an answer. */
  drop: number;
  /** Probability and size of an extra delay on calls that proceed. */
  slow: { rate: number; extraMs: number };
}

export interface Outage {
  /** Seconds on the mock clock since the policy started (or was reset); the window is [fromS, toS). */
  fromS: number;
  toS: number;
  status: 500 | 503;
  /** Methods affected; all when absent or '*'. */
  methods: SheetsMethod[] | '*';
}

export interface FaultConfig {
  rules: FaultRule[];
  outages: Outage[];
}

/** No faults at all. */
export const NO_FAULTS: FaultConfig = { rules: [], outages: [] };

/** What the fault layer decided for one call. */
export type FaultDecision =
  | { kind: 'none'; extraMs: number }
  | { kind: 'error'; error: PolicyError }
  | { kind: 'drop' };

/** Google's body for an injected server error (`fault:500`, `fault:503`, `outage:503` in the call log). */
export function serverError(status: 500 | 503, source: 'fault' | 'outage'): PolicyError {
  return status === 500
    ? { status, googleStatus: 'INTERNAL', message: 'Internal error encountered.', details: [], reason: `${source}:500` }
    : { status, googleStatus: 'UNAVAILABLE', message: 'The service is currently unavailable.', details: [], reason: `${source}:503` };
}

function methodsAt(value: unknown, field: string): SheetsMethod[] | '*' {
  if (value === undefined || value === '*') return '*';
  if (!Array.isArray(value) || value.length === 0) {
    throw new ConfigError(`${field}: expected '*' or a non-empty list of Sheets methods, got ${show(value)}`);
  }
  return value.map((m, i) => methodAt(m, `${field}[${i}]`));
}

function statusAt(value: unknown, field: string): 500 | 503 {
  if (value === undefined) return 503;
  if (value !== 500 && value !== 503) throw new ConfigError(`${field}: expected 500 or 503, got ${show(value)}`);
  return value;
}

/** Validate a fault setting from JSON (`{ rules: [...], outages: [...] }`, both optional). */
export function parseFaultConfig(value: unknown, field = 'faults'): FaultConfig {
  const obj = objectAt(value, field, ['rules', 'outages']);
  const rules: FaultRule[] = [];
  const outages: Outage[] = [];
  if (obj.rules !== undefined) {
    if (!Array.isArray(obj.rules)) throw new ConfigError(`${field}.rules: expected a list, got ${show(obj.rules)}`);
    obj.rules.forEach((raw, i) => {
      const at = `${field}.rules[${i}]`;
      const r = objectAt(raw, at, ['methods', 'error500', 'error503', 'drop', 'slow']);
      const rule: FaultRule = {
        methods: methodsAt(r.methods, `${at}.methods`),
        error500: r.error500 === undefined ? 0 : rateAt(r.error500, `${at}.error500`),
        error503: r.error503 === undefined ? 0 : rateAt(r.error503, `${at}.error503`),
        drop: r.drop === undefined ? 0 : rateAt(r.drop, `${at}.drop`),
        slow: { rate: 0, extraMs: 0 },
      };
      if (rule.error500 + rule.error503 + rule.drop > 1) {
        throw new ConfigError(`${at}: error500 + error503 + drop must not exceed 1, got ${rule.error500 + rule.error503 + rule.drop}`);
      }
      if (r.slow !== undefined) {
        const s = objectAt(r.slow, `${at}.slow`, ['rate', 'extraMs']);
        rule.slow = { rate: rateAt(s.rate, `${at}.slow.rate`), extraMs: integerAt(s.extraMs, `${at}.slow.extraMs`, 0, 600_000) };
      }
      rules.push(rule);
    });
  }
  if (obj.outages !== undefined) {
    if (!Array.isArray(obj.outages)) throw new ConfigError(`${field}.outages: expected a list, got ${show(obj.outages)}`);
    obj.outages.forEach((raw, i) => {
      const at = `${field}.outages[${i}]`;
      const o = objectAt(raw, at, ['fromS', 'toS', 'status', 'methods']);
      const fromS = numberAt(o.fromS, `${at}.fromS`, 0, Infinity, 'seconds');
      const toS = numberAt(o.toS, `${at}.toS`, 0, Infinity, 'seconds');
      if (toS <= fromS) throw new ConfigError(`${at}.toS: expected more than fromS (${fromS}), got ${toS}`);
      outages.push({ fromS, toS, status: statusAt(o.status, `${at}.status`), methods: methodsAt(o.methods, `${at}.methods`) });
    });
  }
  return { rules, outages };
}

function applies(methods: SheetsMethod[] | '*', method: SheetsMethod): boolean {
  return methods === '*' || methods.includes(method);
}

/** The outage covering `elapsedMs` for `method`, if any. */
export function activeOutage(config: FaultConfig, method: SheetsMethod, elapsedMs: number): Outage | undefined {
  return config.outages.find((o) => applies(o.methods, method) && elapsedMs >= o.fromS * 1000 && elapsedMs < o.toS * 1000);
}

/**
 * Decide one call's fault. Draws exactly two numbers per call whatever the configuration, so a call's
 * decision depends only on the seed and its position in the sequence.
 */
export function decideFault(config: FaultConfig, method: SheetsMethod, random: () => number): FaultDecision {
  const u = random();
  const v = random();
  const rule = config.rules.find((r) => applies(r.methods, method));
  if (!rule) return { kind: 'none', extraMs: 0 };
  if (u < rule.error500) return { kind: 'error', error: serverError(500, 'fault') };
  if (u < rule.error500 + rule.error503) return { kind: 'error', error: serverError(503, 'fault') };
  if (u < rule.error500 + rule.error503 + rule.drop) return { kind: 'drop' };
  return { kind: 'none', extraMs: v < rule.slow.rate ? rule.slow.extraMs : 0 };
}
