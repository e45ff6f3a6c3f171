/**
 * Dates as this backend uses them: TMDB air dates are `YYYY-MM-DD` (UTC), so "today" is a string and
 * "aired" a string comparison; Firestore stores timestamps of years 1 to 9999 only.
 */

const DAY_MS = 86_400_000;

/** A day as TMDB air dates write it (`YYYY-MM-DD`, UTC). */
export const utcDate = (date: Date): string => date.toISOString().slice(0, 10);

/** `date` (`YYYY-MM-DD`) plus `days` (negative goes back). */
export const addDays = (date: string, days: number): string => utcDate(new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS));

/** Aired = an air date of `today` or earlier; an unknown (null or empty) air date has not aired. */
export const hasAired = (airDate: string | null | undefined, today: string): boolean =>
  typeof airDate === "string" && airDate !== "" && airDate <= today;

/** Firestore's Timestamp range: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z. */
const FIRESTORE_MIN_MS = -62_135_596_800_000;
const FIRESTORE_MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Can Firestore store this instant (`Timestamp.fromDate` throws outside years 1..9999 UTC)? */
export function isFirestoreDate(date: Date): boolean {
  const ms = date.getTime();
  return Number.isFinite(ms) && ms >= FIRESTORE_MIN_MS && ms <= FIRESTORE_MAX_MS;
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * `watched_at` as spreadsheets write it: ISO-8601 (`2024-01-31T20:00:00Z`, `…+02:00`), a space instead
 * of the `T`, no seconds, or a bare date. Without a zone the time is UTC; a bare date is midnight UTC.
 * Impossible dates (`2024-02-30`) are rejected rather than rolled over.
 */
export function parseCsvTimestamp(value: string): Date | null {
  const match = TIMESTAMP.exec(value);
  if (!match) return null;
  const [, y, mo, d, h = "00", mi = "00", s = "00", fraction = "", zone = "Z"] = match;
  const millis = fraction ? fraction.slice(1, 4).padEnd(3, "0") : "000";
  const normalisedZone = zone.toUpperCase() === "Z" ? "Z" : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}.${millis}${normalisedZone}`);
  // Also what Firestore cannot store (year 0, or past 9999 once the zone is applied).
  if (!isFirestoreDate(date)) return null;
  // Date rolls 2024-02-30 over to March: compare the calendar date back.
  const calendar = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (calendar.getUTCFullYear() !== Number(y) || calendar.getUTCMonth() !== Number(mo) - 1 || calendar.getUTCDate() !== Number(d))
    return null;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  return date;
}
