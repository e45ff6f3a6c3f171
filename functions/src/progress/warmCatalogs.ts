import type { Firestore } from "firebase-admin/firestore";
import type { SeasonEpisodes, ShowFacts } from "../cache/documents";
import { readFreshSeasons, readFreshShows } from "../cache/operations";
import type { CacheConfig } from "../shared/config";
import { seasonsInScope, type ShowCatalog } from "./counting";

/**
 * A show whose cache documents are all fresh: its catalog, or `notFound` when TMDB does not know it,
 * and `expiresAt` (ms): the first moment one of those documents stops being fresh by the cache's rules.
 */
export type WarmCatalog = ({ catalog: ShowCatalog } | { notFound: true }) & { expiresAt: number };

/** Chunked batched reads live with the cache (re-exported for the callers that used them from here). */

/**
 * The read-only fast path of a library: every show document in one batched read, then every season
 * document those shows list in another, judged fresh by the cache's own rules. Shows with anything
 * missing, stale or locked are left out; the caller loads those through the cache (which may call
 * TMDB). A warm library of N shows costs two rounds of `getAll` and no TMDB call.
 */
export async function readWarmCatalogs(
  db: Firestore,
  config: CacheConfig,
  showIds: number[],
  includeSpecials: boolean,
  now: Date,
): Promise<Map<number, WarmCatalog>> {
  const warm = new Map<number, WarmCatalog>();
  const shows = await readFreshShows(db, config, showIds, now);
  const candidates: Array<{ showId: number; facts: ShowFacts; seasons: number[]; expiresAt: number }> = [];
  for (const showId of showIds) {
    const show = shows.get(showId);
    if (!show) continue;
    if (show.value.notFound) warm.set(showId, { notFound: true, expiresAt: show.freshUntil });
    else candidates.push({ showId, facts: show.value, seasons: seasonsInScope(show.value, includeSpecials), expiresAt: show.freshUntil });
  }

  const fresh = await readFreshSeasons(
    db,
    config,
    candidates.flatMap(({ showId, seasons }) => seasons.map((season) => ({ showId, season }))),
    now,
  );
  let next = 0;
  for (const { showId, facts, seasons, expiresAt } of candidates) {
    const episodes = new Map<number, SeasonEpisodes>();
    let until = expiresAt;
    for (const season of seasons) {
      const found = fresh[next++];
      if (!found) continue;
      episodes.set(season, found.value);
      until = Math.min(until, found.freshUntil);
    }
    if (episodes.size === seasons.length) warm.set(showId, { catalog: { facts, seasons: episodes }, expiresAt: until });
  }
  return warm;
}
