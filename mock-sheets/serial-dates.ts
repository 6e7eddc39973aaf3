/**
 * Sheets serial numbers (days since 1899-12-30, the fraction is the time of day). Integer day arithmetic on the
 * proleptic Gregorian calendar (H. Hinnant's days_from_civil), so no Date object, no time zone: a serial is
 * wall-clock time in the sheet's zone.
 */
/** Day number of 1899-12-30 counted from 1970-01-01. */
const EPOCH_DAYS = -25569;

function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in a month (1-based month) of the Gregorian calendar; 1900 is not a leap year, as in Sheets. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Serial number (days since 1899-12-30, fraction = time of day) of a calendar date-time. */
export function toSerial(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const days = daysFromCivil(year, month, day) - EPOCH_DAYS;
  const seconds = hour * 3600 + minute * 60 + second;
  return seconds === 0 ? days : days + seconds / 86400;
}

/** Calendar parts of a serial number (month 1-based), rounded to the nearest second. */
export function fromSerial(serial: number): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  let days = Math.floor(serial);
  let seconds = Math.round((serial - days) * 86400);
  if (seconds === 86400) {
    days += 1;
    seconds = 0;
  }
  const z = days + EPOCH_DAYS + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const hour = Math.floor(seconds / 3600);
  const minute = Math.floor((seconds % 3600) / 60);
  return { year, month, day, hour, minute, second: seconds % 60 };
}

