import type { EpisodePlayRecord, ImportRecord, InvalidRow, MovieIds, ShowIds, ShowStateRecord } from "./records";
import { externalId, imdbId, integer, truthy, type CsvTable } from "./table";
import { parseExportTime } from "./times";

/**
 * TV Time's export files (the GDPR ZIP and the later in-app CSVs) as records. Play ids are
 * `tvtime_<tvdbEpisodeId>` for the first viewing and `tvtime_<tvdbEpisodeId>_r<k>` for the k-th
 * rewatch, whichever file a play comes from, so the same viewing in two files of one export (or two
 * exports) is one play.
 */
export interface ReadResult {
  records: ImportRecord[];
  invalid: InvalidRow[];
}

/** Rewatch counts above this are treated as a broken cell, not 10,000 plays. */
const MAX_REWATCHES = 100;

export const tvTimePlayId = (tvdbEpisodeId: string, rewatch = 0) => (rewatch === 0 ? tvdbEpisodeId : `${tvdbEpisodeId}_r${rewatch}`);

function collector(table: CsvTable) {
  const records: ImportRecord[] = [];
  const invalid: InvalidRow[] = [];
  return {
    records,
    invalid,
    result: (): ReadResult => ({ records, invalid }),
    bad: (i: number, reason: string): void => {
      invalid.push({ file: table.file, row: i + 2, reason });
    },
    play: (i: number, fields: Omit<EpisodePlayRecord, "kind" | "file" | "row" | "source" | "action">): void => {
      records.push({ kind: "episodePlay", file: table.file, row: i + 2, source: "tvtime", action: "watch", ...fields });
    },
  };
}

/** `seen_episode.csv`: one play per row; `episode_id` is a TVDB episode id and there is no series id. */
export function readSeenEpisodes(table: CsvTable): ReadResult {
  table.require("episode_id");
  const timeColumn = table.pick("created_at", "updated_at", "watched_at");
  if (!timeColumn) table.require("created_at");
  const out = collector(table);
  table.rows.forEach((row, i) => {
    const episodeId = externalId(table.get(row, "episode_id"));
    const watchedAt = parseExportTime(table.get(row, timeColumn));
    if (!episodeId) return out.bad(i, "episode_id is not an id");
    if (!watchedAt) return out.bad(i, `${timeColumn} is not a date`);
    const show = showFromColumns(table, row);
    out.play(i, {
      sourceId: tvTimePlayId(episodeId),
      target: { tvdbEpisodeId: episodeId, ...(show ? { show } : {}), ...numbersOf(table, row) },
      watchedAt,
    });
  });
  return out.result();
}

/**
 * `rewatched_episode.csv`: `cpt` is how many times the episode was rewatched (on top of its
 * `seen_episode.csv` play). Only the first and last rewatch dates are known: rewatches 1..cpt−1 are
 * dated `created_at`, the last `updated_at`.
 */
export function readRewatchedEpisodes(table: CsvTable): ReadResult {
  table.require("episode_id", "cpt");
  const out = collector(table);
  table.rows.forEach((row, i) => {
    const episodeId = externalId(table.get(row, "episode_id"));
    const count = integer(table.get(row, "cpt"), 0, MAX_REWATCHES);
    const first = parseExportTime(table.get(row, table.pick("created_at", "updated_at")));
    const last = parseExportTime(table.get(row, table.pick("updated_at", "created_at"))) ?? first;
    if (!episodeId) return out.bad(i, "episode_id is not an id");
    if (count === null) return out.bad(i, "cpt is not a rewatch count");
    if (!first || !last) return out.bad(i, "created_at is not a date");
    for (let k = 1; k <= count; k++) {
      out.play(i, { sourceId: tvTimePlayId(episodeId, k), target: { tvdbEpisodeId: episodeId }, watchedAt: k === count ? last : first });
    }
  });
  return out.result();
}

