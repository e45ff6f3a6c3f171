import { describeValidationError } from "../validation";
import { traktEpisodeItemSchema } from "./schemas";

/** How the show of an item is identified: a TMDB id, or external ids still to resolve through `/find`. */
export type ShowRef = { tmdb: number } | { tvdb?: string; imdb?: string };

export type ClassifiedItem =
  | { kind: "movie" }
  | { kind: "invalid"; reason: string }
  | { kind: "noShowId" }
  | { kind: "episode"; traktId: string; watchedAt: Date; action: string; season: number; episode: number; show: ShowRef };

/** Sorts one `syncHistory` item into what happens to it. Pure: never throws, whatever the input. */
export function classifyTraktItem(item: unknown): ClassifiedItem {
  if (typeof item === "object" && item !== null && (item as { type?: unknown }).type === "movie") return { kind: "movie" };
  const parsed = traktEpisodeItemSchema.safeParse(item);
  if (!parsed.success) return { kind: "invalid", reason: describeValidationError(parsed.error) };
  const { id, watched_at, action, episode, show } = parsed.data;
  const common = { traktId: id, watchedAt: new Date(watched_at), action, season: episode.season, episode: episode.number };
  const ids = show.ids;
  if (ids.tmdb) return { kind: "episode", ...common, show: { tmdb: ids.tmdb } };
  if (!ids.tvdb && !ids.imdb) return { kind: "noShowId" };
  return { kind: "episode", ...common, show: { ...(ids.tvdb ? { tvdb: ids.tvdb } : {}), ...(ids.imdb ? { imdb: ids.imdb } : {}) } };
}
