import { metered, type AppContext } from "../shared/app";
import { logHistorySynced } from "../shared/logs";
import { enrichTouchedShows } from "./enrichTouched";
import { resolveExternalIds } from "../cache/resolveIds";
import { getAllChunked } from "../shared/firestore";
import { episodePlay, historyCollection, moviePlay, nativePlayOfSyntheticId, type EpisodePlay, type MoviePlay } from "../tracking/plays";
import { recordPlays } from "../tracking/repository";
import { classifyTraktItem, type ClassifiedItem } from "./traktItems";
import type { SyncHistoryResponse } from "./schemas";

type EpisodeItem = Extract<ClassifiedItem, { kind: "episode" }>;
type MovieItem = Extract<ClassifiedItem, { kind: "movie" }>;

/**
 * Applies up to 1,000 Trakt `/sync/history` items: each item is validated on its own (items whose show
 * or movie cannot be identified and malformed items are counted, never fatal), movie items become movie
 * plays, shows without a TMDB
 * id are resolved through the cached `/find`, plays are recorded idempotently as `trakt_<id>`, and the
 * touched shows are enriched. `shows` counts the distinct shows of the items recorded (added or duplicate).
 */
export async function syncHistory(context: AppContext, uid: string, items: unknown[]): Promise<SyncHistoryResponse> {
  const started = Date.now();
  const ctx = metered(context);
  const skipped = { movies: 0, noTmdbId: 0, invalid: 0 };
  const episodes: EpisodeItem[] = [];
  // Movie items are movie plays (docs/API.md: library callables); `skipped.movies` stays in the response, always 0.
  const moviePlays: MoviePlay[] = [];
  for (const item of items) {
    const classified = classifyTraktItem(item);
    if (classified.kind === "movie") moviePlays.push(moviePlayOf(classified));
    else if (classified.kind === "invalid") skipped.invalid++;
    else if (classified.kind === "noShowId") skipped.noTmdbId++;
    else episodes.push(classified);
  }

  const external = episodes.flatMap((item) => ("tmdb" in item.show ? [] : [item.show]));
  const { showIdOf, failed: lookupsFailed } = await resolveExternalIds(ctx, external);
  const plays: EpisodePlay[] = [];
  for (const item of episodes) {
    const showId = "tmdb" in item.show ? item.show.tmdb : showIdOf(item.show);
    if (showId === null) skipped.noTmdbId++;
    else plays.push(playOf(item, showId));
  }

  // A Trakt history id is one play, whatever it is a play of: an id already stored (even for another
  // show or a movie) is a duplicate, checked by id before the repository groups plays by show and movie.
  const all = [...plays, ...moviePlays];
  const stored = await getAllChunked(
    ctx.db,
    all.map((play) => historyCollection(ctx.db, uid).doc(play.historyId)),
  );
  // Looked up by key just now: the repository takes the others as new without a second look-up.
  const recorded = await recordPlays(
    ctx.db,
    uid,
    all.filter((_, i) => !stored[i].exists),
    { clock: ctx.clock, existingIds: new Set() },
  );
  const added = recorded.added;
  const duplicates = recorded.duplicates + stored.filter((snap) => snap.exists).length;
  const shows = new Set(plays.map((p) => p.showId));
  await enrichTouchedShows(ctx, uid, shows);
  const response = { added, duplicates, skipped, shows: shows.size };
  logHistorySynced({
    uid,
    items: items.length,
    ...response,
    lookupsFailed,
    tmdbCalls: ctx.meter.requests,
    durationMs: Date.now() - started,
  });
  return response;
}

/**
 * A Trakt item becomes `trakt_<id>`, unless its id is one `exportHistory` synthesised for a play of this
 * backend: then it goes back to that play's own id and source, so a round trip recreates the same
 * documents (and a replay into the same account is a duplicate, not a second play).
 */
function playOf(item: EpisodeItem, showId: number): EpisodePlay {
  const base = { showId, season: item.season, episode: item.episode, watchedAt: item.watchedAt, action: item.action };
  const native = nativePlayOfSyntheticId(item.traktId, base);
  if (native) return episodePlay({ ...base, ...native });
  return episodePlay({ ...base, source: "trakt", sourceId: item.traktId });
}

/**
 * A movie item becomes `trakt_<id>`. (An exported synthetic id of a play this backend made comes back as
 * a Trakt play; replayed into the same account it is the same viewing as the original, so a duplicate.)
 */
function moviePlayOf(item: MovieItem): MoviePlay {
  return moviePlay({ movieId: item.movieId, watchedAt: item.watchedAt, action: item.action, source: "trakt", sourceId: item.traktId });
}
