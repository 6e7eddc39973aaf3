import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { decideFault, parseFaultConfig } from '../../mock-sheets/faults.ts';
import { createPolicy } from '../../mock-sheets/realism.ts';
import type { Admission, CallInfo } from '../../mock-sheets/policy.ts';

const append: CallInfo = { method: 'values.append', kind: 'write', quotaUser: 'sa@x' };
const get: CallInfo = { method: 'values.get', kind: 'read', quotaUser: 'sa@x' };
const outcome = (a: Admission) => (a.action === 'reject' ? a.error.reason : a.action === 'drop' ? 'drop' : a.extraLatencyMs > 0 ? 'slow' : 'ok');

const config = {
  rules: [{ methods: ['values.append'], error500: 0.01, error503: 0.02, drop: 0.001, slow: { rate: 0.05, extraMs: 2000 } }],
};

describe('faults', () => {
  // Tolerance: for n = 10,000 and rate p the count's standard deviation is sqrt(n p (1-p)); we allow 4 standard
  // deviations (plus 2 calls) so a correct implementation practically never fails.
  it('injects each fault at its configured rate over 10,000 calls', () => {
    const policy = createPolicy({ seed: 42, clock: 'virtual', faults: parseFaultConfig(config) });
    const counts: Record<string, number> = { 'fault:500': 0, 'fault:503': 0, drop: 0, slow: 0, ok: 0 };
    const n = 10_000;
    for (let i = 0; i < n; i++) counts[outcome(policy.admit(append))]! += 1;
    const expected = { 'fault:500': 0.01, 'fault:503': 0.02, drop: 0.001, slow: 0.05 * (1 - 0.031) };
    for (const [key, p] of Object.entries(expected)) {
      const tolerance = 4 * Math.sqrt(n * p * (1 - p)) + 2;
      expect(Math.abs(counts[key]! - n * p), `${key}: ${counts[key]} of ${n}`).toBeLessThan(tolerance);
    }
  });

  it('leaves methods without a rule alone', () => {
    const policy = createPolicy({ seed: 42, clock: 'virtual', faults: parseFaultConfig(config) });
    for (let i = 0; i < 2000; i++) expect(outcome(policy.admit(get))).toBe('ok');
  });

  it('makes the same decisions for the same seed, and others for another seed', () => {
    const run = (seed: number) => {
      const policy = createPolicy({ seed, clock: 'virtual', faults: parseFaultConfig(config) });
      return Array.from({ length: 3000 }, () => outcome(policy.admit(append))).join(',');
    };
    expect(run(42)).toBe(run(42));
    expect(run(42)).not.toBe(run(7));
  });

  it('answers faults with Google bodies', () => {
    const random = () => 0;
    const five = decideFault(parseFaultConfig({ rules: [{ error500: 1 }] }), 'values.get', random);
    expect(five).toEqual({
      kind: 'error',
      error: { status: 500, googleStatus: 'INTERNAL', message: 'Internal error encountered.', details: [], reason: 'fault:500' },
    });
    const three = decideFault(parseFaultConfig({ rules: [{ methods: '*', error503: 1 }] }), 'values.get', random);
    expect(three).toMatchObject({ error: { status: 503, googleStatus: 'UNAVAILABLE', message: 'The service is currently unavailable.' } });
  });

  it('rejects every call inside an outage window and none outside', () => {
    const startMs = Date.parse('2026-03-02T11:00:00Z');
    const policy = createPolicy({
      seed: 1,
      clock: 'virtual',
      startMs,
      faults: parseFaultConfig({ outages: [{ fromS: 60, toS: 90, status: 503 }] }),
    });
    const seen: string[] = [];
    for (let s = 0; s <= 120; s += 0.5) {
      policy.clock.set(startMs + s * 1000);
      const a = policy.admit(s % 1 === 0 ? append : get);
      const inside = s >= 60 && s < 90;
      expect(outcome(a), `at ${s}s`).toBe(inside ? 'outage:503' : 'ok');
      seen.push(outcome(a));
    }
    expect(seen.filter((o) => o === 'outage:503')).toHaveLength(60);
  });

  it('measures outages from the last reset', () => {
    const policy = createPolicy({ seed: 1, clock: 'virtual', startMs: 0, faults: parseFaultConfig({ outages: [{ fromS: 0, toS: 10, status: 500 }] }) });
    expect(outcome(policy.admit(get))).toBe('outage:500');
    policy.clock.set(20_000);
    expect(outcome(policy.admit(get))).toBe('ok');
    policy.reset(1);
    expect(outcome(policy.admit(get))).toBe('outage:500');
  });

  it('does not count faulted calls against the quota', () => {
    const policy = createPolicy({ seed: 3, clock: 'virtual', quota: 'on', faults: parseFaultConfig({ rules: [{ error503: 0.5 }] }) });
    let ok = 0;
    for (let i = 0; i < 200; i++) if (policy.admit(append).action === 'proceed') ok += 1;
    expect(ok).toBe(60);
    expect(policy.quotaUsage().minutes[0]).toMatchObject({ writes: 60 });
  });

  it.each([
    [{ rules: [{ methods: ['values.append'], error503: 2 }] }, 'faults.rules[0].error503: expected a rate between 0 and 1, got 2'],
    [{ rules: [{ methods: ['values.apend'] }] }, /faults.rules\[0\].methods\[0\]: expected a Sheets method/],
    [{ rules: [{ error500: 0.6, error503: 0.6 }] }, /faults.rules\[0\]: error500 \+ error503 \+ drop must not exceed 1/],
    [{ rules: [{ slow: { rate: 0.1 } }] }, /faults.rules\[0\].slow.extraMs: expected a whole number/],
    [{ outages: [{ fromS: 60, toS: 30 }] }, 'faults.outages[0].toS: expected more than fromS (60), got 30'],
    [{ outages: [{ fromS: 1, toS: 2, status: 429 }] }, 'faults.outages[0].status: expected 500 or 503, got 429'],
    [{ rule: [] }, /faults.rule: unknown field/],
  ])('rejects %j naming the field', (input, message) => {
    expect(() => parseFaultConfig(input)).toThrow(message);
  });

  it('applies a config patch only when all of it is valid', () => {
    const policy = createPolicy({ seed: 1, clock: 'virtual' });
    expect(() => policy.configure({ quota: 'on', faults: { rules: [{ error503: 2 }] } })).toThrow(/faults.rules\[0\].error503/);
    expect(policy.config().quota).toBe('off');
    policy.configure({ quota: { writePerUser: 5 }, latency: 'realistic' });
    expect(policy.config()).toMatchObject({ quota: { writePerUser: 5 }, latency: { minMs: 50 } });
    expect(() => policy.configure({ speed: 2 })).toThrow(/config.speed: unknown field/);
  });

  it('keeps latencies independent of the fault configuration', () => {
    const lat = (faults: unknown) => {
      const policy = createPolicy({ seed: 9, clock: 'virtual', latency: 'realistic', faults: parseFaultConfig(faults) });
      return Array.from({ length: 100 }, () => (policy.admit(append), policy.latency('values.append', 10)));
    };
    expect(lat({})).toEqual(lat({ rules: [{ error503: 0.3, slow: { rate: 0.5, extraMs: 100 } }] }));
  });

  it('draws two numbers per call whatever the rule', () => {
    let draws = 0;
    const random = seedrandom('x');
    const counting = () => ((draws += 1), random());
    decideFault(parseFaultConfig({}), 'values.get', counting);
    decideFault(parseFaultConfig({ rules: [{ error500: 1 }] }), 'values.get', counting);
    expect(draws).toBe(4);
  });
});
