import type { AppContext } from "../shared/app";
import { seasonDocId } from "../cache/documents";
import { readCachedMediaDetails } from "../cache/mediaDetails";
import { loadMovie } from "../cache/movieCache";
import { answeredOrThrow, movieLabel, seasonLabel, showLabel } from "../cache/results";
import { notFound } from "../shared/errors";
import type { RequestMeter } from "../tmdb/client";
import { localizedNames, type NameRequest } from "../language/localize";
import { DEFAULT_LANGUAGE } from "../language/tags";
import type { Share, Shared } from "./schemas";

type ShareDeps = Pick<AppContext, "db" | "tmdb" | "cache" | "clock" | "config"> & { meter?: RequestMeter };

/**
 * The details a message stores about what it shares, from the global TMDB cache (one TMDB request for
 * an episode's show and season together when cold, none when warm). `not-found` when TMDB has no such
 * item: the caller writes nothing then.
 */
export async function resolveShare(deps: ShareDeps, share: Share): Promise<Shared> {
  switch (share.type) {
    case "show": {
      const show = answeredOrThrow(await deps.cache.getShow(share.showId), showLabel(share.showId));
      if (show.facts.notFound) throw notFound(`share.showId: show ${share.showId} does not exist on TMDB`);
      return { media: share, title: show.facts.name };
    }
    case "episode": {
      const { showId, season, episode } = share;
      const loaded = await deps.cache.load(showId, [season], { includeShow: true });
      const show = answeredOrThrow(loaded.show, showLabel(showId));
      if (show.facts.notFound) throw notFound(`share.showId: show ${showId} does not exist on TMDB`);
      const seasonResult = answeredOrThrow(loaded.seasons.get(season), seasonLabel(showId, season));
      const cached = seasonResult.episodes[String(episode)];
      if (!cached) throw notFound(`share.episode: episode ${episode} of season ${season} of show ${showId} does not exist on TMDB`);
      return { media: share, title: show.facts.name, season, episode, episodeName: cached.episodeName, airDate: cached.episodeAirDate };
    }
    case "movie": {
      const result = answeredOrThrow(await loadMovie(deps, share.movieId), movieLabel(share.movieId));
      if (result.movie.notFound) throw notFound(`share.movieId: movie ${share.movieId} does not exist on TMDB`);
      return { media: share, title: result.movie.title, airDate: result.movie.releaseDate, runtimeMinutes: result.movie.runtimeMinutes };
    }
  }
}

/**
 * The shared items of a page of messages with their details as the cache holds them now, named in the
 * reader's `language` (CONTRACT §11): every distinct show, season and movie document read once, in one
 * batch, and — for a language other than the default — every distinct show's and season's name
 * documents once more, in one batch beside it (`localizedNames`: the global names cache, shared by every
 * reader of the language). Warm, that is all; cold names cost one TMDB request per show and language,
 * once for every reader of it. A translation missing or a placeholder falls back to the default-language
 * name. Where the cache has nothing servable any more, the snapshot stored with the message stands.
 * Movie titles stay in the default language: the names cache holds TV names only.
 */
export async function refreshShared(
  deps: Pick<AppContext, "db" | "clock" | "cache">,
  items: Array<Shared | null>,
  language: string = DEFAULT_LANGUAGE,
): Promise<{ items: Array<Shared | null>; docsRead: number }> {
  const shares = items.filter((item): item is Shared => item !== null);
  if (shares.length === 0) return { items, docsRead: 0 };
  const showIds: number[] = [];
  const seasons: Array<{ showId: number; season: number }> = [];
  const movieIds: number[] = [];
  const nameRequests: NameRequest[] = [];
  for (const { media } of shares) {
    if (media.type === "movie") movieIds.push(media.movieId);
    else {
      showIds.push(media.showId);
      nameRequests.push(shareNameRequest(media));
    }
    if (media.type === "episode") seasons.push({ showId: media.showId, season: media.season });
  }
  const [cached, book] = await Promise.all([
    readCachedMediaDetails(deps.db, { showIds, seasons, movieIds }, deps.clock()),
    localizedNames(deps.cache.names, language, nameRequests),
  ]);
  const refreshed = items.map((item): Shared | null => {
    if (!item) return null;
    const { media } = item;
    if (media.type === "movie") {
      const movie = cached.movies.get(media.movieId);
      if (!movie || movie.notFound) return item;
      return { ...item, title: movie.title ?? item.title, airDate: movie.releaseDate, runtimeMinutes: movie.runtimeMinutes };
    }
    const show = cached.shows.get(media.showId);
    const title = book.show(media.showId, show && !show.notFound ? (show.name ?? item.title) : item.title);
    if (media.type === "show") return { ...item, title };
    const episode = cached.seasons.get(seasonDocId(media.showId, media.season))?.[String(media.episode)];
    const episodeName = book.episode(media.showId, media.season, media.episode, episode ? episode.episodeName : (item.episodeName ?? null));
    return episode
      ? { ...item, title, episodeName, airDate: episode.episodeAirDate }
      : { ...item, title, ...(episodeName !== null ? { episodeName } : {}) };
  });
  return { items: refreshed, docsRead: cached.docsRead + book.docsRead };
}

/** The names a shared show or episode shows: the show's, and the episode's season's. */
const shareNameRequest = (media: Exclude<Shared["media"], { type: "movie" }>): NameRequest => ({
  showId: media.showId,
  show: true,
  seasons: media.type === "episode" ? [media.season] : [],
});

/**
 * A shared item named in `language` from the names cache (the sender's snapshot is in the default
 * language): for a push to a recipient of another language. Warm, one batched read of the show's and
 * season's name documents; cold, one TMDB request for the show in that language, shared by every user of it.
 */
export async function sharedIn(deps: Pick<AppContext, "cache">, shared: Shared, language: string): Promise<Shared> {
  const { media } = shared;
  if (language === DEFAULT_LANGUAGE || media.type === "movie") return shared;
  const book = await localizedNames(deps.cache.names, language, [shareNameRequest(media)]);
  const title = book.show(media.showId, shared.title);
  if (media.type === "show") return { ...shared, title };
  return { ...shared, title, episodeName: book.episode(media.showId, media.season, media.episode, shared.episodeName ?? null) };
}

/** A one-line description of a shared item, for previews and notifications. */
export function shareLabel(shared: Shared): string {
  const title = shared.title ?? "something";
  if (shared.media.type !== "episode") return title;
  const code = `S${String(shared.media.season).padStart(2, "0")}E${String(shared.media.episode).padStart(2, "0")}`;
  return shared.episodeName ? `${title} ${code} “${shared.episodeName}”` : `${title} ${code}`;
}
