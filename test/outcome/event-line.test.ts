import { describe, expect, it } from 'vitest';
import { type EventCalls, type EventOutcome, eventLine, ms3, toEventRecord } from '../../simulator/outcome/outcome.ts';
import { seededRandom } from '../seeded-random.ts';
import type { TraceEvent } from '../../simulator/trace/types.ts';

const event = (over: Partial<TraceEvent> = {}): TraceEvent => ({
  seq: 7, t: 1234, worker: 3, op: 'finalizar', scenario: 'finalizar_arm_10',
  req: { method: 'POST', path: '/api/x', body: { a: 1 } },
  ...over,
});

const outcome = (over: Partial<EventOutcome> = {}): EventOutcome => ({
  event: event(), intendedMs: 1234.56789, startMs: 1235.0004, responseMs: 3.14159, serviceMs: 2.0005, latenessMs: 0.0004,
  waitMs: null, sheetsMs: null, computeMs: null, status: 200, error: null, body: '{"ok":true}', action_taken: null,
  ...over,
});

const calls: EventCalls = { count: 3, byMethod: { 'values.append': 1, 'values.get': 2 }, maxAppendRows: 1, latencyMs: 120.5 };

// Outcomes that cover every branch of the line: answered, transport errors, overload, expect met and missed,
// Sheets parts set and unset, odd numbers, bodies that need escaping or are longer than the stored prefix.
const cases: [string, EventOutcome, EventCalls | null][] = [
  ['plain answer', outcome(), null],
  ['with calls and parts', outcome({ sheetsMs: 120.5, waitMs: 10.00049, computeMs: 0 }), calls],
  ['calls with no methods', outcome(), { count: 0, byMethod: {}, maxAppendRows: 0 }],
  ['transport error', outcome({ status: null, error: 'ECONNRESET', body: '' }), null],
  ['not sent', outcome({ status: null, error: 'NOT_SENT', body: '', startMs: 5000, serviceMs: 0 }), null],
  ['expect met', outcome({ event: event({ expect: { status: 200, action_taken: 'PAUSAR' } }), action_taken: 'PAUSAR' }), null],
  ['expect missed', outcome({ event: event({ expect: { status: 409 } }), status: 200 }), null],
  ['negative zero and big numbers', outcome({ latenessMs: -0, intendedMs: 1e21, responseMs: 123456789.12345 }), null],
  ['NaN and infinite timings', outcome({ serviceMs: NaN, responseMs: Infinity, sheetsMs: -Infinity }), null],
  ['escapes and unicode', outcome({ body: 'línea "uno"\n\t\\ \u2028 \ud83d\ude00 \u0001', action_taken: 'A"B', event: event({ scenario: 'é"s\\', op: 'o\np' as TraceEvent['op'] }) }), null],
  ['long body cut at the limit', outcome({ body: 'x'.repeat(5000) }), null],
  ['empty body', outcome({ body: '' }), null],
  ['missing parts (undefined)', outcome({ sheetsMs: undefined, waitMs: undefined, computeMs: undefined }), null],
  ['odd field types take the generic path', outcome({ event: { ...event(), scenario: undefined as unknown as string } }), null],
  ['calls without byMethod take the generic path', outcome(), { count: 1 } as unknown as EventCalls],
];

describe('eventLine: the events.jsonl line written without the record object', () => {
  it.each(cases)('is byte-identical to JSON.stringify(toEventRecord()) for %s', (_name, o, c) => {
    expect(eventLine(o, c)).toBe(JSON.stringify(toEventRecord(o, c)));
  });

  it('stays identical when scenarios and ops alternate between lines (its quoted-name cache)', () => {
    const names = ['a', 'b', 'a', 'a', 'c"', 'b'];
    for (const [i, n] of names.entries()) {
      const o = outcome({ event: event({ seq: i, scenario: n, op: names[(i + 1) % names.length]! as TraceEvent['op'] }) });
      expect(eventLine(o, null)).toBe(JSON.stringify(toEventRecord(o, null)));
    }
  });

  it('parses back to the record', () => {
    const o = outcome({ sheetsMs: 1, waitMs: 2, computeMs: 3 });
    expect(JSON.parse(eventLine(o, calls))).toEqual(toEventRecord(o, calls));
  });
});

describe('ms3: a timing rounded to the microsecond, as JSON', () => {
  const reference = (n: number) => JSON.stringify(Math.round(n * 1000) / 1000) ?? 'null';

  it('writes what JSON.stringify writes for the rounded value, over random magnitudes and signs', () => {
    const rnd = seededRandom(15);
    for (let i = 0; i < 20_000; i++) {
      const n = (rnd() - 0.3) * 10 ** Math.floor(rnd() * 18 - 4);
      expect(ms3(n)).toBe(reference(n));
    }
  });

  it.each([0, -0, 0.0004, -0.0004, 0.0005, -0.0005, 1.0005, 2.675, 999.9995, 0.1 + 0.2, 1e-7, 5e11, 999_999_999_999.999, 1e12, 1e15, 1e20, 1e21, -1e21, NaN, Infinity, -Infinity])(
    'writes %s as JSON.stringify does',
    (n) => expect(ms3(n)).toBe(reference(n)),
  );
});
