/**
 * America/Santiago wall time from an explicit copy of Chile's clock rules, so the timestamps the backend writes
 * (and with them the exact-mode outcome digest) never depend on the tz data bundled with Node's ICU.
 *
 * Source: the IANA tz database, file `southamerica`, as shipped in tzdata 2025b/2025c (Node 20.20's ICU bundles
 * tz 2025c; Debian's /usr/share/zoneinfo/tzdata.zi is 2025b; the Chile lines are the same in both and in 2026e):
 *
 *   # Zone  NAME              STDOFF  RULES  FORMAT   [UNTIL]
 *   Zone America/Santiago ... -5:00   -      -05      1947 May 21 23:00
 *                             -4:00   Chile  -04/-03
 *   # Rule  NAME   FROM  TO    -  IN   ON       AT     SAVE
 *   Rule    Chile  1968  only  -  Nov   3       4:00u  1:00    ... (1968-2018: the lines in RULES below)
 *   Rule    Chile  2016  2018  -  May  Sun>=9   3:00u  0
 *   Rule    Chile  2016  2018  -  Aug  Sun>=9   4:00u  1:00
 *   Rule    Chile  2019  max   -  Apr  Sun>=2   3:00u  0
 *   Rule    Chile  2019  2021  -  Sep  Sun>=2   4:00u  1:00
 *   Rule    Chile  2022  only  -  Sep  Sun>=9   4:00u  1:00   # moved a week for the 2022-09-04 plebiscite
 *   Rule    Chile  2023  max   -  Sep  Sun>=2   4:00u  1:00
 *
 * Since 2019 summer time ends at 03:00 UTC on the first Sunday on or after April 2 (Saturday 24:00 local, the end
 * of the first Saturday of April) and starts at 04:00 UTC on the first Sunday on or after September 2: usually the
 * first Sunday of the month, but 2029-04-08 and 2035-04-08 (April 1 is a Sunday). There are no rules for 2015, so
 * Chile stayed on -03 from 2014-09-07 to 2016-05-15, as it did.
 *
 * Range: every instant from 1947-05-22 04:00 UTC (the zone's `-4:00 Chile` line) on. Years after the last
 * dated rule follow the `max` rules indefinitely, exactly as tzdata projects them (the law as of the source);
 * if Chile changes its rules, this table must be updated — the test that compares it with Node's Intl for
 * 2024-2027 is there to notice. Earlier instants throw a RangeError.
 */

/** Chile's standard offset since 1947 (-04:00), in minutes east of UTC. */
const STANDARD_MINUTES = -240;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Where the zone's `-4:00 Chile` line starts: 1947-05-21 23:00 at -05:00. */
export const SANTIAGO_TABLE_START_MS = Date.UTC(1947, 4, 22, 4, 0, 0);

interface ChileRule {
  from: number;
  /** Last year the rule applies; Infinity for tzdata's `max`. */
  to: number;
  /** 1-12. */
  month: number;
  /** `ON`: a fixed day of the month, or the first Sunday on or after that day (`Sun>=N`). */
  day: number;
  sundayOnOrAfter: boolean;
  /** `AT`: every Chile rule since 1968 is given in UTC (`4:00u`, `3:00u`). */
  atUtcHour: number;
  /** `SAVE` in hours: 1 = summer time (-03:00), 0 = standard (-04:00). */
  save: 0 | 1;
}

const rule = (from: number, to: number, month: number, on: string, atUtcHour: number, save: 0 | 1): ChileRule => {
  const sunday = /^Sun>=(\d+)$/.exec(on);
  return { from, to, month, day: Number(sunday ? sunday[1] : on), sundayOnOrAfter: sunday !== null, atUtcHour, save };
};

const MAX = Infinity;
const [MAR, APR, MAY, AUG, SEP, OCT, NOV] = [3, 4, 5, 8, 9, 10, 11];

