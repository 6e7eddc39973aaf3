/**
 * Does an external backend keep exact mode's virtual clock? A backend that stamps its writes with wall time (the
 * founding users' `now_chile()`) writes a different workbook on every run, so its outcome digest cannot reproduce.
 * The evidence is what it wrote: the Metadata timestamps (column B, docs/contract.md) must fall inside the run's
 * virtual time. Read once after an exact run through the mock's own Sheets API.
 */
import { undici } from './lazy-undici.ts';

/** What the check found; `ignoresClock` null when there was nothing to judge (no Metadata row written). */
export interface ClockVerdict {
  ignoresClock: boolean | null;
  checked: number;
  outside: number;
  /** The first timestamp outside the window, as the sheet holds it (display form). */
  example: string | null;
}

// Santiago's offset moves by an hour (DST); a backend on the virtual clock never strays that far, wall time does by days.
const TOLERANCE_MS = 2 * 3600_000;
const SERIAL_EPOCH_DAYS = 25569; // 1970-01-01 as a Sheets serial day number

/** `epochMs` as the wall-clock reading of `timeZone`, expressed as if it were UTC (what a sheet's serial holds). */
export function localWallMs(epochMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(epochMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) + (epochMs % 1000);
}

/** A Metadata timestamp cell (serial number, or `DD-MM-YYYY HH:MM:SS` text) as wall ms, or null when it is neither. */
export function cellWallMs(cell: unknown): number | null {
  if (typeof cell === 'number' && Number.isFinite(cell)) return Math.round((cell - SERIAL_EPOCH_DAYS) * 86_400_000);
  if (typeof cell !== 'string') return null;
  const m = /^(\d{2})[-/](\d{2})[-/](\d{4})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(cell.trim());
  return m ? Date.UTC(+m[3]!, +m[2]! - 1, +m[1]!, +m[4]!, +m[5]!, +m[6]!) : null;
}

const show = (wallMs: number): string => {
  const iso = new Date(wallMs).toISOString();
  return `${iso.slice(8, 10)}-${iso.slice(5, 7)}-${iso.slice(0, 4)} ${iso.slice(11, 19)}`;
};

/** Judge timestamp cells against the virtual window [startMs, endMs] (epoch ms) read in `timeZone`. */
export function judgeTimestamps(cells: readonly unknown[], startMs: number, endMs: number, timeZone: string): ClockVerdict {
  const from = localWallMs(startMs, timeZone) - TOLERANCE_MS;
  const to = localWallMs(endMs, timeZone) + TOLERANCE_MS;
  let checked = 0;
  let outside = 0;
  let example: string | null = null;
  for (const cell of cells) {
    const ms = cellWallMs(cell);
    if (ms === null) continue;
    checked += 1;
    if (ms < from || ms > to) {
      outside += 1;
      example ??= show(ms);
    }
  }
  return { ignoresClock: checked === 0 ? null : outside > 0, checked, outside, example };
}

/** Read Metadata!B2:B of `spreadsheetId` from the mock at `sheetsUrl` and judge it; null when it cannot be read. */
export async function checkBackendClock(
  sheetsUrl: string, spreadsheetId: string, startMs: number, endMs: number, timeZone = 'America/Santiago',
): Promise<ClockVerdict | null> {
  const path = `/v4/spreadsheets/${encodeURIComponent(spreadsheetId)}/values/${encodeURIComponent('Metadata!B2:B')}`
    + '?valueRenderOption=UNFORMATTED_VALUE&dateTimeRenderOption=SERIAL_NUMBER&majorDimension=COLUMNS';
  try {
    const res = await undici().request(new URL(path, sheetsUrl), { headers: { authorization: 'Bearer sheetsim-clock-check' } });
    const body = (await res.body.json()) as { values?: unknown[][] };
    if (res.statusCode !== 200) return null;
    return judgeTimestamps(body.values?.[0] ?? [], startMs, endMs, timeZone);
  } catch {
    return null;
  }
}

/** What to tell the user when the backend ignores the clock (the digest is withheld). */
export function clockNote(v: ClockVerdict, startMs: number, endMs: number, timeZone = 'America/Santiago'): string {
  return `the backend ignores exact mode's virtual clock: ${v.outside} of ${v.checked} Metadata timestamps it wrote are outside the run's `
    + `virtual time (${show(localWallMs(startMs, timeZone))} … ${show(localWallMs(endMs, timeZone))}; first: ${v.example}). `
    + 'Its workbook changes with the wall clock, so a digest would not reproduce and none is given. '
    + 'Take the time from the x-sheetsim-time request header (epoch ms) to make it reproducible.';
}
