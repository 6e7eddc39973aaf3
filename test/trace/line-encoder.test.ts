import { describe, expect, it } from 'vitest';
import { LineEncoder } from '../../simulator/trace/line-encoder.ts';
import { eventLine } from '../../simulator/trace/lines.ts';
import type { TraceEvent } from '../../simulator/trace/types.ts';
import { defaultTraceOptions, profileEvents, traceHeader } from '../../simulator/workload/profiles.ts';
import { emptyStats } from '../../simulator/workload/scenarios.ts';

// The writer's bytes must be the reference line's bytes exactly: the trace hash and the golden trace depend on it.
function encoded(events: TraceEvent[], capacity?: number): Buffer {
  const enc = new LineEncoder(capacity);
  for (const e of events) enc.event(e);
  return Buffer.from(enc.view());
}
const reference = (events: TraceEvent[]) => Buffer.from(events.map((e) => `${eventLine(e)}\n`).join(''), 'utf8');

const ev = (body: unknown, extra: Partial<TraceEvent> = {}): TraceEvent => ({
  seq: 3, t: 1200, worker: 17, op: 'finalizar', scenario: 'finalizar_arm_10',
  req: { method: 'POST', path: '/api/v4/occupation/finalizar', body }, expect: { status: 200, action_taken: 'PAUSAR' }, ...extra,
});

describe('line encoder', () => {
  it('writes the bytes of eventLine for generated zeues and locust traces', () => {
    for (const profile of ['zeues', 'locust'] as const) {
      const header = traceHeader({ ...defaultTraceOptions, profile, seed: 11, conflicts: 0.3, workers: 60 });
      const events = [...profileEvents(header, emptyStats())];
      expect(events.length).toBeGreaterThan(1000);
      expect(encoded(events).equals(reference(events))).toBe(true);
    }
  });

  it('matches JSON.stringify on strings that need escaping or are not ASCII', () => {
    const strings = ['a"b', 'back\\slash', 'tab\there', 'nul\u0000', 'del\u007f', 'Muñoz', 'José Pérez', '€', '😀',
      'lone \ud800 high', 'lone \udc00 low', '\u2028\u2029', '', 'x'.repeat(5000)];
    const events = strings.map((s, i) => ev({ tag_spool: s, [s]: [s, { [s]: s }] }, { seq: i, scenario: s, req: { method: 'GET', path: `/${s}` } }));
    expect(encoded(events).equals(reference(events))).toBe(true);
  });

  it('matches JSON.stringify on numbers, odd values and odd objects in a body', () => {
    class Box {
      constructor(readonly v: number) {}
    }
    let deep: unknown = 'bottom';
    for (let i = 0; i < 40; i++) deep = [deep, { i }];
    const bodies: unknown[] = [
      { n: -5, f: 1.5, z: -0, big: 2 ** 60, tiny: 1e-7, huge: 1e21, nan: NaN, inf: -Infinity },
      { u: undefined, fn: () => 1, sym: Symbol('s'), nil: null, yes: true, no: false },
      [undefined, () => 1, Symbol('s'), null, 1, 'a'],
      // eslint-disable-next-line no-sparse-arrays
      [1, , 3],
      { b: 1, 2: 'two', a: 2, 1: 'one' },
      Object.assign(Object.create(null), { k: 'v' }),
      { when: new Date(0), box: new Box(3) },
      { toJSON: () => 'custom' },
      Object.assign([1, 2], { toJSON: () => 'arr' }),
      deep,
      'just a string', 42, true, null,
    ];
    const events = bodies.map((body, i) => ev(body, { seq: i }));
    expect(encoded(events).equals(reference(events))).toBe(true);
  });

  it('falls back to the reference line for fields that are not what the types say', () => {
    const odd = [
      ev(undefined, { seq: 1.5 }),
      ev(undefined, { t: 2 ** 60 }),
      ev(undefined, { worker: NaN }),
      ev(undefined, { op: 7 as unknown as TraceEvent['op'] }),
      ev(undefined, { expect: { status: 200.5 } }),
      ev(undefined, { expect: undefined }),
      ev({ a: 1 }, { expect: { status: 404 } }),
      ev(undefined, { seq: -12 }),
    ];
    expect(encoded(odd).equals(reference(odd))).toBe(true);
  });

  it('grows past its capacity, and take() hands over the bytes and starts afresh', () => {
    const header = traceHeader({ ...defaultTraceOptions, seed: 3 });
    const events = [...profileEvents(header, emptyStats())].slice(0, 300);
    expect(encoded(events, 16).equals(reference(events))).toBe(true);
    const enc = new LineEncoder(64);
    enc.text('héader\n');
    enc.event(events[0]!);
    const first = enc.take();
    enc.event(events[1]!);
    expect(first.toString('utf8')).toBe(`héader\n${eventLine(events[0]!)}\n`);
    expect(enc.view().toString('utf8')).toBe(`${eventLine(events[1]!)}\n`);
  });
});
