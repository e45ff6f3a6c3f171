import { ImportFileError } from "./errors";
import type { ImportRecord, InvalidRow, MovieIds, RatingTarget, ShowIds } from "./records";
import type { ReadResult } from "./tvtime";
import { parseExportTime } from "./times";

/**
 * Trakt's data export (JSON files of API shapes). Ids are read tolerantly: newer files carry extra
 * nested ids (`ids.plex: {guid, slug}`) and zeros for ids Trakt does not have (`tvrage: 0`), and an
 * item is never rejected for those; only the fields used are checked.
 */

/** Trakt history ids reach 2^63: quote long integers of `"id"` before JSON.parse so none is rounded. */
export function parseTraktJson(file: string, text: string): unknown[] {
  const exact = text.replace(/(?<!\\)("id"\s*:\s*)(\d{16,20})(?=\s*[,}\]])/g, '$1"$2"');
  let parsed: unknown;
  try {
    parsed = JSON.parse(exact.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new ImportFileError("invalid-json", file, `not valid JSON (${(error as Error).message.slice(0, 120)})`);
  }
  if (!Array.isArray(parsed)) throw new ImportFileError("invalid-json", file, "expected a JSON array of items");
  return parsed;
}

type Obj = Record<string, unknown>;
const isObj = (value: unknown): value is Obj => typeof value === "object" && value !== null && !Array.isArray(value);
const obj = (value: unknown): Obj => (isObj(value) ? value : {});

function positiveInt(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isSafeInteger(value) && value > 0 && value <= 2_147_483_647) return value;
  if (typeof value === "string" && /^\d{1,10}$/.test(value) && Number(value) > 0 && Number(value) <= 2_147_483_647) return Number(value);
  return undefined;
}

function idString(value: unknown): string | undefined {
  const n = typeof value === "string" && /^\d{1,15}$/.test(value) ? Number(value) : value;
  return typeof n === "number" && Number.isSafeInteger(n) && n > 0 ? String(n) : undefined;
}

function showIdsOf(value: unknown): ShowIds | undefined {
  const show = obj(value);
  const ids = obj(show.ids);
  const tmdb = positiveInt(ids.tmdb);
  const tvdb = idString(ids.tvdb);
  const imdb = typeof ids.imdb === "string" && /^tt\d{1,12}$/.test(ids.imdb) ? ids.imdb : undefined;
  const title = typeof show.title === "string" && show.title.trim() ? show.title.trim() : undefined;
  const year = positiveInt(show.year);
  if (!tmdb && !tvdb && !imdb && !title) return undefined;
  return {
    ...(tmdb ? { tmdb } : {}),
    ...(tvdb ? { tvdb } : {}),
    ...(imdb ? { imdb } : {}),
    ...(title ? { title } : {}),
    ...(year ? { year } : {}),
  };
}

const movieIdsOf = (value: unknown): MovieIds | undefined => {
  const ids = showIdsOf(value);
  if (!ids) return undefined;
  const { tvdb: _tvdb, ...movie } = ids;
  return Object.keys(movie).length ? movie : undefined;
};

function seasonNumber(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 9999 ? value : undefined;
}
const episodeNumber = (value: unknown) =>
  typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 99_999 ? value : undefined;

/** A Trakt history id as its exact decimal string. */
function historyId(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isSafeInteger(value) && value > 0) return String(value);
  if (typeof value === "string" && /^\d{1,20}$/.test(value) && BigInt(value) > 0n && BigInt(value) < 1n << 64n)
    return BigInt(value).toString();
  return undefined;
}

/** `watched-history.json`: items of `/sync/history`; each is one play with its Trakt id. */
export function readWatchedHistory(file: string, items: unknown[]): ReadResult {
  const records: ImportRecord[] = [];
  const invalid: InvalidRow[] = [];
  items.forEach((raw, row) => {
    const item = obj(raw);
    const id = historyId(item.id);
    const watchedAt = typeof item.watched_at === "string" ? parseExportTime(item.watched_at) : null;
    const action = typeof item.action === "string" && item.action.length <= 32 && item.action ? item.action : "watch";
    if (!id) return void invalid.push({ file, row, reason: "id is not a Trakt history id" });
    if (!watchedAt) return void invalid.push({ file, row, reason: "watched_at is not a timestamp" });
    if (item.type === "movie") {
      const movie = movieIdsOf(item.movie);
      if (!movie) return void invalid.push({ file, row, reason: "movie has no ids" });
      return void records.push({ kind: "moviePlay", file, row, source: "trakt", sourceId: id, movie, watchedAt, action });
    }
    const episode = obj(item.episode);
    const show = showIdsOf(item.show);
    const season = seasonNumber(episode.season);
    const number = episodeNumber(episode.number);
    if (item.type !== "episode" || !show || season === undefined || number === undefined) {
      return void invalid.push({ file, row, reason: "not an episode item with show ids, season and number" });
    }
    const tvdbEpisodeId = idString(obj(episode.ids).tvdb);
    records.push({
      kind: "episodePlay",
      file,
      row,
      source: "trakt",
      sourceId: id,
      target: { show, season, episode: number, ...(tvdbEpisodeId && !show.tmdb ? { tvdbEpisodeId } : {}) },
      watchedAt,
      action,
    });
  });
  return { records, invalid };
}

