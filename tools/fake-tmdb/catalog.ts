/**
 * Deterministic catalog of the fake TMDB server: pure functions, no I/O, exported so tests and the
 * benchmark can compute exactly what the server will answer.
 *
 * Conventions (see README.md):
 * - shows 1..9,999,999 exist except ids ending in 404 (id % 1000 === 404); same for movies;
 * - generated show `id`: name "Show <id>", 1 + id % 4 regular seasons, season s has
 *   6 + ((id * 7 + s * 3) % 9) weekly episodes, season 1 starts 2005-01-01 + (id % 1000) days and each
 *   season starts 365 days after the previous one; status "Ended"; specials (season 0) have id % 3
 *   episodes with unknown air dates (no season 0 when that is 0);
 * - built-in ids: 1399 (Game of Thrones), 900001 (11 x 100 episodes), 900002 (10,000 daily episodes);
 * - episode id = showId * 1,000,000 + season * 20,000 + episode; season id = showId * 100 + season.
 *
 * Nothing here materialises a whole catalog: a season's episodes are built only when asked for.
 */

/** One season of a show. */
export interface SeasonSpec {
  /** number of episodes (0..19,999) */
  episodes: number;
  /** first episode's air date YYYY-MM-DD; null/undefined = unknown air dates */
  airDate?: string | null;
  /** days between consecutive episodes, default 7 */
  intervalDays?: number;
  /** explicit per-episode air dates (index 0 = episode 1); overrides airDate/intervalDays; missing entries = unknown */
  airDates?: (string | null)[];
  /** optional per-episode names (index 0 = episode 1); missing/null entries use "S<season>E<episode> of <show name>" */
  names?: (string | null)[];
  /** runtime (minutes) of every episode of the season; null = unknown; default: deterministic 40..60 */
  runtime?: number | null;
}

/** A show, as generated from its id or set with `setShow`. */
export interface ShowSpec {
  name: string;
  /** default: "Ended" for generated shows; for overrides "Returning Series" when an episode airs after
   * today or has an unknown air date, else "Ended" */
  status?: string;
  /** default: true for "Returning Series" | "In Production" | "Planned" | "Pilot", else false */
  inProduction?: boolean;
  /** default: the earliest known air date of the regular seasons (null when none) */
  firstAirDate?: string;
  /** regular seasons 1..n, in order */
  seasons: SeasonSpec[];
  /** season 0; a number n means `{ episodes: n }` (unknown air dates); omitted when it has no episodes */
  specials?: SeasonSpec | number;
  /** TMDB `origin_country` (ISO 3166-1 codes); default none (`[]`), so air dates carry no time zone */
  originCountry?: string[];
  /**
   * names per `language` (e.g. "fr-FR"), answered when a request has `language=`; default: see
   * translations.ts (generated translations, placeholders and empty names). `null` = no translation at all.
   */
  translations?: Record<string, TranslationSpec | null>;
}

/** A show's names in one language. */
export interface TranslationSpec {
  /** the show's name; default: the original name */
  name?: string;
  /** per season number, per episode (index 0 = episode 1): a name, "" (empty), or null (TMDB's placeholder) */
  seasons?: Record<string, (string | null)[]>;
}

export interface MovieSpec {
  title: string;
  runtime: number | null;
  releaseDate: string | null;
}

export const GOT_SHOW_ID = 1399;
export const LONG_SHOW_ID = 900001;
export const SOAP_SHOW_ID = 900002;
export const BUILTIN_SHOW_IDS: readonly number[] = [GOT_SHOW_ID, LONG_SHOW_ID, SOAP_SHOW_ID];
export const MAX_GENERATED_ID = 9_999_999;
/** limits of the episode id scheme (validated by setShow) */
export const MAX_SEASON_NUMBER = 49;
export const MAX_EPISODES_PER_SEASON = 19_999;
export const MAX_SHOW_ID = 9_000_000_000;

// ---------------------------------------------------------------------------------------------- dates

