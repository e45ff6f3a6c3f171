import { metered, type AppContext } from "../shared/app";
import { historyCollection, moviePlay } from "../tracking/plays";
import { recordPlays, unmarkMovie } from "../tracking/repository";
import { logMovieMarked } from "./logs";
import { requireMovie } from "./requireMedia";
import type { MarkMovieWatchedRequest, MarkMovieWatchedResponse } from "./schemas";

/**
 * Marks a movie TMDB knows watched (one `app` play in the user's history, `movieId` instead of an
 * episode) or un-marks it (`watched: false`: its plays are removed). Marking again later is a rewatch, a
 * second play; a retry within 10 minutes is the same viewing and adds nothing (the repository's rule).
 * Answers with the movie's play count afterwards.
 */
export async function markMovieWatched(
  context: Pick<AppContext, "db" | "tmdb" | "clock" | "config">,
  uid: string,
  request: MarkMovieWatchedRequest,
): Promise<MarkMovieWatchedResponse> {
  const started = Date.now();
  const ctx = metered(context);
  const { movieId } = request;
  const watched = request.watched ?? true;
  let added = 0;
  let removed = 0;
  if (watched) {
    await requireMovie(ctx, movieId);
    const watchedAt = request.watchedAt ? new Date(request.watchedAt) : ctx.clock();
    added = (await recordPlays(ctx.db, uid, [moviePlay({ movieId, watchedAt, source: "app" })], { clock: ctx.clock })).added;
  } else {
    removed = (await unmarkMovie(ctx.db, uid, movieId)).removed;
  }
  const plays = (await historyCollection(ctx.db, uid).where("movieId", "==", movieId).count().get()).data().count;
  logMovieMarked({ uid, movieId, watched, added, removed, plays, tmdbCalls: ctx.meter.requests, durationMs: Date.now() - started });
  return { movieId, plays };
}
