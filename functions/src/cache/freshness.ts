import type { CacheConfig } from "../shared/config";

/** TMDB's terms: nothing may be served from a cache older than six months. */
export const MAX_CACHE_AGE_DAYS = 182;
const DAY_MS = 86_400_000;
/** A season whose latest episode aired this recently may still change (late additions, renames). */
const RECENT_AIR_WINDOW_DAYS = 30;

export interface EpisodeAirInfo {
  episodeAirDate: string | null;
}

/** "Ongoing": an episode without an air date, or the latest air date in the future or within 30 days. */
export function isSeasonOngoing(episodes: Iterable<EpisodeAirInfo>, now: Date): boolean {
  let latest: number | undefined;
  let any = false;
  for (const episode of episodes) {
    any = true;
    if (!episode.episodeAirDate) return true;
    const airedAt = Date.parse(`${episode.episodeAirDate}T00:00:00Z`);
    if (Number.isNaN(airedAt)) return true;
    latest = latest === undefined ? airedAt : Math.max(latest, airedAt);
  }
  // An empty season is a TMDB 404 (or a season announced with no episodes yet): re-check it soon.
  if (!any || latest === undefined) return true;
  return latest > now.getTime() - RECENT_AIR_WINDOW_DAYS * DAY_MS;
}

export function ttlDays(ongoing: boolean, config: Pick<CacheConfig, "ttlDays" | "ongoingTtlDays">): number {
  return Math.min(ongoing ? config.ongoingTtlDays : config.ttlDays, MAX_CACHE_AGE_DAYS);
}

export function isWithinTtl(lastUpdated: Date, days: number, now: Date): boolean {
  return now.getTime() - lastUpdated.getTime() < days * DAY_MS;
}

/** May stale data still be served while it is being refreshed? Never past TMDB's six months. */
export function isServable(lastUpdated: Date, now: Date): boolean {
  return isWithinTtl(lastUpdated, MAX_CACHE_AGE_DAYS, now);
}

export function isLockAbandoned(lockedAt: Date, leaseSeconds: number, now: Date): boolean {
  return now.getTime() - lockedAt.getTime() >= leaseSeconds * 1000;
}
