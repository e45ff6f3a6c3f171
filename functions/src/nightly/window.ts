import { addDays, utcDate } from "../shared/dates";

/** TMDB's `/tv/changes` accepts a window of at most 14 days per request. */
export const MAX_CHANGES_WINDOW_DAYS = 14;
const DAY_MS = 86_400_000;

/**
 * What one night looks at:
 * - `changes`: TMDB's change feed from the day the last successful run ended to today (inclusive, so
 *   the part of the boundary day after last night's run is not lost);
 * - `ttl`: the gap is longer than one changes request can cover, so we cannot know what changed and
 *   fall back to the cache's own TTLs: seasons past their TTL are refreshed instead.
 */
export type NightWindow = { mode: "changes"; start: string; end: string } | { mode: "ttl"; start: string; end: string };

const dayNumber = (date: string) => Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);

export function planWindow(lastWindowEnd: string | null, now: Date): NightWindow {
  const end = utcDate(now);
  // First night ever: the last day is all we can usefully ask about.
  let start = lastWindowEnd ?? addDays(end, -1);
  if (dayNumber(start) > dayNumber(end)) start = end; // clock went backwards: never ask for a negative range
  return dayNumber(end) - dayNumber(start) > MAX_CHANGES_WINDOW_DAYS ? { mode: "ttl", start, end } : { mode: "changes", start, end };
}
