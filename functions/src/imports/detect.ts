import type { ExportFormat } from "./records";

/**
 * Which export file this is: by file name first (the names TV Time and Trakt give their files), then
 * by the header or the first JSON item, since users rename files and spreadsheets re-save them.
 * Returns null for a file that is none of the formats (in a ZIP it is skipped; alone it fails).
 */
export function formatByName(path: string): ExportFormat | null {
  const name = baseName(path).toLowerCase();
  if (name === "seen_episode.csv") return "tvtime.seen_episode";
  if (name === "rewatched_episode.csv") return "tvtime.rewatched_episode";
  if (name === "user_tv_show_data.csv") return "tvtime.user_tv_show_data";
  if (name === "followed_tv_show.csv") return "tvtime.followed_tv_show";
  if (name === "tracking-prod-records-v2.csv") return "tvtime.tracking_v2";
  if (name === "tracking-prod-records.csv") return "tvtime.tracking_movies";
  if (name === "watched-history.json" || /^history(-\d+)?\.json$/.test(name)) return "trakt.watched_history";
  if (name === "watched-shows.json") return "trakt.watched_shows";
  if (/^ratings(-[\w-]+)?\.json$/.test(name)) return "trakt.ratings";
  if (/^watchlist(-[\w-]+)?\.json$/.test(name)) return "trakt.watchlist";
  return null;
}

/** A CSV's format from its (lower-cased) header. */
export function formatByCsvHeader(header: string[]): ExportFormat | null {
  const has = (...names: string[]) => names.every((name) => header.includes(name));
  if (has("key") && (has("s_id") || has("ep_id"))) return "tvtime.tracking_v2";
  if (has("series_tvdb_id", "is_watched") || (has("season", "episode", "is_watched") && (has("tvdb_id") || has("series_imdb_id"))))
    return "tvtime.app_episodes";
  if (has("title", "season", "episode", "watched_at")) return "csv.history";
  if (has("episode_id", "cpt")) return "tvtime.rewatched_episode";
  if (has("episode_id", "created_at") && !has("type")) return "tvtime.seen_episode";
  if (has("tv_show_id", "is_followed") || has("tv_show_id", "nb_episodes_seen")) return "tvtime.user_tv_show_data";
  if (has("tv_show_id") && (has("archived") || has("active"))) return "tvtime.followed_tv_show";
  if (has("type", "entity_type") || has("movie_name", "type")) return "tvtime.tracking_movies";
  const movieLike = (has("tmdb_id") || has("imdb_id") || has("title")) && !has("season");
  if (movieLike && has("is_watched")) return "tvtime.app_movies";
  if (
    (has("tvdb_id") || has("series_tvdb_id")) &&
    !has("season") &&
    (has("status") || has("is_favorite") || has("is_archived") || has("is_for_later"))
  )
    return "tvtime.app_shows";
  return null;
}

/** A Trakt JSON file's format from its first item. */
export function formatByJsonItem(item: unknown): ExportFormat | null {
  if (typeof item !== "object" || item === null) return null;
  const keys = new Set(Object.keys(item));
  if (keys.has("watched_at") && keys.has("type")) return "trakt.watched_history";
  if (keys.has("seasons") || (keys.has("show") && keys.has("plays") && keys.has("last_watched_at"))) return "trakt.watched_shows";
  if (keys.has("rating") && keys.has("type")) return "trakt.ratings";
  if (keys.has("listed_at") && keys.has("type")) return "trakt.watchlist";
  return null;
}

export const baseName = (path: string) => path.split(/[\\/]/).pop() ?? path;
