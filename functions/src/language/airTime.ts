import { getCountry } from "countries-and-timezones";
import { DateTime } from "luxon";
import type { ShowFacts } from "../cache/documents";

/**
 * The clock (CONTRACT §11, README "Languages and time zones"). TMDB gives an air date without a time. The rule:
 *
 *   an episode airs at 20:00 (prime time) on its air date, in the time zone of the show's first
 *   `origin_country` — the zone of that country's most populous city (`city-timezones`: US → New York,
 *   America/New_York; CA → Toronto; AU → Sydney; BR → São Paulo; RU → Moscow; GB → London), or, for a
 *   country that dataset has no city of, its first zone in `countries-and-timezones`.
 *   A show with no known country airs at 00:00 UTC on its air date (TMDB's dates are then read as UTC days,
 *   as this backend always did).
 *
 * That moment is one instant for everybody: "aired" is "that instant has passed", and a calendar day is
 * that instant's date in the user's time zone. So a user east and a user west of the show's country see
 * the same real moment, on their own calendar days.
 */
export const AIR_HOUR = 20;

let populousZones: Map<string, string> | undefined;

/** Country → the zone of its most populous city. The 2 MB city table is loaded on first use only. */
function zoneOfMostPopulousCity(country: string): string | undefined {
  if (!populousZones) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred: most invocations never need it
    const { cityMapping } = require("city-timezones") as typeof import("city-timezones");
    const best = new Map<string, { pop: number; zone: string }>();
    for (const city of cityMapping) {
      const known = best.get(city.iso2);
      if (city.timezone && (!known || city.pop > known.pop)) best.set(city.iso2, { pop: city.pop, zone: city.timezone });
    }
    populousZones = new Map([...best].map(([code, { zone }]) => [code, zone]));
  }
  return populousZones.get(country);
}

const isZone = (zone: string | undefined): zone is string => zone !== undefined && DateTime.now().setZone(zone).isValid;

/** The IANA zone the show's episodes air in, or null when TMDB gives no (known) country. */
export function airZone(originCountry: readonly string[] | undefined | null): string | null {
  for (const raw of originCountry ?? []) {
    const code = raw.toUpperCase();
    const populous = zoneOfMostPopulousCity(code);
    if (isZone(populous)) return populous;
    const first = getCountry(code)?.timezones[0];
    if (isZone(first)) return first;
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