const DAY_MS = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isValidDate(value: unknown): value is string {
  if (typeof value !== "string") return false;
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

/** days since 1970-01-01 */
export function dayNumber(date: string): number {
  const m = DATE_RE.exec(date);
  if (!m) throw new Error(`invalid date ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS;
}

export function dateFromDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return dateFromDayNumber(dayNumber(date) + days);
}

export function utcToday(): string {
  return new Date().toISOString().slice(0, 10);
}

// ------------------------------------------------------------------------------------------- catalog

export function isGeneratedId(id: number): boolean {
  return Number.isSafeInteger(id) && id >= 1 && id <= MAX_GENERATED_ID && id % 1000 !== 404;
}

const GOT_SEASON_STARTS = ["2011-04-17", "2012-04-01", "2013-03-31", "2014-04-06", "2015-04-12", "2016-04-24", "2017-07-16", "2019-04-14"];
const GOT_EPISODES = [10, 10, 10, 10, 10, 10, 7, 6];

/** The generated (non-overridden) show for an id, or null when it does not exist. Returns a fresh object. */
export function showSpecFor(id: number): ShowSpec | null {
  if (!isGeneratedId(id)) return null;
  const specials = id % 3;
  if (id === GOT_SHOW_ID) {
    return {
      name: "Game of Thrones",
      status: "Ended",
      inProduction: false,
      seasons: GOT_EPISODES.map((episodes, i) => ({ episodes, airDate: GOT_SEASON_STARTS[i], intervalDays: 7 })),
      specials,
      originCountry: ["US"],
    };
  }
  if (id === LONG_SHOW_ID) {
    // 11 seasons x 100 weekly episodes; a season spans 693 days, seasons start 728 days apart.
    return {
      name: "Show 900001",
      status: "Ended",
      inProduction: false,
      seasons: Array.from({ length: 11 }, (_, i) => ({ episodes: 100, airDate: addDays("1995-01-01", i * 728), intervalDays: 7 })),
      specials,
    };
  }
  if (id === SOAP_SHOW_ID) {
    // 10,000 daily episodes, 1990-01-01 .. 2017-05-18
    return {
      name: "Show 900002",
      status: "Ended",
      inProduction: false,
      seasons: [{ episodes: 10_000, airDate: "1990-01-01", intervalDays: 1 }],
      specials,
    };
  }
  const first = addDays("2005-01-01", id % 1000);
  const seasonCount = 1 + (id % 4);
  return {
    name: `Show ${id}`,
    status: "Ended",
    inProduction: false,
    seasons: Array.from({ length: seasonCount }, (_, i) => {
      const s = i + 1;
      return { episodes: 6 + ((id * 7 + s * 3) % 9), airDate: addDays(first, i * 365), intervalDays: 7 };
    }),
    specials,
  };
}

/** The generated (non-overridden) movie for an id, or null when it does not exist. */
export function movieSpecFor(id: number): MovieSpec | null {
  if (!isGeneratedId(id)) return null;
  return { title: `Movie ${id}`, runtime: 90 + (id % 60), releaseDate: addDays("1980-01-01", (id * 37) % 16_000) };
}

export function episodeIdFor(showId: number, season: number, episode: number): number {
  return showId * 1_000_000 + season * 20_000 + episode;
}

export function seasonIdFor(showId: number, season: number): number {
  return showId * 100 + season;
}

/** tvdb id convention understood by /find: "9" followed by the show id (1399 -> "91399"). */
export function tvdbIdFor(showId: number): string {
  return `9${showId}`;
}

/** imdb id convention understood by /find: "tt" + show id padded to 7 digits (1399 -> "tt0001399"). */
export function imdbIdFor(showId: number): string {
  return `tt${String(showId).padStart(7, "0")}`;
}

/** Inverse of the tvdb/imdb conventions (does not check that the show exists). */
export function showIdFromExternalConvention(source: "tvdb_id" | "imdb_id", externalId: string): number | null {
  const m = source === "tvdb_id" ? /^9([1-9]\d*)$/.exec(externalId) : /^tt(\d{7,})$/.exec(externalId);
  if (!m) return null;
  const id = Number(m[1]);
  if (!Number.isSafeInteger(id) || id < 1) return null;
  const canonical = source === "tvdb_id" ? tvdbIdFor(id) : imdbIdFor(id);
  return canonical === externalId ? id : null;
}

/** tvdb EPISODE id convention understood by /find: "8" followed by the TMDB episode id (never a show's "9..."). */
export function tvdbEpisodeIdFor(showId: number, season: number, episode: number): string {
  return `8${episodeIdFor(showId, season, episode)}`;
}

/** imdb EPISODE id convention: "tt0" + the TMDB episode id (8+ digits after "tt": never a show's padded 7). */
export function imdbEpisodeIdFor(showId: number, season: number, episode: number): string {
  return `tt0${episodeIdFor(showId, season, episode)}`;
}

/** Inverse of the episode conventions (does not check that the episode exists). */
export function episodeFromExternalConvention(
  source: "tvdb_id" | "imdb_id",
  externalId: string,
): { showId: number; season: number; episode: number } | null {
  const m = source === "tvdb_id" ? /^8([1-9]\d*)$/.exec(externalId) : /^tt0([1-9]\d{6,})$/.exec(externalId);
  if (!m) return null;
  const id = Number(m[1]);
  if (!Number.isSafeInteger(id)) return null;
  const showId = Math.floor(id / 1_000_000);
  const season = Math.floor((id % 1_000_000) / 20_000);
  const episode = id % 20_000;
  if (showId < 1 || episode < 1) return null;
  return episodeIdFor(showId, season, episode) === id ? { showId, season, episode } : null;
}

// ------------------------------------------------------------------------------------- spec helpers

export function specialsOf(show: ShowSpec): SeasonSpec | null {
  const sp = show.specials;
  if (sp === undefined || sp === null) return null;
  const season: SeasonSpec = typeof sp === "number" ? { episodes: sp } : sp;
  return season.episodes > 0 ? season : null;
}

/** season 0 = specials, 1..n regular; null when the show has no such season */
export function seasonSpecOf(show: ShowSpec, seasonNumber: number): SeasonSpec | null {
  if (seasonNumber === 0) return specialsOf(show);
  if (!Number.isInteger(seasonNumber) || seasonNumber < 1) return null;
  return show.seasons[seasonNumber - 1] ?? null;
}

/** air date of an episode (1-based) as a day number, or null when unknown */
function episodeAirDay(season: SeasonSpec, episode: number): number | null {
  if (season.airDates) {
    const d = season.airDates[episode - 1];
    return d ? dayNumber(d) : null;
  }
  if (!season.airDate) return null;
  return dayNumber(season.airDate) + (episode - 1) * (season.intervalDays ?? 7);
}

export function episodeAirDate(season: SeasonSpec, episode: number): string | null {
  const day = episodeAirDay(season, episode);
  return day === null ? null : dateFromDayNumber(day);
}

/** every episode's air date of a season (index 0 = episode 1) */
export function seasonAirDates(season: SeasonSpec): (string | null)[] {
  return Array.from({ length: season.episodes }, (_, i) => episodeAirDate(season, i + 1));
}

/** a season's air_date: its first known episode air date */
function seasonFirstDay(season: SeasonSpec): number | null {
  if (!season.airDates) return season.episodes > 0 ? episodeAirDay(season, 1) : season.airDate ? dayNumber(season.airDate) : null;
  for (let e = 1; e <= season.episodes; e++) {
    const d = episodeAirDay(season, e);
    if (d !== null) return d;
  }
  return null;
}

function seasonMinDay(season: SeasonSpec): number | null {
  if (season.episodes === 0) return null;
  if (!season.airDates) {
    const first = episodeAirDay(season, 1);
    if (first === null) return null;
    const last = episodeAirDay(season, season.episodes) ?? first;
    return Math.min(first, last);
  }
  let min: number | null = null;
  for (let e = 1; e <= season.episodes; e++) {
    const d = episodeAirDay(season, e);
    if (d !== null && (min === null || d < min)) min = d;
  }
  return min;
}

export function firstAirDateOf(show: ShowSpec): string | null {
  if (show.firstAirDate) return show.firstAirDate;
  let min: number | null = null;
  for (const season of show.seasons) {
    const d = seasonMinDay(season);
    if (d !== null && (min === null || d < min)) min = d;
  }
  return min === null ? null : dateFromDayNumber(min);
}

export interface EpisodeRef {
  season: number;
  episode: number;
  airDate: string;
}

export interface ShowSummary {
  status: string;
  inProduction: boolean;
  firstAirDate: string | null;
  lastAirDate: string | null;
  numberOfSeasons: number;
  numberOfEpisodes: number;
  /** latest episode (incl. specials) with air date <= today */
  lastEpisode: EpisodeRef | null;
  /** earliest episode (incl. specials) with air date > today */
  nextEpisode: EpisodeRef | null;
}

/**
 * Derived series-level facts. An episode counts as aired when its air date is <= today; the next
 * episode is the earliest one airing after today (ties broken by season then episode number).
 */
export function summarizeShow(show: ShowSpec, today: string): ShowSummary {
  const todayDay = dayNumber(today);
  let last: { day: number; season: number; episode: number } | null = null;
  let next: { day: number; season: number; episode: number } | null = null;
  let hasUnknown = false;
  const all: [number, SeasonSpec][] = show.seasons.map((s, i) => [i + 1, s]);
  const sp = specialsOf(show);
  if (sp) all.unshift([0, sp]);
  for (const [seasonNumber, season] of all) {
    for (let e = 1; e <= season.episodes; e++) {
      const day = episodeAirDay(season, e);
      if (day === null) {
        if (seasonNumber > 0) hasUnknown = true;
        continue;
      }
      if (day <= todayDay) {
        if (
          !last ||
          day > last.day ||
          (day === last.day && (seasonNumber > last.season || (seasonNumber === last.season && e > last.episode)))
        ) {
          last = { day, season: seasonNumber, episode: e };
        }
      } else if (
        !next ||
        day < next.day ||
        (day === next.day && (seasonNumber < next.season || (seasonNumber === next.season && e < next.episode)))
      ) {
        next = { day, season: seasonNumber, episode: e };
      }
    }
  }
  const status = show.status ?? (next || hasUnknown ? "Returning Series" : "Ended");
  const inProduction = show.inProduction ?? ["Returning Series", "In Production", "Planned", "Pilot"].includes(status);
  const ref = (x: { day: number; season: number; episode: number } | null): EpisodeRef | null =>
    x ? { season: x.season, episode: x.episode, airDate: dateFromDayNumber(x.day) } : null;
  return {
    status,
    inProduction,
    firstAirDate: firstAirDateOf(show),
    lastAirDate: last ? dateFromDayNumber(last.day) : null,
    numberOfSeasons: show.seasons.length,
    numberOfEpisodes: show.seasons.reduce((n, s) => n + s.episodes, 0),
    lastEpisode: ref(last),
    nextEpisode: ref(next),
  };
}

// ------------------------------------------------------------------------------ TMDB-shaped objects

export interface TmdbCrewMember {
  department: string;
  job: string;
  credit_id: string;
  adult: boolean;
  gender: number;
  id: number;
  known_for_department: string;
  name: string;
  original_name: string;
  popularity: number;
  profile_path: string | null;
}

export interface TmdbGuestStar {
  character: string;
  credit_id: string;
  order: number;
  adult: boolean;
  gender: number;
  id: number;
  known_for_department: string;
  name: string;
  original_name: string;
  popularity: number;
  profile_path: string | null;
}

/** an episode inside season details */
export interface TmdbSeasonEpisode {
  air_date: string | null;
  episode_number: number;
  episode_type: string;
  id: number;
  name: string;
  overview: string;
  production_code: string;
  runtime: number | null;
  season_number: number;
  show_id: number;
  still_path: string | null;
  vote_average: number;
  vote_count: number;
  crew: TmdbCrewMember[];
  guest_stars: TmdbGuestStar[];
}

/** GET /tv/{id}/season/{n}/episode/{e} (same field set as the fixture) */
export interface TmdbEpisodeDetails {
  air_date: string | null;
  crew: TmdbCrewMember[];
  episode_number: number;
  guest_stars: TmdbGuestStar[];
  name: string;
  overview: string;
  id: number;
  production_code: string;
  runtime: number | null;
  season_number: number;
  still_path: string | null;
  vote_average: number;
  vote_count: number;
}

export interface TmdbNetwork {
  id: number;
  logo_path: string | null;
  name: string;
  origin_country: string;
}

export interface TmdbSeasonDetails {
  _id: string;
  air_date: string | null;
  episodes: TmdbSeasonEpisode[];
  name: string;
  networks: TmdbNetwork[];
  overview: string;
  id: number;
  poster_path: string | null;
  season_number: number;
  vote_average: number;
}

export interface TmdbSeasonSummary {
  air_date: string | null;
  episode_count: number;
  id: number;
  name: string;
  overview: string;
  poster_path: string | null;
  season_number: number;
  vote_average: number;
}

/** last_episode_to_air / next_episode_to_air */
export interface TmdbEpisodeToAir {
  id: number;
  name: string;
  overview: string;
  vote_average: number;
  vote_count: number;
  air_date: string | null;
  episode_number: number;
  production_code: string;
  runtime: number | null;
  season_number: number;
  show_id: number;
  still_path: string | null;
}

export interface TmdbShowDetails {
  adult: boolean;
  backdrop_path: string | null;
  created_by: { id: number; credit_id: string; name: string; gender: number; profile_path: string | null }[];
  episode_run_time: number[];
  first_air_date: string | null;
  genres: { id: number; name: string }[];
  homepage: string;
  id: number;
  in_production: boolean;
  languages: string[];
  last_air_date: string | null;
  last_episode_to_air: TmdbEpisodeToAir | null;
  name: string;
  next_episode_to_air: TmdbEpisodeToAir | null;
  networks: TmdbNetwork[];
  number_of_episodes: number;
  number_of_seasons: number;
  origin_country: string[];
  original_language: string;
  original_name: string;
  overview: string;
  popularity: number;
  poster_path: string | null;
  production_companies: { id: number; logo_path: string | null; name: string; origin_country: string }[];
  production_countries: { iso_3166_1: string; name: string }[];
  seasons: TmdbSeasonSummary[];
  spoken_languages: { english_name: string; iso_639_1: string; name: string }[];
  status: string;
  tagline: string;
  type: string;
  vote_average: number;
  vote_count: number;
}

export interface TmdbTvResult {
  adult: boolean;
  backdrop_path: string | null;
  genre_ids: number[];
  id: number;
  origin_country: string[];
  original_language: string;
  original_name: string;
  overview: string;
  popularity: number;
  poster_path: string | null;
  first_air_date: string;
  name: string;
  vote_average: number;
  vote_count: number;
}

export interface TmdbMovieDetails {
  adult: boolean;
  backdrop_path: string | null;
  belongs_to_collection: null;
  budget: number;
  genres: { id: number; name: string }[];
  homepage: string;
  id: number;
  imdb_id: string;
  origin_country: string[];
  original_language: string;
  original_title: string;
  overview: string;
  popularity: number;
  poster_path: string | null;
  production_companies: { id: number; logo_path: string | null; name: string; origin_country: string }[];
  production_countries: { iso_3166_1: string; name: string }[];
  release_date: string | null;
  revenue: number;
  runtime: number | null;
  spoken_languages: { english_name: string; iso_639_1: string; name: string }[];
  status: string;
  tagline: string;
  title: string;
  video: boolean;
  vote_average: number;
  vote_count: number;
}

/** 24 hex chars, like TMDB's object ids; deterministic from the numbers */
function objectId(...parts: number[]): string {
  return parts
    .concat([0, 0, 0])
    .slice(0, 3)
    .map((n) => (Math.abs(Math.trunc(n)) % 0x1_0000_0000).toString(16).padStart(8, "0"))
    .join("");
}

const NETWORKS: TmdbNetwork[] = [
  { id: 49, logo_path: "/tuomPhY2UtuPTqqFnKMVHvSb724.png", name: "HBO", origin_country: "US" },
  { id: 213, logo_path: "/wwemzKWzjKYJFfCeiB57q3r4Bcm.png", name: "Netflix", origin_country: "" },
  { id: 6, logo_path: "/cm111bsDVlYaC1foL0itvEI4yLG.png", name: "NBC", origin_country: "US" },
  { id: 4, logo_path: "/mVn7xESaTNmjBUyUtGNvDQd3CT1.png", name: "BBC One", origin_country: "GB" },
];
const GENRES = [
  { id: 18, name: "Drama" },
  { id: 35, name: "Comedy" },
  { id: 80, name: "Crime" },
  { id: 10765, name: "Sci-Fi & Fantasy" },
  { id: 10759, name: "Action & Adventure" },
];

function networksFor(showId: number): TmdbNetwork[] {
  return [{ ...NETWORKS[showId % NETWORKS.length] }];
}

function genresFor(showId: number): { id: number; name: string }[] {
  const a = GENRES[showId % GENRES.length];
  const b = GENRES[(showId + 2) % GENRES.length];
  return [{ ...a }, { ...b }];
}

function defaultRuntime(showId: number, season: number, episode: number): number {
  return 40 + ((showId + season * 7 + episode * 13) % 21);
}

function crewFor(showId: number, season: number, episode: number): TmdbCrewMember[] {
  const base = 5_000_000 + ((showId * 31 + season * 7 + episode) % 100_000) * 2;
  return [
    {
      department: "Directing",
      job: "Director",
      credit_id: objectId(showId, season * 100_000 + episode, 1),
      adult: false,
      gender: 2,
      id: base,
      known_for_department: "Directing",
      name: `Director ${base}`,
      original_name: `Director ${base}`,
      popularity: 1.5,
      profile_path: null,
    },
    {
      department: "Writing",
      job: "Writer",
      credit_id: objectId(showId, season * 100_000 + episode, 2),
      adult: false,
      gender: 1,
      id: base + 1,
      known_for_department: "Writing",
      name: `Writer ${base + 1}`,
      original_name: `Writer ${base + 1}`,
      popularity: 0.9,
      profile_path: `/writer-${base + 1}.jpg`,
    },
  ];
}

function guestStarsFor(showId: number, season: number, episode: number): TmdbGuestStar[] {
  const base = 7_000_000 + ((showId * 17 + season * 5 + episode * 3) % 100_000) * 2;
  return [0, 1].map((k) => ({
    character: `Guest Character ${k + 1}`,
    credit_id: objectId(showId, season * 100_000 + episode, 3 + k),
    order: 50 + k,
    adult: false,
    gender: 1 + k,
    id: base + k,
    known_for_department: "Acting",
    name: `Actor ${base + k}`,
    original_name: `Actor ${base + k}`,
    popularity: 2.25 + k,
    profile_path: k === 0 ? `/actor-${base}.jpg` : null,
  }));
}

export function seasonName(seasonNumber: number): string {
  return seasonNumber === 0 ? "Specials" : `Season ${seasonNumber}`;
}

export function episodeName(show: ShowSpec, season: SeasonSpec, seasonNumber: number, episode: number): string {
  return season.names?.[episode - 1] ?? `S${seasonNumber}E${episode} of ${show.name}`;
}

/** One episode as it appears in season details. `season` must be the show's season `seasonNumber`. */
export function buildSeasonEpisode(
  showId: number,
  show: ShowSpec,
  seasonNumber: number,
  season: SeasonSpec,
  episode: number,
): TmdbSeasonEpisode {
  const id = episodeIdFor(showId, seasonNumber, episode);
  return {
    air_date: episodeAirDate(season, episode),
    episode_number: episode,
    episode_type: seasonNumber > 0 && episode === season.episodes ? "finale" : "standard",
    id,
    name: episodeName(show, season, seasonNumber, episode),
    overview: `Episode ${episode} of season ${seasonNumber} of ${show.name}.`,
    production_code: `${seasonNumber}${String(episode).padStart(2, "0")}`,
    runtime: season.runtime === undefined ? defaultRuntime(showId, seasonNumber, episode) : season.runtime,
    season_number: seasonNumber,
    show_id: showId,
    still_path: `/still-${id}.jpg`,
    vote_average: 5 + ((showId + seasonNumber * 3 + episode) % 50) / 10,
    vote_count: (showId + episode * 7) % 500,
    crew: crewFor(showId, seasonNumber, episode),
    guest_stars: guestStarsFor(showId, seasonNumber, episode),
  };
}

/** GET /tv/{id}/season/{n}; null when the show has no such season */
export function buildSeasonDetails(showId: number, show: ShowSpec, seasonNumber: number): TmdbSeasonDetails | null {
  const season = seasonSpecOf(show, seasonNumber);
  if (!season) return null;
  const first = seasonFirstDay(season);
  const episodes: TmdbSeasonEpisode[] = new Array(season.episodes);
  for (let e = 1; e <= season.episodes; e++) episodes[e - 1] = buildSeasonEpisode(showId, show, seasonNumber, season, e);
  return {
    _id: objectId(showId, seasonNumber, 0x5ea5),
    air_date: first === null ? null : dateFromDayNumber(first),
    episodes,
    name: seasonName(seasonNumber),
    networks: networksFor(showId),
    overview: seasonNumber === 0 ? "" : `Season ${seasonNumber} of ${show.name}.`,
    id: seasonIdFor(showId, seasonNumber),
    poster_path: `/season-${seasonIdFor(showId, seasonNumber)}.jpg`,
    season_number: seasonNumber,
    vote_average: seasonNumber === 0 ? 0 : 6 + ((showId + seasonNumber) % 40) / 10,
  };
}

/** GET /tv/{id}/season/{n}/episode/{e}; null when it does not exist */
export function buildEpisodeDetails(showId: number, show: ShowSpec, seasonNumber: number, episode: number): TmdbEpisodeDetails | null {
  const season = seasonSpecOf(show, seasonNumber);
  if (!season || !Number.isInteger(episode) || episode < 1 || episode > season.episodes) return null;
  const ep = buildSeasonEpisode(showId, show, seasonNumber, season, episode);
  return {
    air_date: ep.air_date,
    crew: ep.crew,
    episode_number: ep.episode_number,
    guest_stars: ep.guest_stars,
    name: ep.name,
    overview: ep.overview,
    id: ep.id,
    production_code: ep.production_code,
    runtime: ep.runtime,
    season_number: ep.season_number,
    still_path: ep.still_path,
    vote_average: ep.vote_average,
    vote_count: ep.vote_count,
  };
}

function episodeToAir(showId: number, show: ShowSpec, ref: EpisodeRef | null): TmdbEpisodeToAir | null {
  if (!ref) return null;
  const season = seasonSpecOf(show, ref.season);
  if (!season) return null;
  const ep = buildSeasonEpisode(showId, show, ref.season, season, ref.episode);
  return {
    id: ep.id,
    name: ep.name,
    overview: ep.overview,
    vote_average: ep.vote_average,
    vote_count: ep.vote_count,
    air_date: ep.air_date,
    episode_number: ep.episode_number,
    production_code: ep.production_code,
    runtime: ep.runtime,
    season_number: ep.season_number,
    show_id: ep.show_id,
    still_path: ep.still_path,
  };
}

export function buildSeasonSummaries(showId: number, show: ShowSpec): TmdbSeasonSummary[] {
  const list: [number, SeasonSpec][] = show.seasons.map((s, i) => [i + 1, s]);
  const sp = specialsOf(show);
  if (sp) list.unshift([0, sp]);
  return list.map(([n, season]) => {
    const first = seasonFirstDay(season);
    return {
      air_date: first === null ? null : dateFromDayNumber(first),
      episode_count: season.episodes,
      id: seasonIdFor(showId, n),
      name: seasonName(n),
      overview: n === 0 ? "" : `Season ${n} of ${show.name}.`,
      poster_path: `/season-${seasonIdFor(showId, n)}.jpg`,
      season_number: n,
      vote_average: n === 0 ? 0 : 6 + ((showId + n) % 40) / 10,
    };
  });
}

/** GET /tv/{id} (without append_to_response) */
export function buildShowDetails(
  showId: number,
  show: ShowSpec,
  today: string,
  summary: ShowSummary = summarizeShow(show, today),
): TmdbShowDetails {
  const runtime = defaultRuntime(showId, 1, 1);
  return {
    adult: false,
    backdrop_path: `/backdrop-${showId}.jpg`,
    created_by: [
      {
        id: 9_000_000 + (showId % 100_000),
        credit_id: objectId(showId, 0xc0, 0xde),
        name: `Creator of ${show.name}`,
        gender: 2,
        profile_path: null,
      },
    ],
    episode_run_time: [runtime],
    first_air_date: summary.firstAirDate,
    genres: genresFor(showId),
    homepage: `https://example.com/tv/${showId}`,
    id: showId,
    in_production: summary.inProduction,
    languages: ["en"],
    last_air_date: summary.lastAirDate,
    last_episode_to_air: episodeToAir(showId, show, summary.lastEpisode),
    name: show.name,
    next_episode_to_air: episodeToAir(showId, show, summary.nextEpisode),
    networks: networksFor(showId),
    number_of_episodes: summary.numberOfEpisodes,
    number_of_seasons: summary.numberOfSeasons,
    origin_country: show.originCountry ?? [],
    original_language: "en",
    original_name: show.name,
    overview: `Overview of ${show.name}.`,
    popularity: popularityOf(showId),
    poster_path: `/poster-${showId}.jpg`,
    production_companies: [{ id: 10_000 + (showId % 1000), logo_path: null, name: `Studio ${showId % 1000}`, origin_country: "US" }],
    production_countries: [{ iso_3166_1: "US", name: "United States of America" }],
    seasons: buildSeasonSummaries(showId, show),
    spoken_languages: [{ english_name: "English", iso_639_1: "en", name: "English" }],
    status: summary.status,
    tagline: "",
    type: "Scripted",
    vote_average: 5 + (showId % 45) / 10,
    vote_count: showId % 10_000,
  };
}

function popularityOf(id: number): number {
  return Math.round(((id * 7919) % 100_000) / 10) / 100;
}

/** an entry of /search/tv results (and, with media_type "tv", of /find tv_results) */
export function buildTvResult(showId: number, show: ShowSpec): TmdbTvResult {
  return {
    adult: false,
    backdrop_path: `/backdrop-${showId}.jpg`,
    genre_ids: genresFor(showId).map((g) => g.id),
    id: showId,
    origin_country: show.originCountry ?? [],
    original_language: "en",
    original_name: show.name,
    overview: `Overview of ${show.name}.`,
    popularity: popularityOf(showId),
    poster_path: `/poster-${showId}.jpg`,
    first_air_date: firstAirDateOf(show) ?? "",
    name: show.name,
    vote_average: 5 + (showId % 45) / 10,
    vote_count: showId % 10_000,
  };
}

/** GET /movie/{id} */
export function buildMovieDetails(movieId: number, movie: MovieSpec, today: string): TmdbMovieDetails {
  const status = movie.releaseDate === null ? "Planned" : movie.releaseDate <= today ? "Released" : "Post Production";
  return {
    adult: false,
    backdrop_path: `/movie-backdrop-${movieId}.jpg`,
    belongs_to_collection: null,
    budget: (movieId % 100) * 1_000_000,
    genres: genresFor(movieId),
    homepage: "",
    id: movieId,
    imdb_id: imdbIdFor(movieId),
    origin_country: ["US"],
    original_language: "en",
    original_title: movie.title,
    overview: `Overview of ${movie.title}.`,
    popularity: popularityOf(movieId),
    poster_path: `/movie-poster-${movieId}.jpg`,
    production_companies: [{ id: 20_000 + (movieId % 1000), logo_path: null, name: `Studio ${movieId % 1000}`, origin_country: "US" }],
    production_countries: [{ iso_3166_1: "US", name: "United States of America" }],
    release_date: movie.releaseDate,
    revenue: (movieId % 100) * 3_000_000,
    runtime: movie.runtime,
    spoken_languages: [{ english_name: "English", iso_639_1: "en", name: "English" }],
    status,
    tagline: "",
    title: movie.title,
    video: false,
    vote_average: 5 + (movieId % 45) / 10,
    vote_count: movieId % 10_000,
  };
}

/** GET /tv/{id}/external_ids */
export function buildExternalIds(showId: number, ids: { imdb_id: string | null; tvdb_id: number | null }) {
  return {
    id: showId,
    imdb_id: ids.imdb_id,
    freebase_mid: null,
    freebase_id: null,
    tvdb_id: ids.tvdb_id,
    tvrage_id: null,
    wikidata_id: null,
    facebook_id: null,
    instagram_id: null,
    twitter_id: null,
  };
}
