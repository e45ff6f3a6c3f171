import pLimit from "p-limit";
import { FieldPath, type DocumentSnapshot, type Firestore } from "firebase-admin/firestore";
import type { SeasonEpisodes } from "../functions/src/cache/documents";
import { enrichmentUpdates, planEnrichment } from "../functions/src/enrichment/plan";
import { failedPrecondition } from "../functions/src/shared/errors";
import type { TmdbClient } from "../functions/src/tmdb/client";
import { parseEpisodeKey } from "../functions/src/tracking/episodeKeys";
import { trackingCollection, type TrackingDoc } from "../functions/src/tracking/trackingDoc";
import { fitsDocumentLimit } from "../functions/src/shared/firestore";

export interface NaiveResult {
  shows: number;
  enriched: number;
  /** Episode requests sent (stops early once `maxEpisodeRequests` is reached). */
  episodeRequests: number;
  refused: number;
}

const SHOW_CONCURRENCY = 4;

/**
 * The approach the season cache replaces: one `/tv/{id}/season/{n}/episode/{e}` request per
 * missing episode, no shared cache. It writes exactly what `enrichShow` writes (same plan, same
 * fields, same 1 MiB check, one update per show document), so the comparison isolates the TMDB
 * strategy. Shows run with the same concurrency as `enrichLibrary`.
 */
export async function naiveEnrichLibrary(
  deps: { db: Firestore; tmdb: TmdbClient },
  uid: string,
  options: { maxEpisodeRequests?: number } = {},
): Promise<NaiveResult> {
  const snapshot = await trackingCollection(deps.db, uid).get();
  const limit = pLimit(SHOW_CONCURRENCY);
  const result: NaiveResult = { shows: snapshot.size, enriched: 0, episodeRequests: 0, refused: 0 };
  await Promise.all(
    snapshot.docs.map((doc) =>
      limit(async () => {
        try {
          // Awaited first: `x += await y` would read x before the await and lose concurrent additions.
          const enriched = await naiveEnrichShow(deps, doc, result, options.maxEpisodeRequests ?? Infinity);
          result.enriched += enriched;
        } catch (error) {
          if ((error as { code?: unknown }).code !== "failed-precondition") throw error;
          result.refused++;
        }
      }),
    ),
  );
  return result;
}

async function naiveEnrichShow(
  deps: { tmdb: TmdbClient },
  doc: DocumentSnapshot,
  counter: NaiveResult,
  maxRequests: number,
): Promise<number> {
  const showId = Number(doc.id);
  const data = (doc.data() ?? {}) as TrackingDoc;
  const episodes = data.episodes ?? {};
  const plan = planEnrichment(episodes);
  const seasons = new Map<number, SeasonEpisodes>();
  // The TMDB client's own limiter (8 at a time, under TMDB's rate) spaces these requests.
  const wanted = [...plan.keysBySeason.values()].flat();
  await Promise.all(
    wanted.map(async (key) => {
      const ref = parseEpisodeKey(key);
      if (!ref || counter.episodeRequests >= maxRequests) return;
      counter.episodeRequests++;
      const episode = await deps.tmdb.getEpisode(showId, ref.season, ref.episode);
      const season = seasons.get(ref.season) ?? {};
      if (episode) season[String(ref.episode)] = { episodeId: episode.id, episodeName: episode.name, episodeAirDate: episode.air_date };
      seasons.set(ref.season, season);
    }),
  );
  if (counter.episodeRequests >= maxRequests) return 0;

  const updates = [...plan.keysBySeason].flatMap(([season, keys]) => enrichmentUpdates(episodes, keys, seasons.get(season) ?? {}).updates);
  if (updates.length === 0) return 0;
  const enriched: Record<string, unknown> = { ...episodes };
  for (const update of updates) enriched[update.key] = { ...episodes[update.key], ...update.fields };
  if (!fitsDocumentLimit(doc.ref.path, { ...data, episodes: enriched })) {
    throw failedPrecondition(`episode_tracking/${showId} would exceed Firestore's 1 MiB document limit`);
  }
  const args: unknown[] = updates.flatMap((update) =>
    Object.entries(update.fields).flatMap(([field, value]) => [new FieldPath("episodes", update.key, field), value]),
  );
  const [first, firstValue, ...rest] = args as [FieldPath, unknown, ...unknown[]];
  await doc.ref.update(first, firstValue, ...rest);
  return updates.length;
}
