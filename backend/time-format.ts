/** Dates as the real backend writes and reads them: America/Santiago wall time, day-first text, Sheets serials. */

import { type WallTime, santiagoWallTime } from './santiago-time.ts';

/** The real backend's TIMEZONE; its wall time comes from the rule table in santiago-time.ts, not from Intl. */
export const BACKEND_TIME_ZONE = 'America/Santiago';

type Parts = WallTime;

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `DD-MM-YYYY HH:MM:SS` in Santiago time, as `now_chile().strftime(...)` wrote every timestamp. */
export function formatTimestamp(epochMs: number): string {
  const p = santiagoWallTime(epochMs);
  return `${pad(p.day)}-${pad(p.month)}-${p.year} ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
}

/** `DD-MM-YYYY` in Santiago time (Metadata's Fecha_Operacion). */
export function formatDate(epochMs: number): string {
  const p = santiagoWallTime(epochMs);
  return `${pad(p.day)}-${pad(p.month)}-${p.year}`;
}

const SERIAL_EPOCH_MS = Date.UTC(1899, 11, 30);

/** Calendar parts of a Sheets serial (days since 1899-12-30; the fraction is the time of day, no time zone). */
export function serialToParts(serial: number): Parts {
  const d = new Date(SERIAL_EPOCH_MS + Math.round(serial * 86_400_000));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
}

/** Calendar parts of a date cell: a serial, or text in one of the formats the real backend accepted. */
function cellParts(cell: unknown): Parts | null {
  if (typeof cell === 'number' && Number.isFinite(cell)) return serialToParts(cell);
  if (typeof cell !== 'string') return null;
  const s = cell.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
  if (m) return { year: +m[1]!, month: +m[2]!, day: +m[3]!, hour: +(m[4] ?? 0), minute: +(m[5] ?? 0), second: +(m[6] ?? 0) };
  m = /^(\d{1,2})[-/](\d{1,2})[-/](\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
  if (m) return { year: +m[3]!, month: +m[2]!, day: +m[1]!, hour: +(m[4] ?? 0), minute: +(m[5] ?? 0), second: +(m[6] ?? 0) };
  return null;
}

/** A date cell as the API's ISO `YYYY-MM-DD` (pydantic `date`), or null when empty or unparseable. */
export function cellToIsoDate(cell: unknown): string | null {
  const p = cellParts(cell);
  return p ? `${p.year}-${pad(p.month)}-${pad(p.day)}` : null;
}

/** A date-time cell as `DD-MM-YYYY HH:MM:SS` text (serials read UNFORMATTED come back as text), or null when empty. */
export function cellToTimestampText(cell: unknown): string | null {
  if (cell === null || cell === undefined || cell === '') return null;
  const p = cellParts(cell);
  if (!p) return String(cell);
  return `${pad(p.day)}-${pad(p.month)}-${p.year} ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
}
