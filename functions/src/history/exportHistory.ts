import { FieldPath, Timestamp } from "firebase-admin/firestore";
import pLimit from "p-limit";
import { z } from "zod";
import type { AppContext } from "../shared/app";
import { readCachedEpisodes } from "../cache/operations";
import { invalidArgument } from "../shared/errors";
import { loadMovie } from "../cache/movieCache";
import { historyCollection, syntheticTraktId, type EpisodeHistoryDoc, type HistoryDoc, type MovieHistoryDoc } from "../tracking/plays";
import { DEFAULT_EXPORT_LIMIT, type ExportedHistoryItem, type ExportHistoryRequest, type ExportHistoryResponse } from "./schemas";

/** The position after the last item of a page: its exact `watchedAt` and its document id. */
const cursorSchema = z.object({ s: z.number().int(), n: z.number().int().min(0).max(999_999_999), id: z.string().min(1).max(1500) });
type Cursor = z.infer<typeof cursorSchema>;

const encodeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString("base64url");

function decodeCursor(token: string): Cursor {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(token, "base64url").toString("utf8")));
  } catch {
    throw invalidArgument("pageToken: not a token from a previous exportHistory page");
  }
}

const SHOW_CONCURRENCY = 4;

/**
 * Pages a user's plays out in Trakt's item shape, newest first (`watchedAt`, then document id, both
 * descending: served by the automatic single-field index). Show titles come from the global show
 * cache (one TMDB call per show not cached yet, shared by every user; "" if TMDB cannot answer),
 * episode ids from season cache documents already there (no TMDB call for those). Movie plays come out
 * in Trakt's movie item shape, titled from the movie details cache (docs/API.md: library callables).
 */
export async function exportHistory(
  ctx: Pick<AppContext, "db" | "cache" | "tmdb" | "clock" | "config">,
  uid: string,
  request: ExportHistoryRequest,
): Promise<ExportHistoryResponse> {
  const { db } = ctx;
  const limit = request.limit ?? DEFAULT_EXPORT_LIMIT;
  let query = historyCollection(db, uid).orderBy("watchedAt", "desc").orderBy(FieldPath.documentId(), "desc");
  if (request.pageToken) {
    const cursor = decodeCursor(request.pageToken);
    query = query.startAfter(new Timestamp(cursor.s, cursor.n), cursor.id);
  }
  // One extra document tells whether there is a next page, so the last page says null.
  const snapshot = await query.limit(limit + 1).get();
  const docs = snapshot.docs.slice(0, limit);
  const all = docs.map((doc) => ({ id: doc.id, ...(doc.data() as HistoryDoc) }));
  // Movie plays (docs/API.md: library callables) carry `movieId` instead of show, season and episode.
  const plays = all.filter((p): p is { id: string } & EpisodeHistoryDoc => !("movieId" in p));
  const moviePlays = all.filter((p): p is { id: string } & MovieHistoryDoc => "movieId" in p);
  const movieIds = [...new Set(moviePlays.map((p) => p.movieId))];

  const showIds = [...new Set(plays.map((p) => p.showId))];
  const seasonKeys = [...new Set(plays.map((p) => `${p.showId}_${p.season}`))];
  const seasonOf = (key: string) => ({ showId: Number(key.split("_")[0]), season: Number(key.split("_")[1]) });
  const showLimit = pLimit(SHOW_CONCURRENCY);
  const [titleList, seasonEpisodes, movieList] = await Promise.all([
    Promise.all(showIds.map((id) => showLimit(() => showTitle(ctx, id)))),
    readCachedEpisodes(db, seasonKeys.map(seasonOf)),
    Promise.all(movieIds.map((id) => showLimit(() => movieTitle(ctx, id)))),
  ]);
  const movies = new Map(movieIds.map((id, i) => [id, movieList[i]]));
  const titles = new Map(showIds.map((id, i) => [id, titleList[i]]));
  const seasons = new Map(seasonKeys.map((key, i) => [key, seasonEpisodes[i]]));

  const items = all.map((play): ExportedHistoryItem => {
    if ("movieId" in play) {
      const movie = movies.get(play.movieId) ?? { title: "", year: null };
      return {
        id: play.source === "trakt" && play.sourceId ? play.sourceId : syntheticTraktId(play.id),
        watched_at: play.watchedAt.toDate().toISOString(),
        action: play.action,
        type: "movie",
        movie: { title: movie.title, year: movie.year, ids: { tmdb: play.movieId } },
      };
    }
    const episodeId = seasons.get(`${play.showId}_${play.season}`)?.[String(play.episode)]?.episodeId;
    return {
      id: play.source === "trakt" && play.sourceId ? play.sourceId : syntheticTraktId(play.id),
      watched_at: play.watchedAt.toDate().toISOString(),
      action: play.action,
      type: "episode",
      episode: { season: play.season, number: play.episode, ids: episodeId !== undefined ? { tmdb: episodeId } : {} },
      show: { title: titles.get(play.showId) ?? "", ids: { tmdb: play.showId } },
    };
  });
  const last = docs[docs.length - 1];
  const nextPageToken =
    snapshot.docs.length > limit && last
      ? encodeCursor({ s: (last.get("watchedAt") as Timestamp).seconds, n: (last.get("watchedAt") as Timestamp).nanoseconds, id: last.id })
      : null;
  return { items, nextPageToken };
}

/** The show's TMDB name through the global cache; "" when TMDB does not know it or cannot answer now. */
async function showTitle(ctx: Pick<AppContext, "cache">, showId: number): Promise<string> {
  const show = await ctx.cache.getShow(showId);
  return "facts" in show ? (show.facts.name ?? "") : "";
}

/** The movie's title and release year through the movie details cache; "" and null when TMDB cannot tell. */
async function movieTitle(
  ctx: Pick<AppContext, "db" | "tmdb" | "clock" | "config">,
  movieId: number,
): Promise<{ title: string; year: number | null }> {
  const result = await loadMovie(ctx, movieId);
  if (!("movie" in result) || result.movie.notFound) return { title: "", year: null };
  const year = result.movie.releaseDate ? Number(result.movie.releaseDate.slice(0, 4)) : NaN;
  return { title: result.movie.title ?? "", year: Number.isInteger(year) ? year : null };
}
