import { createHash } from "node:crypto";
import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { isFirestoreDate } from "../shared/dates";
import { invalidArgument } from "../shared/errors";

/** Where a play came from (docs/API.md: Firestore paths). */
export type PlaySource = "trakt" | "csv" | "app" | "playback" | "tvtime" | "scrobble" | "plex" | "jellyfin";

/** One play of an episode: becomes `users/{uid}/history/{historyId}` and counts in the tracking document. */
export interface EpisodePlay {
  /** Deterministic, so replaying the same play is a duplicate, never a second play. */
  historyId: string;
  showId: number;
  season: number;
  episode: number;
  watchedAt: Date;
  source: PlaySource;
  /** The id in the source system (a Trakt history id as a decimal string: 64-bit, kept exact). */
  sourceId: string | null;
  action: string;
}

/** One play of a movie (docs/API.md: library callables): a history document with `movieId`; movies have no tracking document. */
export interface MoviePlay {
  historyId: string;
  movieId: number;
  watchedAt: Date;
  source: PlaySource;
  sourceId: string | null;
  action: string;
}

export type Play = EpisodePlay | MoviePlay;

export const isMoviePlay = (play: Play): play is MoviePlay => "movieId" in play;

/** `users/{uid}/history/{historyId}` of an episode play. */
export interface EpisodeHistoryDoc {
  showId: number;
  season: number;
  episode: number;
  watchedAt: Timestamp;
  source: PlaySource;
  sourceId: string | null;
  action: string;
}

/** `users/{uid}/history/{historyId}` of a movie play. */
export interface MovieHistoryDoc {
  movieId: number;
  watchedAt: Timestamp;
  source: PlaySource;
  sourceId: string | null;
  action: string;
}

export type HistoryDoc = EpisodeHistoryDoc | MovieHistoryDoc;

export const historyCollection = (db: Firestore, uid: string) => db.collection("users").doc(uid).collection("history");

/** `trakt_<id>`: the id a Trakt history item is stored under (the decimal id, exact). */
export const traktPlayId = (traktId: string) => `trakt_${traktId}`;

/**
 * The deterministic id of an episode play that has no id of its own in its source (`app`, `csv`,
 * `playback`, ...): `<source>_<showId>_<season>_<episode>_<watchedAtMillis>`. Being derivable from the
 * play's content is what lets an exported play come back to its own document (see `syntheticTraktId`).
 */
export function nativePlayId(source: PlaySource, showId: number, season: number, episode: number, watchedAt: Date): string {
  return `${source}_${showId}_${season}_${episode}_${watchedAt.getTime()}`;
}

/** `<source>_movie_<movieId>_<watchedAtMillis>`: the movie counterpart of `nativePlayId`. */
export const nativeMoviePlayId = (source: PlaySource, movieId: number, watchedAt: Date) =>
  `${source}_movie_${movieId}_${watchedAt.getTime()}`;

export interface PlayInput {
  watchedAt: Date;
  source: PlaySource;
  /** The play's id in its source (Trakt history id, TV Time row id, ...); null/absent for plays this backend makes. */
  sourceId?: string | null;
  /** Trakt's `watch` | `scrobble` | `checkin`; default `watch`. */
  action?: string;
  /** Overrides the default id (`<source>_<sourceId>`, or the native content id without a sourceId). */
  historyId?: string;
}

function assertPlayDate(watchedAt: Date): void {
  if (!isFirestoreDate(watchedAt)) throw invalidArgument("watchedAt: must be a date between years 1 and 9999 (UTC)");
}

/**
 * THE way to build an episode play. The id defaults to `<source>_<sourceId>` when the source has its
 * own id for the play (`trakt_123`, `tvtime_456`), else to `nativePlayId`. A `watchedAt` Firestore
 * cannot store is `invalid-argument` here, never a crash in a write.
 */
export function episodePlay(input: PlayInput & { showId: number; season: number; episode: number }): EpisodePlay {
  assertPlayDate(input.watchedAt);
  const sourceId = input.sourceId ?? null;
  return {
    historyId:
      input.historyId ??
      (sourceId !== null
        ? `${input.source}_${sourceId}`
        : nativePlayId(input.source, input.showId, input.season, input.episode, input.watchedAt)),
    showId: input.showId,
    season: input.season,
    episode: input.episode,
    watchedAt: input.watchedAt,
    source: input.source,
    sourceId,
    action: input.action ?? "watch",
  };
}