/**
 * `watched-shows.json` (`/sync/watched/shows`): per-episode `plays` and `last_watched_at` (the earlier
 * play dates are unknown), and the show's `reset_at` (a rewatch started), which becomes `resetAt`.
 */
export function readWatchedShows(file: string, items: unknown[]): ReadResult {
  const records: ImportRecord[] = [];
  const invalid: InvalidRow[] = [];
  items.forEach((raw, row) => {
    const item = obj(raw);
    const show = showIdsOf(item.show);
    if (!show) return void invalid.push({ file, row, reason: "show has no ids" });
    if ("reset_at" in item) {
      const resetAt = typeof item.reset_at === "string" ? parseExportTime(item.reset_at) : null;
      records.push({ kind: "showState", file, row, show, resetAt });
    }
    for (const seasonRaw of Array.isArray(item.seasons) ? item.seasons : []) {
      const season = seasonNumber(obj(seasonRaw).number);
      for (const episodeRaw of Array.isArray(obj(seasonRaw).episodes) ? (obj(seasonRaw).episodes as unknown[]) : []) {
        const episode = obj(episodeRaw);
        const number = episodeNumber(episode.number);
        const plays = positiveInt(episode.plays);
        const lastWatchedAt = typeof episode.last_watched_at === "string" ? parseExportTime(episode.last_watched_at) : null;
        if (season === undefined || number === undefined || !plays || plays > 1000 || !lastWatchedAt) {
          invalid.push({ file, row, reason: "episode without a number, plays or last_watched_at" });
          continue;
        }
        records.push({ kind: "episodePlayCount", file, row, show, season, episode: number, plays, lastWatchedAt });
      }
    }
  });
  return { records, invalid };
}

/** `ratings-*.json`: `{ rated_at, rating, type, movie | show | season | episode }`. */
export function readRatings(file: string, items: unknown[]): ReadResult {
  const records: ImportRecord[] = [];
  const invalid: InvalidRow[] = [];
  items.forEach((raw, row) => {
    const item = obj(raw);
    const rating =
      typeof item.rating === "number" && Number.isInteger(item.rating) && item.rating >= 1 && item.rating <= 10 ? item.rating : undefined;
    const target = ratingTargetOf(item);
    if (rating === undefined) return void invalid.push({ file, row, reason: "rating is not 1..10" });
    if (!target) return void invalid.push({ file, row, reason: `a ${String(item.type)} rating without ids` });
    records.push({
      kind: "rating",
      file,
      row,
      target,
      rating,
      ratedAt: typeof item.rated_at === "string" ? parseExportTime(item.rated_at) : null,
    });
  });
  return { records, invalid };
}

function ratingTargetOf(item: Obj): RatingTarget | undefined {
  if (item.type === "movie") {
    const movie = movieIdsOf(item.movie);
    return movie && { type: "movie", movie };
  }
  const show = showIdsOf(item.show);
  if (!show) return undefined;
  if (item.type === "show") return { type: "show", show };
  if (item.type === "season") {
    const season = seasonNumber(obj(item.season).number);
    return season === undefined ? undefined : { type: "season", show, season };
  }
  if (item.type === "episode") {
    const season = seasonNumber(obj(item.episode).season);
    const episode = episodeNumber(obj(item.episode).number);
    return season === undefined || episode === undefined ? undefined : { type: "episode", show, season, episode };
  }
  return undefined;
}

/** `watchlist-*.json`: `{ listed_at, type, movie | show | season | episode }`; a season or episode lists its show. */
export function readWatchlist(file: string, items: unknown[]): ReadResult {
  const records: ImportRecord[] = [];
  const invalid: InvalidRow[] = [];
  items.forEach((raw, row) => {
    const item = obj(raw);
    const addedAt = typeof item.listed_at === "string" ? parseExportTime(item.listed_at) : null;
    if (item.type === "movie") {
      const movie = movieIdsOf(item.movie);
      if (!movie) return void invalid.push({ file, row, reason: "movie has no ids" });
      return void records.push({ kind: "watchlist", file, row, media: { type: "movie", movie }, addedAt });
    }
    const show = showIdsOf(item.show);
    if (!show) return void invalid.push({ file, row, reason: "show has no ids" });
    records.push({ kind: "watchlist", file, row, media: { type: "show", show }, addedAt });
  });
  return { records, invalid };
}
