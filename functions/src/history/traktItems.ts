import { describeValidationError } from "../shared/validation";
import { traktEpisodeItemSchema, traktMovieItemSchema } from "./schemas";

/** How the show of an item is identified: a TMDB id, or external ids still to resolve through `/find`. */
export type ShowRef = { tmdb: number } | { tvdb?: string; imdb?: string };

export type ClassifiedItem =
  | { kind: "movie"; traktId: string; watchedAt: Date; action: string; movieId: number }
  | { kind: "invalid"; reason: string }
  | { kind: "noShowId" }
  | { kind: "episode"; traktId: string; watchedAt: Date; action: string; season: number; episode: number; show: ShowRef };

/** Sorts one `syncHistory` item into what happens to it. Pure: never throws, whatever the input. */
export function classifyTraktItem(item: unknown): ClassifiedItem {
  if (typeof item === "object" && item !== null && (item as { type?: unknown }).type === "movie") return classifyMovieItem(item);
  const parsed = traktEpisodeItemSchema.safeParse(item);
  if (!parsed.success) return { kind: "invalid", reason: describeValidationError(parsed.error) };
  const { id, watched_at, action, episode, show } = parsed.data;
  const common = { traktId: id, watchedAt: new Date(watched_at), action, season: episode.season, episode: episode.number };
  const ids = show.ids;
  if (ids.tmdb) return { kind: "episode", ...common, show: { tmdb: ids.tmdb } };
  if (!ids.tvdb && !ids.imdb) return { kind: "noShowId" };
  return { kind: "episode", ...common, show: { ...(ids.tvdb ? { tvdb: ids.tvdb } : {}), ...(ids.imdb ? { imdb: ids.imdb } : {}) } };
}

/** A movie item: a play of its TMDB movie; without a TMDB id it cannot be recorded (`noShowId`, counted as `noTmdbId`). */
function classifyMovieItem(item: object): ClassifiedItem {
  const parsed = traktMovieItemSchema.safeParse(item);
  if (!parsed.success) return { kind: "invalid", reason: describeValidationError(parsed.error) };
  const { id, watched_at, action, movie } = parsed.data;
  const movieId = movie?.ids?.tmdb;
  if (!movieId) return { kind: "noShowId" };
  return { kind: "movie", traktId: id, watchedAt: new Date(watched_at), action, movieId };
}
