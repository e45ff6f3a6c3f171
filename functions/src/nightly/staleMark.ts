import { MAX_CACHE_AGE_DAYS, ttlDays } from "../cache/freshness";
import type { CacheConfig } from "../shared/config";

const DAY_MS = 86_400_000;
/** A little past the TTL boundary, so the document reads as stale at once whatever the clock skew. */
const MARGIN_MS = 60_000;

/**
 * How the nightly job marks a `complete` cache document stale without adding a field to it (the
 * season document's shape is fixed): it back-dates `lastUpdated` to just past the longest TTL.
 * - Every reader then sees it as stale and refreshes it through the normal lock protocol.
 * - It stays younger than TMDB's six-month cap, so its episodes are still served while the refresh
 *   runs (stale-while-revalidate), and a failed refresh leaves servable data behind.
 * - Back-dating only ever makes data look older than it is, so the six-month rule still holds.
 *
 * Returns the new `lastUpdated`, or null when the document needs no write: it was refreshed after the
 * run started (it already reflects the changes), or it already looks at least that old.
 */
export function staleMarkFor(
  lastUpdated: Date,
  context: { now: Date; runStartedAt: Date; config: Pick<CacheConfig, "ttlDays" | "ongoingTtlDays"> },
): Date | null {
  if (lastUpdated.getTime() >= context.runStartedAt.getTime()) return null;
  const staleAgeDays = Math.max(ttlDays(false, context.config), ttlDays(true, context.config));
  // With a TTL at the six-month cap there is no "stale but servable" age left: the data simply expires.
  const ageMs = staleAgeDays < MAX_CACHE_AGE_DAYS ? staleAgeDays * DAY_MS + MARGIN_MS : MAX_CACHE_AGE_DAYS * DAY_MS;
  const target = new Date(context.now.getTime() - ageMs);
  return lastUpdated.getTime() <= target.getTime() ? null : target;
}
