import { describe, expect, it } from 'vitest';
import { cellWallMs, judgeTimestamps, localWallMs } from '../../simulator/replay/clock-check.ts';

// 08:00 in Santiago (-03:00) on 2026-03-02: trace t = 0 of the default world.
const START = Date.parse('2026-03-02T08:00:00-03:00');
const END = START + 10 * 60_000;
const serial = (y: number, mo: number, d: number, h: number, mi: number) => Date.UTC(y, mo - 1, d, h, mi) / 86_400_000 + 25569;

describe('exact-mode clock check of an external backend', () => {
  it('reads serial numbers and DD-MM-YYYY HH:MM:SS text as the sheet-local wall time', () => {
    expect(localWallMs(START, 'America/Santiago')).toBe(Date.UTC(2026, 2, 2, 8, 0, 0));
    expect(cellWallMs(serial(2026, 3, 2, 8, 5))).toBe(Date.UTC(2026, 2, 2, 8, 5));
    expect(cellWallMs('02-03-2026 08:05:07')).toBe(Date.UTC(2026, 2, 2, 8, 5, 7));
    expect(cellWallMs('not a time')).toBeNull();
    expect(cellWallMs('')).toBeNull();
  });

  it('passes timestamps inside the virtual window and flags wall-clock ones', () => {
    const onClock = judgeTimestamps([serial(2026, 3, 2, 8, 0), '02-03-2026 08:09:59', serial(2026, 3, 2, 8, 3)], START, END, 'America/Santiago');
    expect(onClock).toEqual({ ignoresClock: false, checked: 3, outside: 0, example: null });
    const wall = judgeTimestamps([serial(2026, 3, 2, 8, 1), '30-11-2026 21:14:03', serial(2026, 11, 30, 21, 15)], START, END, 'America/Santiago');
    expect(wall).toEqual({ ignoresClock: true, checked: 3, outside: 2, example: '30-11-2026 21:14:03' });
  });

  it('gives no verdict when the backend wrote no timestamp', () => {
    expect(judgeTimestamps([], START, END, 'America/Santiago').ignoresClock).toBeNull();
    expect(judgeTimestamps(['x', null], START, END, 'America/Santiago').ignoresClock).toBeNull();
  });
});