/** `user_tv_show_data.csv`: `tv_show_id` (TVDB) with `is_followed` / `is_favorited`. */
export function readUserShowData(table: CsvTable): ReadResult {
  table.require("tv_show_id");
  const out = collector(table);
  table.rows.forEach((row, i) => {
    const show = showOf(table, row, "tv_show_id", undefined, "tv_show_name");
    if (!show) return out.bad(i, "tv_show_id is not an id");
    const followed = table.has("is_followed") ? truthy(table.get(row, "is_followed")) : true;
    const state: ShowStateRecord = { kind: "showState", file: table.file, row: i + 2, show, ...(followed ? { status: "watching" } : {}) };
    if (table.has("is_favorited") && truthy(table.get(row, "is_favorited"))) state.favorite = true;
    // A show neither followed nor favourited says nothing the plays do not: no state to record.
    if (state.status || state.favorite) out.records.push(state);
  });
  return out.result();
}

/** `followed_tv_show.csv`: followed shows; `archived` means the user stopped watching (dropped). */
export function readFollowedShows(table: CsvTable): ReadResult {
  table.require("tv_show_id");
  const out = collector(table);
  table.rows.forEach((row, i) => {
    const show = showOf(table, row, "tv_show_id", undefined, "tv_show_name");
    if (!show) return out.bad(i, "tv_show_id is not an id");
    if (table.has("active") && table.get(row, "active") !== "" && !truthy(table.get(row, "active"))) return;
    const archived = truthy(table.get(row, table.pick("archived", "is_archived")));
    out.records.push({ kind: "showState", file: table.file, row: i + 2, show, status: archived ? "dropped" : "watching" });
  });
  return out.result();
}

/**
 * `tracking-prod-records-v2.csv`: one row per fact, told apart by `key`: `watch-episode-…` (a play;
 * `s_id` / `ep_id` are TVDB ids), `rewatch-episode-…` (a rewatch), `user-series-…` (the show's
 * follow / archive / for-later state). Other keys (movies, counters) are not plays and are skipped.
 */
export function readTrackingV2(table: CsvTable): ReadResult {
  table.require("key");
  const out = collector(table);
  const timeColumn = table.pick("created_at", "updated_at");
  const rewatchOrdinal = new Map<string, number>();
  table.rows.forEach((row, i) => {
    const key = table.get(row, "key").toLowerCase();
    const show = showOf(table, row, "s_id", undefined, "series_name");
    if (key.startsWith("watch-episode") || key.startsWith("rewatch-episode")) {
      const episodeId = externalId(table.get(row, "ep_id"));
      const numbers = numbersOf(table, row);
      const watchedAt = parseExportTime(table.get(row, timeColumn));
      if (!watchedAt) return out.bad(i, `${timeColumn ?? "created_at"} is not a date`);
      if (!episodeId && !(show && numbers.season !== undefined && numbers.episode !== undefined)) return out.bad(i, "ep_id is not an id");
      let k = 0;
      if (key.startsWith("rewatch")) {
        const counted = integer(table.get(row, "rewatch_count"), 1, MAX_REWATCHES);
        const ordinalKey = episodeId ?? `${show?.tvdb}_${numbers.season}_${numbers.episode}`;
        k = counted ?? (rewatchOrdinal.get(ordinalKey) ?? 0) + 1;
        rewatchOrdinal.set(ordinalKey, Math.max(k, rewatchOrdinal.get(ordinalKey) ?? 0));
      }
      const sourceId = episodeId ? tvTimePlayId(episodeId, k) : null;
      out.play(i, {
        sourceId,
        target: { ...(episodeId ? { tvdbEpisodeId: episodeId } : {}), ...(show ? { show } : {}), ...numbers },
        watchedAt,
      });
      return;
    }
    if (key.startsWith("user-series")) {
      if (!show) return out.bad(i, "s_id is not an id");
      const status = truthy(table.get(row, "is_archived"))
        ? "dropped"
        : truthy(table.get(row, "is_for_later"))
          ? "planned"
          : truthy(table.get(row, "is_followed")) || !table.has("is_followed")
            ? "watching"
            : undefined;
      if (status) out.records.push({ kind: "showState", file: table.file, row: i + 2, show, status });
    }
  });
  return out.result();
}

/**
 * `tracking-prod-records.csv` (the first version): movies by name and release year, `type` `watch`
 * (a play at `watch_date`) or `towatch` (the watchlist); episode rows carry TVDB ids like v2's.
 */
