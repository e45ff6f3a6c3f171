import type { RateTarget, LibraryMedia } from "../library/schemas";
import { episodePlay, moviePlay, type Play } from "../tracking/plays";
import type { ImportRecord, ParsedFile, RatingTarget, ShowIds, MovieIds } from "./records";
import type { ResolvedIds } from "./resolve";
import { MAX_UNMATCHED_LISTED, type ImportUnmatched } from "./schemas";

/**
 * One thing the import does, in a deterministic order (plays, then show states, ratings, watchlist
 * entries, each in file order), so a cursor into the list means the same on every run of the file.
 */
export type ImportOp =
  | { kind: "play"; play: Play }
  | { kind: "status"; showId: number; status: "watching" | "paused" | "dropped" | "planned" }
  | { kind: "resetAt"; showId: number; resetAt: Date }
  | { kind: "rating"; target: RateTarget; rating: number; ratedAt: Date | null }
  | { kind: "watchlist"; media: LibraryMedia; addedAt: Date | null };

export interface ImportPlan {
  ops: ImportOp[];
  /** Distinct items the file touched: shows (plays or states), movies (plays), rating keys, watchlist keys. */
  distinct: { shows: number; movies: number; ratings: number; watchlist: number };
  unmatchedRows: number;
  unmatched: ImportUnmatched[];
  invalidRows: number;
  formats: string[];
}

const ORDER: Record<ImportOp["kind"], number> = { play: 0, status: 1, resetAt: 2, rating: 3, watchlist: 4 };

/**
 * Turns parsed files and resolved ids into operations. Rows whose ids TMDB does not know are
 * unmatched (counted; the first MAX_UNMATCHED_LISTED distinct ones listed), never fatal. When an
 * export has both Trakt `watched-history.json` (every play, with its id) and `watched-shows.json`
 * (per-episode counts of the same plays), the counts are not played again: only `reset_at` is kept.
 */
export function planImport(files: ParsedFile[], ids: ResolvedIds): ImportPlan {
  const hasTraktHistory = files.some((file) => file.format === "trakt.watched_history");
  const ops: ImportOp[] = [];
  const unmatched = new Map<string, ImportUnmatched>();
  let unmatchedRows = 0;
  let invalidRows = 0;
  const miss = (title: string, reason: string) => {
    unmatchedRows++;
    const key = `${title}\u0000${reason}`;
    if (!unmatched.has(key) && unmatched.size < MAX_UNMATCHED_LISTED) unmatched.set(key, { title, reason });
  };

  for (const file of files) {
    invalidRows += file.invalid.length;
    for (const record of file.records) {
      try {
        planRecord(record, ids, hasTraktHistory, ops, miss);
      } catch {
        // A play Firestore cannot store (a date out of range) is an invalid row, not a failed import.
        invalidRows++;
      }
    }
  }
  ops.sort((a, b) => ORDER[a.kind] - ORDER[b.kind]);

  const shows = new Set<number>();
  const movies = new Set<number>();
  const ratings = new Set<string>();
  const watchlist = new Set<string>();
  for (const op of ops) {
    if (op.kind === "play") {
      if ("movieId" in op.play) movies.add(op.play.movieId);
      else shows.add(op.play.showId);
    } else if (op.kind === "status" || op.kind === "resetAt") shows.add(op.showId);
    else if (op.kind === "rating") ratings.add(JSON.stringify(op.target));
    else watchlist.add(JSON.stringify(op.media));
  }
  return {
    ops,
    distinct: { shows: shows.size, movies: movies.size, ratings: ratings.size, watchlist: watchlist.size },
    unmatchedRows,
    unmatched: [...unmatched.values()],
    invalidRows,
    formats: [...new Set(files.map((file) => file.format))],
  };
}

