import { getCountry } from "countries-and-timezones";
import { DateTime } from "luxon";
import type { ShowFacts } from "../cache/documents";

/**
 * The clock (CONTRACT §11, README "When an episode airs"). TMDB gives an air date without a time. The rule:
 *
 *   an episode airs at 20:00 (prime time) on its air date, in the time zone of the show's first
 *   `origin_country` — the first zone `countries-and-timezones` lists for that country, which is the
 *   IANA zone.tab order: the most populous zone first where geography allows (US → America/New_York,
 *   GB → Europe/London, FR → Europe/Paris, JP → Asia/Tokyo); for countries spanning several zones this is
 *   their eastern feed, the country's first broadcast.
 *   A show with no known country airs at 00:00 UTC on its air date (TMDB's dates are then read as UTC days,
 *   as this backend always did).
 *
 * That moment is one instant for everybody: "aired" is "that instant has passed", and a calendar day is
 * that instant's date in the user's time zone. So a user east and a user west of the show's country see
 * the same real moment, on their own calendar days.
 */
export const AIR_HOUR = 20;

/** The IANA zone the show's episodes air in, or null when TMDB gives no (known) country. */
export function airZone(originCountry: readonly string[] | undefined | null): string | null {
  for (const code of originCountry ?? []) {
    const zone = getCountry(code.toUpperCase())?.timezones[0];
    if (zone && DateTime.now().setZone(zone).isValid) return zone;
  }
  return null;
}

export const airZoneOf = (facts: Pick<ShowFacts, "originCountry"> | null | undefined) => airZone(facts?.originCountry);

/** The instant an episode dated `airDate` (`YYYY-MM-DD`) airs by the rule above, or null without a date. */
export function airInstant(airDate: string | null | undefined, zone: string | null): Date | null {
  if (typeof airDate !== "string" || airDate === "") return null;
  const at = zone
    ? DateTime.fromISO(airDate, { zone }).set({ hour: AIR_HOUR, minute: 0, second: 0, millisecond: 0 })
    : DateTime.fromISO(airDate, { zone: "UTC" });
  return at.isValid ? at.toJSDate() : null;
}

/**
 * The latest air date whose episodes have aired at `now` in `zone`: "aired" stays the date comparison
 * `airDate <= airedThrough(now, zone)` everywhere (dates.ts `hasAired`), with the show's own "today".
 */
export function airedThrough(now: Date, zone: string | null): string {
  if (!zone) return now.toISOString().slice(0, 10);
  const local = DateTime.fromJSDate(now, { zone });
  const day = local.toISODate() as string;
  const aired = airInstant(day, zone) as Date;
  return aired.getTime() <= now.getTime() ? day : (local.minus({ days: 1 }).toISODate() as string);
}

/** `airedThrough` for a show by its facts (unknown facts: UTC days). */
export const showToday = (facts: Pick<ShowFacts, "originCountry"> | null | undefined, now: Date) => airedThrough(now, airZoneOf(facts));

/** The user's calendar day of an instant. */
export function dayIn(instant: Date, timeZone: string): string {
  return DateTime.fromJSDate(instant, { zone: timeZone }).toISODate() as string;
}

/** Today in the user's time zone. */
export const todayIn = (now: Date, timeZone: string) => dayIn(now, timeZone);
