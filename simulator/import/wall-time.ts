/**
 * Metadata timestamps → epoch ms. The backend writes `DD-MM-YYYY HH:MM:SS` wall time of its time zone
 * (America/Santiago) with USER_ENTERED, so an export holds that text, a re-formatted date-time, or (read
 * UNFORMATTED) a Sheets serial; all are wall times that need the zone to become instants.
 */

/** The zone the ZEUES backend writes its timestamps in. */
export const DEFAULT_TIME_ZONE = 'America/Santiago';

const SERIAL_EPOCH_MS = Date.UTC(1899, 11, 30);
const HOUR = 3_600_000;

/** Converts wall times of one zone to instants (offsets cached per hour, so 10,000 rows cost a few lookups). */
export class WallClock {
  private readonly fmt: Intl.DateTimeFormat;
  private readonly offsets = new Map<number, number>();

  constructor(readonly timeZone: string = DEFAULT_TIME_ZONE) {
    try {
      this.fmt = new Intl.DateTimeFormat('en-GB', {
        timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
      });
    } catch {
      throw new Error(`unknown time zone '${timeZone}' (expected an IANA name such as America/Santiago)`);
    }
  }

  // Zone offset (ms, wall − UTC) at an instant.
  private offsetAt(ms: number): number {
    const key = Math.floor(ms / HOUR);
    let off = this.offsets.get(key);
    if (off === undefined) {
      const p: Record<string, number> = {};
      for (const part of this.fmt.formatToParts(new Date(key * HOUR))) if (part.type !== 'literal') p[part.type] = Number(part.value);
      off = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour! % 24, p.minute!, p.second!) - key * HOUR;
      this.offsets.set(key, off);
    }
    return off;
  }

  /** `YYYY-MM-DD` of an instant in this zone. */
  dateOf(ms: number): string {
    const wall = new Date(ms + this.offsetAt(ms));
    return wall.toISOString().slice(0, 10);
  }

  /** The instant of a wall time given as a UTC-coded ms number (Date.UTC of the wall fields). */
  instant(wallMs: number): number {
    const first = wallMs - this.offsetAt(wallMs);
    const second = wallMs - this.offsetAt(first);
    return second;
  }

  /**
   * Epoch ms of a timestamp cell: a Sheets serial, `DD-MM-YYYY HH:MM:SS` (day first, `-` or `/`, seconds optional),
   * `YYYY-MM-DD HH:MM:SS`, or ISO 8601 with `Z`/offset (taken as is). Null when the cell is none of these.
   */
  parse(cell: unknown): number | null {
    if (typeof cell === 'number') return Number.isFinite(cell) && cell > 0 ? this.instant(SERIAL_EPOCH_MS + Math.round(cell * 86_400_000)) : null;
    if (typeof cell !== 'string') return null;
    const s = cell.trim();
    if (s === '') return null;
    if (/^\d+(\.\d+)?$/.test(s)) return this.parse(Number(s));
    let m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
    if (m) {
      if (m[8]) {
        const ms = Date.parse(s.replace(' ', 'T'));
        return Number.isFinite(ms) ? ms : null;
      }
      return this.wall(+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), +(m[7] ?? '0').padEnd(3, '0'));
    }
    m = /^(\d{1,2})[-/](\d{1,2})[-/](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
    if (m) return this.wall(+m[3]!, +m[2]!, +m[1]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), 0);
    return null;
  }

  private wall(y: number, mo: number, d: number, h: number, mi: number, sec: number, ms: number): number | null {
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59) return null;
    const utc = Date.UTC(y, mo - 1, d, h, mi, sec, ms);
    // Date.UTC rolls 31-02 over into March: refuse dates that do not exist.
    if (new Date(utc).getUTCDate() !== d) return null;
    return this.instant(utc);
  }
}
