import type { AppContext } from "../shared/app";
import { findByExternalId } from "../cache/lookups";
import { resolveExternalIds, resolveTitles } from "../cache/resolveIds";
import type { Media } from "../playback/schemas";
import type { ExternalIds, WebhookItem } from "./events";

export type ResolveDeps = Pick<AppContext, "db" | "tmdb" | "config" | "clock">;

/** An episode as TMDB numbers it. */
export interface FoundEpisode {
  showId: number;
  season: number;
  episode: number;
}

/**
 * TMDB `/find` by an EPISODE's tvdb or imdb id (`tv_episode_results`), through the global lookup
 * cache: one TMDB request per distinct id across all users. Null when TMDB knows no such episode.
 */
export type EpisodeFinder = (deps: ResolveDeps, source: "tvdb_id" | "imdb_id", id: string) => Promise<FoundEpisode | null>;

/** Items that carry no usable id fall back to their series' ids and title. */
export const noEpisodeFinder: EpisodeFinder = async () => null;

/** The global `/find` cache (`cache/lookups.ts`): TMDB is asked once per distinct id, across all users. */
export const cachedEpisodeFinder: EpisodeFinder = async (deps, source, id) => {
  const { match } = await findByExternalId(deps, { source, id, kind: "episode" });
  return match?.kind === "episode" ? { showId: match.showId, season: match.season, episode: match.episode } : null;
};

export type Resolution = { media: Media; via: "ids" | "episode-ids" | "show-ids" | "title" } | { media: null; title: string };

/**
 * What a webhook item is on TMDB, cheapest first: ids that are TMDB's own (a movie's `tmdb://`, a
 * series' Tmdb provider id); the episode's tvdb/imdb ids through `/find` (show, season and episode at
 * once); the series' tvdb/imdb ids; the series title through the title cache, with the server's
 * season and episode numbers. An episode's own `tmdb://` id is never taken for a show id.
 */
export async function resolveItem(
  deps: ResolveDeps,
  item: WebhookItem,
  findEpisode: EpisodeFinder = cachedEpisodeFinder,
): Promise<Resolution> {
  if (item.type === "movie") {
    if (item.ids.tmdb) return { media: { type: "movie", movieId: item.ids.tmdb }, via: "ids" };
    const byImdb = item.ids.imdb ? (await findByExternalId(deps, { source: "imdb_id", id: item.ids.imdb, kind: "movie" })).match : null;
    if (byImdb?.kind === "movie") return { media: { type: "movie", movieId: byImdb.movieId }, via: "ids" };
    return { media: null, title: item.year ? `${item.title ?? "?"} (${item.year})` : (item.title ?? "?") };
  }
  const numbered = (showId: number | null | undefined, via: "ids" | "show-ids" | "title"): Resolution | null =>
    showId && item.season !== null && item.episode !== null
      ? { media: { type: "episode", showId, season: item.season, episode: item.episode }, via }
      : null;
  const direct = numbered(item.showIds.tmdb, "ids");
  if (direct) return direct;
  for (const [source, id] of [
    ["tvdb_id", item.ids.tvdb],
    ["imdb_id", item.ids.imdb],
  ] as const) {
    if (!id) continue;
    const found = await findEpisode(deps, source, id);
    if (found) return { media: { type: "episode", ...found }, via: "episode-ids" };
  }
  if (hasExternal(item.showIds)) {
    const { showIdOf } = await resolveExternalIds(deps, [
      { ...(item.showIds.tvdb ? { tvdb: item.showIds.tvdb } : {}), ...(item.showIds.imdb ? { imdb: item.showIds.imdb } : {}) },
    ]);
    const viaShow = numbered(showIdOf(item.showIds), "show-ids");
    if (viaShow) return viaShow;
  }
  if (item.showTitle) {
    const titles = await resolveTitles(deps, [item.showTitle]);
    const viaTitle = numbered(titles.get(item.showTitle), "title");
    if (viaTitle) return viaTitle;
  }
  return { media: null, title: describeEpisode(item) };
}

const hasExternal = (ids: ExternalIds) => Boolean(ids.tvdb || ids.imdb);

function describeEpisode(item: Extract<WebhookItem, { type: "episode" }>): string {
  const numbers =
    item.season !== null && item.episode !== null
      ? ` S${String(item.season).padStart(2, "0")}E${String(item.episode).padStart(2, "0")}`
      : "";
  return `${item.showTitle ?? "?"}${numbers}`;
}