export function readTrackingMovies(table: CsvTable): ReadResult {
  table.require("type");
  const out = collector(table);
  table.rows.forEach((row, i) => {
    const type = table.get(row, "type").toLowerCase();
    const entity = table.get(row, "entity_type").toLowerCase();
    if (entity === "episode") {
      const episodeId = externalId(table.get(row, "episode_id"));
      const watchedAt = parseExportTime(table.get(row, table.pick("watch_date", "created_at")));
      if (type !== "watch") return;
      if (!episodeId || !watchedAt) return out.bad(i, "episode_id or watch_date is not valid");
      const show = showOf(table, row, "series_id", undefined, "series_name");
      out.play(i, {
        sourceId: tvTimePlayId(episodeId),
        target: { tvdbEpisodeId: episodeId, ...(show ? { show } : {}), ...numbersOf(table, row) },
        watchedAt,
      });
      return;
    }
    if (entity !== "" && entity !== "movie") return;
    const movie = movieOf(table, row);
    if (!movie) return out.bad(i, "movie_name is empty");
    if (type === "watch") {
      const watchedAt = parseExportTime(table.get(row, table.pick("watch_date", "created_at")));
      if (!watchedAt) return out.bad(i, "watch_date is not a date");
      const uuid = table.get(row, "uuid");
      const sourceId = /^[\w-]{1,80}$/.test(uuid) ? `movie_${uuid}` : null;
      out.records.push({ kind: "moviePlay", file: table.file, row: i + 2, source: "tvtime", sourceId, movie, watchedAt, action: "watch" });
    } else if (type === "towatch") {
      out.records.push({
        kind: "watchlist",
        file: table.file,
        row: i + 2,
        media: { type: "movie", movie },
        addedAt: parseExportTime(table.get(row, "created_at")),
      });
    }
  });
  return out.result();
}

/**
 * TV Time's later in-app export of episodes (`series_tvdb_id, series_imdb_id, …, season, episode,
 * tvdb_id, is_watched, watched_at, rewatch_count, special`): a watched row is one play plus
 * `rewatch_count` rewatches (dated `watched_at`, the only date there is).
 */
export function readAppEpisodes(table: CsvTable): ReadResult {
  table.require("season", "episode", "is_watched");
  const out = collector(table);
  const timeColumn = table.pick("watched_at", "created_at");
  table.rows.forEach((row, i) => {
    if (!truthy(table.get(row, "is_watched"))) return;
    const show = showOf(table, row, "series_tvdb_id", "series_imdb_id", table.pick("series_title", "series_name", "show_title", "title"));
    const numbers = numbersOf(table, row);
    const episodeId = externalId(table.get(row, table.pick("tvdb_id", "episode_tvdb_id")));
    const watchedAt = parseExportTime(table.get(row, timeColumn));
    if (numbers.season === undefined || numbers.episode === undefined) return out.bad(i, "season or episode is not a number");
    if (!watchedAt) return out.bad(i, `${timeColumn ?? "watched_at"} is not a date`);
    if (!show && !episodeId) return out.bad(i, "no series id, episode id or title");
    const rewatches = integer(table.get(row, "rewatch_count") || "0", 0, MAX_REWATCHES) ?? 0;
    const target = { ...(episodeId ? { tvdbEpisodeId: episodeId } : {}), ...(show ? { show } : {}), ...numbers };
    for (let k = 0; k <= rewatches; k++) out.play(i, { sourceId: episodeId ? tvTimePlayId(episodeId, k) : null, target, watchedAt });
  });
  return out.result();
}

const STATUS_WORDS: Record<string, ShowStateRecord["status"]> = {
  watching: "watching",
  up_to_date: "watching",
  continuing: "watching",
  following: "watching",
  stopped: "dropped",
  stopped_watching: "dropped",
  archived: "dropped",
  dropped: "dropped",
  paused: "paused",
  for_later: "planned",
  watch_later: "planned",
  not_started: "planned",
  planned: "planned",
};