// `Rule Chile` lines from 1968 on, in tzdata's order (the 1927-1932 lines predate the `-4:00 Chile` zone line).
const RULES: readonly ChileRule[] = [
  rule(1968, 1968, NOV, '3', 4, 1),
  rule(1969, 1969, MAR, '30', 3, 0),
  rule(1969, 1969, NOV, '23', 4, 1),
  rule(1970, 1970, MAR, '29', 3, 0),
  rule(1971, 1971, MAR, '14', 3, 0),
  rule(1970, 1972, OCT, 'Sun>=9', 4, 1),
  rule(1972, 1986, MAR, 'Sun>=9', 3, 0),
  rule(1973, 1973, SEP, '30', 4, 1),
  rule(1974, 1987, OCT, 'Sun>=9', 4, 1),
  rule(1987, 1987, APR, '12', 3, 0),
  rule(1988, 1990, MAR, 'Sun>=9', 3, 0),
  rule(1988, 1989, OCT, 'Sun>=9', 4, 1),
  rule(1990, 1990, SEP, '16', 4, 1),
  rule(1991, 1996, MAR, 'Sun>=9', 3, 0),
  rule(1991, 1997, OCT, 'Sun>=9', 4, 1),
  rule(1997, 1997, MAR, '30', 3, 0),
  rule(1998, 1998, MAR, 'Sun>=9', 3, 0),
  rule(1998, 1998, SEP, '27', 4, 1),
  rule(1999, 1999, APR, '4', 3, 0),
  rule(1999, 2010, OCT, 'Sun>=9', 4, 1),
  rule(2000, 2007, MAR, 'Sun>=9', 3, 0),
  rule(2008, 2008, MAR, '30', 3, 0),
  rule(2009, 2009, MAR, 'Sun>=9', 3, 0),
  rule(2010, 2010, APR, 'Sun>=1', 3, 0),
  rule(2011, 2011, MAY, 'Sun>=2', 3, 0),
  rule(2011, 2011, AUG, 'Sun>=16', 4, 1),
  rule(2012, 2014, APR, 'Sun>=23', 3, 0),
  rule(2012, 2014, SEP, 'Sun>=2', 4, 1),
  rule(2016, 2018, MAY, 'Sun>=9', 3, 0),
  rule(2016, 2018, AUG, 'Sun>=9', 4, 1),
  rule(2019, MAX, APR, 'Sun>=2', 3, 0),
  rule(2019, 2021, SEP, 'Sun>=2', 4, 1),
  rule(2022, 2022, SEP, 'Sun>=9', 4, 1),
  rule(2023, MAX, SEP, 'Sun>=2', 4, 1),
];

const FIRST_RULE_YEAR = Math.min(...RULES.map((r) => r.from));

interface Transition {
  atMs: number;
  save: 0 | 1;
}

// Every rule fires between March and November at 03:00-04:00 UTC, so a year's transitions fall inside that UTC year.
const byYear = new Map<number, Transition[]>();

function transitionsOf(year: number): Transition[] {
  let list = byYear.get(year);
  if (list) return list;
  list = [];
  for (const r of RULES) {
    if (year < r.from || year > r.to) continue;
    let dayMs = Date.UTC(year, r.month - 1, r.day);
    if (r.sundayOnOrAfter) dayMs += ((7 - new Date(dayMs).getUTCDay()) % 7) * DAY_MS;
    list.push({ atMs: dayMs + r.atUtcHour * HOUR_MS, save: r.save });
  }
  list.sort((a, b) => a.atMs - b.atMs);
  byYear.set(year, list);
  return list;
}

/** Santiago's UTC offset at an instant, in minutes east of UTC (-180 in summer time, -240 otherwise). */
export function santiagoOffsetMinutes(epochMs: number): number {
  const utcYear = new Date(epochMs).getUTCFullYear();
  if (Number.isNaN(utcYear)) throw new RangeError(`Santiago time of an instant outside JavaScript dates: ${epochMs}`);
  if (epochMs < SANTIAGO_TABLE_START_MS) {
    throw new RangeError(`Santiago time before 1947-05-22T04:00Z is not in the rule table (got ${new Date(epochMs).toISOString()})`);
  }
  // The latest transition at or before the instant decides; a year without rules (2015) inherits the one before.
  for (let year = utcYear; year >= FIRST_RULE_YEAR; year--) {
    const list = transitionsOf(year);
    for (let i = list.length - 1; i >= 0; i--) {
      const t = list[i]!;
      if (t.atMs <= epochMs) return STANDARD_MINUTES + t.save * 60;
    }
  }
  return STANDARD_MINUTES;
}

/** Calendar and clock fields of a Santiago wall time. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The Santiago wall time of an instant (seconds truncated, as Intl and Python's strftime show them). */
export function santiagoWallTime(epochMs: number): WallTime {
  const d = new Date(epochMs + santiagoOffsetMinutes(epochMs) * 60_000);
  return {
    year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(),
    hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(),
  };
}