function planRecord(
  record: ImportRecord,
  ids: ResolvedIds,
  hasTraktHistory: boolean,
  ops: ImportOp[],
  miss: (title: string, reason: string) => void,
): void {
  switch (record.kind) {
    case "episodePlay": {
      const episode = ids.episode(record.target);
      if (!episode) return miss(describeEpisode(record.target), noMatchReason(ids));
      const { showId, season, episode: number } = episode;
      ops.push({
        kind: "play",
        play: episodePlay({
          showId,
          season,
          episode: number,
          watchedAt: record.watchedAt,
          source: record.source,
          sourceId: record.sourceId,
          action: record.action,
        }),
      });
      return;
    }
    case "episodePlayCount": {
      if (hasTraktHistory) return;
      const showId = ids.show(record.show);
      if (showId === null) return miss(describeShow(record.show), noMatchReason(ids));
      for (let k = 1; k <= record.plays; k++) {
        const sourceId = `watched_${showId}_${record.season}_${record.episode}_${k}`;
        ops.push({
          kind: "play",
          play: episodePlay({
            showId,
            season: record.season,
            episode: record.episode,
            watchedAt: record.lastWatchedAt,
            source: "trakt",
            sourceId,
          }),
        });
      }
      return;
    }
    case "moviePlay": {
      const movieId = ids.movie(record.movie);
      if (movieId === null) return miss(describeMovie(record.movie), "no TMDB movie for its ids or title");
      ops.push({
        kind: "play",
        play: moviePlay({ movieId, watchedAt: record.watchedAt, source: record.source, sourceId: record.sourceId, action: record.action }),
      });
      return;
    }
    case "showState": {
      const showId = ids.show(record.show);
      if (showId === null) return miss(describeShow(record.show), noMatchReason(ids));
      if (record.status) ops.push({ kind: "status", showId, status: record.status });
      if (record.resetAt) ops.push({ kind: "resetAt", showId, resetAt: record.resetAt });
      return;
    }
    case "rating": {
      const target = rateTargetOf(record.target, ids);
      if (!target) return miss(describeRating(record.target), noMatchReason(ids));
      ops.push({ kind: "rating", target, rating: record.rating, ratedAt: record.ratedAt });
      return;
    }
    case "watchlist": {
      if (record.media.type === "movie") {
        const movieId = ids.movie(record.media.movie);
        if (movieId === null) return miss(describeMovie(record.media.movie), "no TMDB movie for its ids or title");
        ops.push({ kind: "watchlist", media: { type: "movie", movieId }, addedAt: record.addedAt });
      } else {
        const showId = ids.show(record.media.show);
        if (showId === null) return miss(describeShow(record.media.show), noMatchReason(ids));
        ops.push({ kind: "watchlist", media: { type: "show", showId }, addedAt: record.addedAt });
      }
      return;
    }
  }
}

function rateTargetOf(target: RatingTarget, ids: ResolvedIds): RateTarget | null {
  if (target.type === "movie") {
    const movieId = ids.movie(target.movie);
    return movieId === null ? null : { type: "movie", movieId };
  }
  const showId = ids.show(target.show);
  if (showId === null) return null;
  if (target.type === "show") return { type: "show", showId };
  if (target.type === "season") return { type: "season", showId, season: target.season };
  return { type: "episode", showId, season: target.season, episode: target.episode };
}

const noMatchReason = (ids: ResolvedIds) => (ids.failed > 0 ? "not found on TMDB (or TMDB could not be asked)" : "not found on TMDB");

function describeShow(show: ShowIds): string {
  return show.title ?? (show.tvdb ? `tvdb:${show.tvdb}` : show.imdb ? `imdb:${show.imdb}` : "unknown show");
}

function describeEpisode(target: { tvdbEpisodeId?: string; show?: ShowIds; season?: number; episode?: number }): string {
  const numbers =
    target.season !== undefined && target.episode !== undefined
      ? ` S${String(target.season).padStart(2, "0")}E${String(target.episode).padStart(2, "0")}`
      : "";
  if (target.show) return `${describeShow(target.show)}${numbers}`;
  return `tvdb episode ${target.tvdbEpisodeId ?? "?"}`;
}

function describeMovie(movie: MovieIds): string {
  return movie.title ? `${movie.title}${movie.year ? ` (${movie.year})` : ""}` : movie.imdb ? `imdb:${movie.imdb}` : "unknown movie";
}

function describeRating(target: RatingTarget): string {
  return target.type === "movie" ? describeMovie(target.movie) : describeShow(target.show);
}
