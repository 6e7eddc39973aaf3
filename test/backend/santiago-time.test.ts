import { describe, expect, it } from 'vitest';
import { SANTIAGO_TABLE_START_MS, santiagoOffsetMinutes, santiagoWallTime } from '../../backend/santiago-time.ts';
import { formatDate, formatTimestamp } from '../../backend/time-format.ts';

const HOUR = 3_600_000;

// Written out by hand from tzdata's `Rule Chile` lines (southamerica), not computed by the code under test:
// [end of summer time (03:00 UTC), start of summer time (04:00 UTC)] per year.
const TRANSITIONS: Record<number, [string, string]> = {
  2019: ['2019-04-07', '2019-09-08'],
  2020: ['2020-04-05', '2020-09-06'],
  2021: ['2021-04-04', '2021-09-05'],
  2022: ['2022-04-03', '2022-09-11'], // September moved a week (Sun>=9) for the 2022-09-04 plebiscite
  2023: ['2023-04-02', '2023-09-03'],
  2024: ['2024-04-07', '2024-09-08'],
  2025: ['2025-04-06', '2025-09-07'],
  2026: ['2026-04-05', '2026-09-06'],
  2027: ['2027-04-04', '2027-09-05'],
  2028: ['2028-04-02', '2028-09-03'],
  2029: ['2029-04-08', '2029-09-02'], // April 1 is a Sunday: Sun>=2 is the 8th, not the "first Sunday"
  2030: ['2030-04-07', '2030-09-08'],
};

const utc = (day: string, hour: number) => Date.parse(`${day}T${String(hour).padStart(2, '0')}:00:00Z`);

describe('America/Santiago from the rule table', () => {
  for (const [year, [end, start]] of Object.entries(TRANSITIONS)) {
    it(`${year}: summer time ends ${end} 03:00Z and starts ${start} 04:00Z`, () => {
      const endMs = utc(end, 3);
      const startMs = utc(start, 4);
      // Hours around the April change: -03 up to the last millisecond, -04 from the instant on.
      expect([endMs - 2 * HOUR, endMs - 1, endMs, endMs + HOUR].map(santiagoOffsetMinutes)).toEqual([-180, -180, -240, -240]);
      expect([startMs - HOUR, startMs - 1, startMs, startMs + 2 * HOUR].map(santiagoOffsetMinutes)).toEqual([-240, -240, -180, -180]);
      // Mid-winter and the new year: one offset each.
      expect(santiagoOffsetMinutes(Date.UTC(Number(year), 6, 1))).toBe(-240);
      expect(santiagoOffsetMinutes(Date.UTC(Number(year), 0, 1))).toBe(-180);
    });
  }

  it('repeats the hour 23:00-24:00 on the April Saturday and skips 00:00-01:00 on the September Sunday', () => {
    const end = utc('2024-04-07', 3);
    expect(formatTimestamp(end - 1000)).toBe('06-04-2024 23:59:59');
    expect(formatTimestamp(end)).toBe('06-04-2024 23:00:00');
    expect(formatTimestamp(end + HOUR - 1000)).toBe('06-04-2024 23:59:59');
    expect(formatDate(end + HOUR)).toBe('07-04-2024');
    const start = utc('2022-09-11', 4);
    expect(formatTimestamp(start - 1000)).toBe('10-09-2022 23:59:59');
    expect(formatTimestamp(start)).toBe('11-09-2022 01:00:00');
    // A week earlier (the rule other years use) nothing happened in 2022.
    expect(formatTimestamp(utc('2022-09-04', 4))).toBe('04-09-2022 00:00:00');
  });

  it('keeps -03 through 2015, a year without rules, and follows the 2016-2018 May/August rule', () => {
    expect(santiagoOffsetMinutes(Date.UTC(2015, 6, 1))).toBe(-180);
    expect(santiagoOffsetMinutes(utc('2016-05-15', 3) - 1)).toBe(-180);
    expect(santiagoOffsetMinutes(utc('2016-05-15', 3))).toBe(-240);
    expect(santiagoOffsetMinutes(utc('2018-08-12', 4))).toBe(-180);
  });

  it('projects the current rule past the dated lines, and refuses instants before the table', () => {
    expect(santiagoOffsetMinutes(utc('2040-04-08', 3) - 1)).toBe(-180);
    expect(santiagoOffsetMinutes(utc('2040-04-08', 3))).toBe(-240);
    expect(santiagoWallTime(Date.UTC(2100, 0, 1, 12))).toEqual({ year: 2100, month: 1, day: 1, hour: 9, minute: 0, second: 0 });
    expect(() => santiagoOffsetMinutes(SANTIAGO_TABLE_START_MS - 1)).toThrow(RangeError);
    expect(() => santiagoOffsetMinutes(8.64e15 + 1)).toThrow(RangeError);
  });
});

// This test compares the table with the tz data bundled with this Node (process.versions.tz). It fails when that
// data gives Santiago other rules than the table for 2024-2027 — which is its purpose: Chile changed its law, the
// table (and every digest that contains Santiago timestamps) must be reviewed. Update backend/santiago-time.ts
// from tzdata's `southamerica` and record why in the commit.
describe(`the rule table agrees with Node's Intl (tz ${process.versions.tz ?? 'none'})`, () => {
  it('at the start and the last millisecond of every hour of 2024-2027 (so on both sides of every change)', () => {
    const intl = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'America/Santiago', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
    });
    const fromIntl = (ms: number): string => {
      const o: Record<string, string> = {};
      for (const p of intl.formatToParts(new Date(ms))) if (p.type !== 'literal') o[p.type] = p.value;
      return `${o.day}-${o.month}-${o.year} ${o.hour}:${o.minute}:${o.second}`;
    };
    const instants: number[] = [];
    for (let ms = Date.UTC(2024, 0, 1); ms < Date.UTC(2028, 0, 1); ms += HOUR) instants.push(ms, ms + 59 * 60_000 + 59_999);
    const differ = instants.filter((ms) => formatTimestamp(ms) !== fromIntl(ms));
    expect(differ.map((ms) => `${new Date(ms).toISOString()}: table ${formatTimestamp(ms)}, Intl ${fromIntl(ms)}`)).toEqual([]);
    expect(instants.length).toBe(2 * 35_064); // 1461 days (2024 is a leap year)
  });
});
