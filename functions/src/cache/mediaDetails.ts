import { Timestamp, type DocumentReference, type Firestore } from "firebase-admin/firestore";
import {
  seasonDocId,
  seasonRef,
  showFactsOf,
  showRef,
  type SeasonCacheDoc,
  type SeasonEpisodes,
  type ShowCacheDoc,
  type ShowFacts,
} from "./documents";
import { isServable } from "./freshness";
import { movieRef, type MovieCacheDoc, type MovieFacts } from "./movieCache";
import { getAllChunked } from "../shared/firestore";

/**
 * What the cache holds now for a set of shows, seasons and movies, read in one batched `getAll`
 * (each document once, however many items name it), without a lock or a TMDB call: for answering
 * details already known to exist (shared items in messages), never for deciding what exists. A
 * document that is missing, still empty under a lock, or past TMDB's six-month cap is left out.
 */
export interface CachedMediaDetails {
  shows: Map<number, ShowFacts>;
  /** By `seasonDocId(showId, season)`. */
  seasons: Map<string, SeasonEpisodes>;
  movies: Map<number, MovieFacts>;
  /** Cache documents read. */
  docsRead: number;
}

export async function readCachedMediaDetails(
  db: Firestore,
  wanted: { showIds: Iterable<number>; seasons: Iterable<{ showId: number; season: number }>; movieIds: Iterable<number> },
  now: Date,
): Promise<CachedMediaDetails> {
  const showIds = [...new Set(wanted.showIds)];
  const seasonKeys = new Map<string, { showId: number; season: number }>();
  for (const s of wanted.seasons) seasonKeys.set(seasonDocId(s.showId, s.season), s);
  const movieIds = [...new Set(wanted.movieIds)];
  const refs: DocumentReference[] = [
    ...showIds.map((id) => showRef(db, id)),
    ...[...seasonKeys.values()].map(({ showId, season }) => seasonRef(db, showId, season)),
    ...movieIds.map((id) => movieRef(db, id)),
  ];
  const snaps = refs.length > 0 ? await getAllChunked(db, refs) : [];
  const servable = (data: { lastUpdated?: unknown } | undefined) =>
    data?.lastUpdated instanceof Timestamp && isServable(data.lastUpdated.toDate(), now);
  const result: CachedMediaDetails = { shows: new Map(), seasons: new Map(), movies: new Map(), docsRead: snaps.length };
  let i = 0;
  for (const id of showIds) {
    const data = snaps[i++].data() as ShowCacheDoc | undefined;
    if (data && servable(data) && (typeof data.name === "string" || data.notFound === true)) result.shows.set(id, showFactsOf(data));
  }
  for (const key of seasonKeys.keys()) {
    const data = snaps[i++].data() as SeasonCacheDoc | undefined;
    if (data && servable(data) && Object.keys(data.episodes ?? {}).length > 0) result.seasons.set(key, data.episodes);
  }
  for (const id of movieIds) {
    const data = snaps[i++].data() as MovieCacheDoc | undefined;
    if (data && servable(data) && (typeof data.title === "string" || data.notFound === true)) {
      result.movies.set(id, {
        title: data.title ?? null,
        runtimeMinutes: data.runtimeMinutes ?? null,
        releaseDate: data.releaseDate ?? null,
        notFound: data.notFound ?? false,
      });
    }
  }
  return result;
}