/** THE way to build a movie play (ids as `episodePlay`, with `nativeMoviePlayId`). */
export function moviePlay(input: PlayInput & { movieId: number }): MoviePlay {
  assertPlayDate(input.watchedAt);
  const sourceId = input.sourceId ?? null;
  return {
    historyId:
      input.historyId ??
      (sourceId !== null ? `${input.source}_${sourceId}` : nativeMoviePlayId(input.source, input.movieId, input.watchedAt)),
    movieId: input.movieId,
    watchedAt: input.watchedAt,
    source: input.source,
    sourceId,
    action: input.action ?? "watch",
  };
}

/** The stored history document of a play. */
export function historyDocOf(play: Play): HistoryDoc {
  const common = { watchedAt: Timestamp.fromDate(play.watchedAt), source: play.source, sourceId: play.sourceId, action: play.action };
  if (isMoviePlay(play)) return { movieId: play.movieId, ...common };
  return { showId: play.showId, season: play.season, episode: play.episode, ...common };
}

// ---------------------------------------------------------------------------------------------
// One viewing, two reports (docs/API.md: Firestore paths)

/** Two reports of the same episode or movie closer than this are one viewing (unless one source lists both). */
export const SAME_VIEWING_WINDOW_MS = 10 * 60_000;

/**
 * Sources whose plays are the user's own list of viewings: two plays such a source lists (separate Trakt
 * history ids, TV Time rewatches, two CSV rows) stay two plays however close together. Live reports
 * (a mark in the app, the player, a scrobble, a webhook) of the same episode within the window are one.
 */
const LISTING_SOURCES: ReadonlySet<PlaySource> = new Set<PlaySource>(["trakt", "csv", "tvtime"]);

/** Sources whose plays un-marking removes (what this backend recorded from live reports); imported lists stay. */
export const LIVE_SOURCES: ReadonlySet<PlaySource> = new Set<PlaySource>(["app", "playback", "scrobble", "plex", "jellyfin"]);

export interface PlayFacts {
  watchedAt: Date;
  source: PlaySource;
}

/**
 * Is `b` the same viewing as `a` (both of the same episode or movie)? Closer than 10 minutes and
 * reported by different sources, or by one live source twice. Pure.
 */
export function sameViewing(a: PlayFacts, b: PlayFacts): boolean {
  if (Math.abs(a.watchedAt.getTime() - b.watchedAt.getTime()) >= SAME_VIEWING_WINDOW_MS) return false;
  return a.source !== b.source || !LISTING_SOURCES.has(a.source);
}

/** A stored history document's facts (null for a document that is not a well-formed play). */
export function playFactsOf(data: Record<string, unknown> | undefined): PlayFacts | null {
  const watchedAt = data?.watchedAt;
  const source = data?.source;
  if (!(watchedAt instanceof Timestamp) || typeof source !== "string") return null;
  return { watchedAt: watchedAt.toDate(), source: source as PlaySource };
}

/** The key plays of one episode or movie share (`tv_1_2_3`, `movie_9`), to group plays for `sameViewing`. */
export const viewedItemKey = (play: Play): string =>
  isMoviePlay(play) ? `movie_${play.movieId}` : `tv_${play.showId}_${play.season}_${play.episode}`;

// ---------------------------------------------------------------------------------------------
// Synthetic Trakt ids for export

/** Synthetic ids live in [2^62, 2^63): far above Trakt's own ids, still a signed 64-bit integer. */
const SYNTHETIC_BASE = 1n << 62n;

/**
 * The numeric id `exportHistory` gives a play that has no Trakt id: 2^62 + 62 bits of sha256(historyId),
 * as a decimal string. Deterministic, so exporting twice gives the same ids.
 */
export function syntheticTraktId(historyId: string): string {
  const hash = BigInt(`0x${createHash("sha256").update(historyId).digest("hex").slice(0, 16)}`);
  return (SYNTHETIC_BASE + (hash % SYNTHETIC_BASE)).toString();
}

const NATIVE_SOURCES = ["app", "csv", "playback"] as const;

/**
 * The play an exported synthetic id stands for, recognised from the item's own content (show, episode,
 * watched_at): its native id and source, or null for a real Trakt id.
 */
export function nativePlayOfSyntheticId(
  traktId: string,
  play: { showId: number; season: number; episode: number; watchedAt: Date },
): { historyId: string; source: PlaySource } | null {
  if (BigInt(traktId) < SYNTHETIC_BASE) return null;
  for (const source of NATIVE_SOURCES) {
    const historyId = nativePlayId(source, play.showId, play.season, play.episode, play.watchedAt);
    if (syntheticTraktId(historyId) === traktId) return { historyId, source };
  }
  return null;
}