/** The in-app shows file: a show per row with its TVDB / IMDb ids, a status word and a favourite flag. */
export function readAppShows(table: CsvTable): ReadResult {
  const idColumn = table.pick("tvdb_id", "series_tvdb_id");
  if (!idColumn && !table.has("imdb_id")) table.require("tvdb_id");
  const out = collector(table);
  table.rows.forEach((row, i) => {
    const show = showOf(table, row, idColumn, table.pick("imdb_id", "series_imdb_id"), table.pick("title", "name", "series_name"));
    if (!show) return out.bad(i, `${idColumn ?? "tvdb_id"} is not an id`);
    const word = table
      .get(row, table.pick("status", "state"))
      .toLowerCase()
      .replace(/[\s-]+/g, "_");
    const status =
      STATUS_WORDS[word] ??
      (truthy(table.get(row, "is_archived")) ? "dropped" : truthy(table.get(row, "is_for_later")) ? "planned" : "watching");
    const favorite = truthy(table.get(row, table.pick("is_favorite", "is_favorited", "favorite")));
    out.records.push({ kind: "showState", file: table.file, row: i + 2, show, status, ...(favorite ? { favorite } : {}) });
  });
  return out.result();
}

/** The in-app movies file: watched movies are plays (plus rewatches), the others the watchlist. */
export function readAppMovies(table: CsvTable): ReadResult {
  table.require("is_watched");
  const out = collector(table);
  table.rows.forEach((row, i) => {
    const movie = movieOf(table, row);
    if (!movie) return out.bad(i, "no movie id or title");
    if (!truthy(table.get(row, "is_watched"))) {
      out.records.push({
        kind: "watchlist",
        file: table.file,
        row: i + 2,
        media: { type: "movie", movie },
        addedAt: parseExportTime(table.get(row, "created_at")),
      });
      return;
    }
    const watchedAt = parseExportTime(table.get(row, table.pick("watched_at", "watch_date", "created_at")));
    if (!watchedAt) return out.bad(i, "watched_at is not a date");
    const rewatches = integer(table.get(row, "rewatch_count") || "0", 0, MAX_REWATCHES) ?? 0;
    for (let k = 0; k <= rewatches; k++) {
      out.records.push({
        kind: "moviePlay",
        file: table.file,
        row: i + 2,
        source: "tvtime",
        sourceId: null,
        movie,
        watchedAt: new Date(watchedAt.getTime() + k),
        action: "watch",
      });
    }
  });
  return out.result();
}

function numbersOf(table: CsvTable, row: string[]): { season?: number; episode?: number } {
  const season = integer(table.get(row, table.pick("season", "season_number", "s_no", "episode_season_number")), 0, 9999);
  const episode = integer(table.get(row, table.pick("episode", "episode_number", "ep_no")), 1, 99_999);
  return { ...(season !== null ? { season } : {}), ...(episode !== null ? { episode } : {}) };
}

function showOf(table: CsvTable, row: string[], tvdbColumn?: string, imdbColumn?: string, titleColumn?: string): ShowIds | undefined {
  const tvdb = externalId(table.get(row, tvdbColumn));
  const imdb = imdbId(table.get(row, imdbColumn));
  const title = table.get(row, titleColumn);
  if (!tvdb && !imdb && !title) return undefined;
  return { ...(tvdb ? { tvdb } : {}), ...(imdb ? { imdb } : {}), ...(title ? { title } : {}) };
}

function showFromColumns(table: CsvTable, row: string[]): ShowIds | undefined {
  const titleColumn = table.pick("tv_show_name", "series_name");
  const tvdbColumn = table.pick("tv_show_id", "series_id", "s_id");
  return tvdbColumn || titleColumn ? showOf(table, row, tvdbColumn, undefined, titleColumn) : undefined;
}

function movieOf(table: CsvTable, row: string[]): MovieIds | undefined {
  const tmdbRaw = externalId(table.get(row, "tmdb_id"));
  const imdb = imdbId(table.get(row, table.pick("imdb_id", "movie_imdb_id")));
  const title = table.get(row, table.pick("movie_name", "title", "name"));
  const yearMatch = /^(\d{4})/.exec(table.get(row, table.pick("release_date", "year")));
  if (!tmdbRaw && !imdb && !title) return undefined;
  return {
    ...(tmdbRaw ? { tmdb: Number(tmdbRaw) } : {}),
    ...(imdb ? { imdb } : {}),
    ...(title ? { title } : {}),
    ...(yearMatch ? { year: Number(yearMatch[1]) } : {}),
  };
}
