/** Calendar arithmetic on plain dates, in UTC so results never depend on the machine's zone or locale. */

const DAY_MS = 86_400_000;

/** A calendar date as days since 1970-01-01. */
export type DayNumber = number;

/** Parse `YYYY-MM-DD` into a day number, or throw naming what was expected. */
export function parseIsoDate(text: string, field = 'startDate'): DayNumber {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) throw new Error(`${field} must be a date YYYY-MM-DD, got '${text}'`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new Error(`${field} is not a real calendar date: '${text}'`);
  }
  return Math.round(ms / DAY_MS);
}

function parts(day: DayNumber): [string, string, string] {
  const date = new Date(day * DAY_MS);
  return [
    String(date.getUTCFullYear()).padStart(4, '0'),
    String(date.getUTCMonth() + 1).padStart(2, '0'),
    String(date.getUTCDate()).padStart(2, '0'),
  ];
}

/** `DD-MM-YYYY`, as the backend writes dates into the sheet. */
export function formatDayFirst(day: DayNumber): string {
  const [y, m, d] = parts(day);
  return `${d}-${m}-${y}`;
}

/** `DD-MM-YYYY HH:MM:SS` for a day plus seconds into it, as the backend writes timestamps. */
export function formatDayFirstTime(day: DayNumber, secondOfDay: number): string {
  const h = Math.floor(secondOfDay / 3600);
  const mi = Math.floor((secondOfDay % 3600) / 60);
  const s = secondOfDay % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${formatDayFirst(day)} ${pad(h)}:${pad(mi)}:${pad(s)}`;
}

/** `YYYY-MM-DD`, as the API's JSON dates and the locust bodies carry them. */
export function formatIso(day: DayNumber): string {
  const [y, m, d] = parts(day);
  return `${y}-${m}-${d}`;
}
