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
