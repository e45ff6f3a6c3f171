/**
 * What an export file means, whatever it came from: every reader turns its rows into these records,
 * and the pipeline maps their ids to TMDB and applies them. Pure data, no Firestore types.
 */

/** How a show is identified in a file: any of TMDB, TVDB or IMDb ids, or only a title (and year). */
export interface ShowIds {
  tmdb?: number;
  tvdb?: string;
  imdb?: string;
  title?: string;
  year?: number;
}

/** How a movie is identified: ids, or a title and year (TV Time's movie rows). */
export interface MovieIds {
  tmdb?: number;
  imdb?: string;
  title?: string;
  year?: number;
}

/**
 * Which episode: a TVDB episode id (TV Time's `seen_episode.csv` has nothing else, not even a series
 * id; resolved through `/find` `tv_episode_results`), and/or a show with season and episode numbers.
 * A TVDB episode id wins when TMDB knows it (TVDB and TMDB numbering can differ); the show and
 * numbers are the fallback.
 */
export interface EpisodeTarget {
  tvdbEpisodeId?: string;
  show?: ShowIds;
  season?: number;
  episode?: number;
}

export type ImportSource = "tvtime" | "trakt" | "csv";

/** Where a record came from, for the unmatched list and error messages. */
export interface RecordOrigin {
  file: string;
  /** Spreadsheet row (header = 1) or JSON array index. */
  row: number;
}

export interface EpisodePlayRecord extends RecordOrigin {
  kind: "episodePlay";
  source: ImportSource;
  /**
   * The play's id in its source, deterministic, so a re-import hits the same play documents: the
   * tracking repository stores it as `<source>_<sourceId>`: `tvtime_<tvdbEpisodeId>` (rewatches
   * `tvtime_<tvdbEpisodeId>_r<k>`), `trakt_<historyId>`. Null for rows with no id of their own: the id
   * then comes from the resolved TMDB episode and time (`csv_<show>_<s>_<e>_<ms>`, as importCsv).
   */
  sourceId: string | null;
  target: EpisodeTarget;
  watchedAt: Date;
  action: string;
}

export interface MoviePlayRecord extends RecordOrigin {
  kind: "moviePlay";
  source: ImportSource;
  sourceId: string | null;
  movie: MovieIds;
  watchedAt: Date;
  action: string;
}

/**
 * Trakt `watched-shows.json`: an episode's play count and last play, not the plays themselves. The
 * pipeline records `plays` plays at `lastWatchedAt` with ids `trakt_watched_<show>_<s>_<e>_<k>`.
 */
export interface EpisodePlayCountRecord extends RecordOrigin {
  kind: "episodePlayCount";
  show: ShowIds;
  season: number;
  episode: number;
  plays: number;
  lastWatchedAt: Date;
}

/** A show's state in the source: followed, archived (stopped watching), "for later", a Trakt reset. */
export interface ShowStateRecord extends RecordOrigin {
  kind: "showState";
  show: ShowIds;
  status?: "watching" | "paused" | "dropped" | "planned";
  favorite?: boolean;
  resetAt?: Date | null;
}

export type RatingTarget =
  | { type: "show"; show: ShowIds }
  | { type: "season"; show: ShowIds; season: number }
  | { type: "episode"; show: ShowIds; season: number; episode: number }
  | { type: "movie"; movie: MovieIds };

export interface RatingRecord extends RecordOrigin {
  kind: "rating";
  target: RatingTarget;
  /** 1..10 */
  rating: number;
  ratedAt: Date | null;
}

export interface WatchlistRecord extends RecordOrigin {
  kind: "watchlist";
  media: { type: "show"; show: ShowIds } | { type: "movie"; movie: MovieIds };
  addedAt: Date | null;
}

export type ImportRecord = EpisodePlayRecord | MoviePlayRecord | EpisodePlayCountRecord | ShowStateRecord | RatingRecord | WatchlistRecord;

/** A row that could not be read (bad number, bad date): counted in `invalid`, never fatal. */
export interface InvalidRow extends RecordOrigin {
  reason: string;
}

/** What one file of an export yields. */
export interface ParsedFile {
  file: string;
  format: ExportFormat;
  records: ImportRecord[];
  invalid: InvalidRow[];
}

export type ExportFormat =
  | "tvtime.seen_episode"
  | "tvtime.rewatched_episode"
  | "tvtime.user_tv_show_data"
  | "tvtime.followed_tv_show"
  | "tvtime.tracking_v2"
  | "tvtime.tracking_movies"
  | "tvtime.app_episodes"
  | "tvtime.app_shows"
  | "tvtime.app_movies"
  | "trakt.watched_history"
  | "trakt.watched_shows"
  | "trakt.ratings"
  | "trakt.watchlist"
  | "csv.history";

export const sourceOfFormat = (format: ExportFormat): ImportSource => format.split(".")[0] as ImportSource;
