import { describe, expect, it } from 'vitest';
import { backoffDelay, LEAN_BACKOFF } from '../../backend/backoff.ts';
import { PyFloat, pyJsonDumps } from '../../backend/py-json.ts';
import { seededRandom } from '../../backend/random-source.ts';
import { cellToIsoDate, cellToTimestampText, formatDate, formatTimestamp } from '../../backend/time-format.ts';
import { normaliseHeader, columnLetters, cellA1 } from '../../backend/sheet-table.ts';
import { parseSheetsError } from '../../backend/sheets-error.ts';

describe('time formats', () => {
  it('writes Santiago wall time as DD-MM-YYYY HH:MM:SS, across the DST change', () => {
    // 2026-05-13T15:33:48Z is 11:33:48 in Santiago (UTC-4 in May).
    expect(formatTimestamp(Date.UTC(2026, 4, 13, 15, 33, 48))).toBe('13-05-2026 11:33:48');
    // January is summer time (UTC-3).
    expect(formatTimestamp(Date.UTC(2026, 0, 10, 3, 5, 0))).toBe('10-01-2026 00:05:00');
    expect(formatDate(Date.UTC(2026, 0, 10, 2, 59, 59))).toBe('09-01-2026');
  });
  it('reads serials and day-first text back', () => {
    expect(cellToIsoDate(46155)).toBe('2026-05-13');
    expect(cellToIsoDate('20-01-2026')).toBe('2026-01-20');
    expect(cellToIsoDate('')).toBeNull();
    expect(cellToTimestampText(46155.5)).toBe('13-05-2026 12:00:00');
    expect(cellToTimestampText('')).toBeNull();
  });
});

describe('python-compatible JSON', () => {
  it('uses json.dumps separators, keeps floats as floats and escapes non-ASCII', () => {
    expect(pyJsonDumps({ union_count: 2, pulgadas: new PyFloat(3), union_ids: ['OT-1+1', 'OT-1+2'] })).toBe('{"union_count": 2, "pulgadas": 3.0, "union_ids": ["OT-1+1", "OT-1+2"]}');
    expect(pyJsonDumps({ r: 'Metrología' })).toBe('{"r": "Metrolog\\u00eda"}');
  });
});

describe('seeded randomness', () => {
  it('gives the same uuids for the same seed and valid v4 uuids', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const ids = [a.uuid(), a.uuid()];
    expect([b.uuid(), b.uuid()]).toEqual(ids);
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(seededRandom(8).uuid()).not.toBe(ids[0]);
  });
  it('draws full-jitter delays under the capped exponential ceiling', () => {
    const r = seededRandom(1);
    for (let retry = 0; retry < 6; retry++) {
      const d = backoffDelay(LEAN_BACKOFF, retry, r.jitter);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(Math.min(2000, 200 * 2 ** retry));
    }
  });
});

describe('sheet helpers', () => {
  it('normalises headers like the real column map (case, accents, spaces, underscores)', () => {
    expect(normaliseHeader('Fecha_QC_Metrología')).toBe('fechaqcmetrologia');
    expect(normaliseHeader('Ocupado_Por')).toBe('ocupadopor');
    expect(columnLetters(0)).toBe('A');
    expect(columnLetters(66)).toBe('BO');
    expect(cellA1('Uniones', 12, 7)).toBe("'Uniones'!H12");
  });
  it('parses Google error bodies into a typed SheetsApiError', () => {
    const body = JSON.stringify({
      error: { code: 429, message: "Quota exceeded for quota metric 'Write requests'", status: 'RESOURCE_EXHAUSTED', details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'RATE_LIMIT_EXCEEDED' }] },
    });
    const err = parseSheetsError(429, body, '7');
    expect(err).toMatchObject({ status: 429, googleStatus: 'RESOURCE_EXHAUSTED', reason: 'RATE_LIMIT_EXCEEDED', retryAfterSeconds: 7 });
    expect(err.message).toContain('Quota exceeded');
    expect(err.transient).toBe(true);
    expect(parseSheetsError(400, '<html>', undefined)).toMatchObject({ status: 400, googleStatus: 'INVALID_ARGUMENT', message: '<html>' });
  });
});
