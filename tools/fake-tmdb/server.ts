/**
 * A fake TMDB v3 HTTP server (node:http only) with an in-process control handle and `/__control/...`
 * HTTP routes for out-of-process control. See README.md.
 */
import { isDefaultLanguage, translateTvBody } from "./translations";
import * as http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import {
  MAX_EPISODES_PER_SEASON,
  MAX_SEASON_NUMBER,
  MAX_SHOW_ID,
  type MovieSpec,
  type SeasonSpec,
  type ShowSpec,
  type ShowSummary,
  BUILTIN_SHOW_IDS,
  addDays,
  buildEpisodeDetails,
  buildExternalIds,
  buildMovieDetails,
  buildSeasonDetails,
  buildShowDetails,
  buildSeasonEpisode,
  buildTvResult,
  dayNumber,
  episodeFromExternalConvention,
  imdbIdFor,
  isValidDate,
  movieSpecFor,
  seasonSpecOf,
  showIdFromExternalConvention,
  showSpecFor,
  summarizeShow,
  tvdbIdFor,
  utcToday,
} from "./catalog";

export type { MovieSpec, SeasonSpec, ShowSpec } from "./catalog";

export interface FakeTmdbOptions {
  /** 0 = random */
  port?: number;
  /** default "fake-tmdb-key" */
  apiKey?: string;
  /** default "fake-tmdb-read-token" */
  readToken?: string;
  /** default 0 */
  latencyMs?: number;
  /** default 0 = off */
  rateLimitPerSecond?: number;
  /** YYYY-MM-DD, default = the real current UTC date (evaluated per request) */
  today?: string;
}

export type FaultKind = "429" | "500" | "503" | "timeout" | "reset" | "malformed";
export const FAULT_KINDS: readonly FaultKind[] = ["429", "500", "503", "timeout", "reset", "malformed"];

export interface FaultRule {
  /** substring matched against the path (e.g. "/tv/77/season/2"); default: every path */
  path?: string;
  kind: FaultKind;
  /** fail the next N matching requests (default: forever; with `nth`: N requests starting at the nth) */
  times?: number;
  /** fail only the nth matching request (1-based) */
  nth?: number;
  /** for 429, default 1 */
  retryAfterSeconds?: number;
  /** extra delay before the fault is delivered */
  latencyMs?: number;
}

export interface FakeTmdbStats {
  total: number;
  byPath: Record<string, number>;
}

export interface RequestLogEntry {
  path: string;
  query: Record<string, string>;
  at: number;
}

export type ExternalSource = "tvdb_id" | "imdb_id";

export interface FakeTmdbController {
  stats(prefix?: string): Promise<FakeTmdbStats>;
  requests(prefix?: string): Promise<RequestLogEntry[]>;
  /**
   * Resolves with the first request whose path starts with `prefix`, already received or the next to
   * arrive; rejects after `timeoutMs`. Lets a test act at the moment a function reaches TMDB (e.g. kill
   * its worker while the request hangs) without polling.
   */
  waitForRequest(prefix: string, timeoutMs?: number): Promise<RequestLogEntry>;
  reset(): Promise<void>;
  setLatency(ms: number): Promise<void>;
  addFault(rule: FaultRule): Promise<void>;
  clearFaults(): Promise<void>;
  setShow(id: number, spec: ShowSpec | null): Promise<void>;
  setMovie(id: number, spec: MovieSpec | null): Promise<void>;
  setChanges(ids: number[]): Promise<void>;
  setExternalId(source: ExternalSource, externalId: string, showId: number | null): Promise<void>;
}

export interface FakeTmdb extends FakeTmdbController {
  /** "http://127.0.0.1:<port>/3" */
  url: string;
  port: number;
  close(): Promise<void>;
}

export const DEFAULT_API_KEY = "fake-tmdb-key";
export const DEFAULT_READ_TOKEN = "fake-tmdb-read-token";
/** requests log cap (oldest entries dropped) */
export const MAX_LOGGED_REQUESTS = 200_000;
export const MAX_APPEND_TO_RESPONSE = 20;
export const CHANGES_PAGE_SIZE = 100;
export const SEARCH_PAGE_SIZE = 20;
/** generated shows searched by /search/tv (plus the built-in ids and every setShow override) */
export const SEARCHABLE_GENERATED_IDS = 1000;

type Body = unknown;
interface TmdbError {
  success: false;
  status_code: number;
  status_message: string;
}
const tmdbError = (status_code: number, status_message: string): TmdbError => ({ success: false, status_code, status_message });

export const ERRORS = {
  invalidKey: tmdbError(7, "Invalid API key: You must be granted a valid key."),
  notFound: tmdbError(34, "The resource you requested could not be found."),
  tooManyAppends: tmdbError(27, "Too many append to response objects: The maximum number of remote calls is 20."),
  invalidParameters: tmdbError(5, "Invalid parameters: Your request parameters are incorrect."),
  invalidPage: tmdbError(22, "Invalid page: Pages start at 1 and max at 500. They are expected to be an integer."),
  internal: tmdbError(11, "Internal error: Something went wrong, contact TMDb."),
  unavailable: tmdbError(9, "Service offline: This service is temporarily offline, try again later."),
  rateLimited: (limit: number) => tmdbError(25, `Your request count (#) is over the allowed limit of (${limit}).`),
};

// ------------------------------------------------------------------------------------ validation

class ValidationError extends Error {}

function fail(message: string): never {
  throw new ValidationError(message);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function checkId(id: unknown, what = "id"): number {
  if (typeof id !== "number" || !Number.isSafeInteger(id) || id < 1 || id > MAX_SHOW_ID)
    fail(`${what} must be an integer in 1..${MAX_SHOW_ID}`);
  return id;
}

function checkNonNegInt(v: unknown, what: string, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0 || v > max) fail(`${what} must be an integer in 0..${max}`);
  return v;
}

function checkSeason(v: unknown, what: string): SeasonSpec {
  if (!isRecord(v)) fail(`${what} must be an object`);
  checkNonNegInt(v.episodes, `${what}.episodes`, MAX_EPISODES_PER_SEASON);
  if (v.airDate !== undefined && v.airDate !== null && !isValidDate(v.airDate)) fail(`${what}.airDate must be YYYY-MM-DD or null`);
  if (v.intervalDays !== undefined && (typeof v.intervalDays !== "number" || !Number.isSafeInteger(v.intervalDays)))
    fail(`${what}.intervalDays must be an integer`);
  if (v.airDates !== undefined) {
    if (!Array.isArray(v.airDates)) fail(`${what}.airDates must be an array`);
    v.airDates.forEach((d, i) => {
      if (d !== null && !isValidDate(d)) fail(`${what}.airDates[${i}] must be YYYY-MM-DD or null`);
    });
  }
  if (v.names !== undefined) {
    if (!Array.isArray(v.names)) fail(`${what}.names must be an array`);
    v.names.forEach((n, i) => {
      if (n !== null && typeof n !== "string") fail(`${what}.names[${i}] must be a string or null`);
    });
  }
  if (v.runtime !== undefined && v.runtime !== null) checkNonNegInt(v.runtime, `${what}.runtime`);
  return v as unknown as SeasonSpec;
}

export function validateShowSpec(v: unknown): ShowSpec {
  if (!isRecord(v)) fail("show spec must be an object or null");
  if (typeof v.name !== "string") fail("show.name must be a string");
  if (v.status !== undefined && typeof v.status !== "string") fail("show.status must be a string");
  if (v.inProduction !== undefined && typeof v.inProduction !== "boolean") fail("show.inProduction must be a boolean");
  if (v.firstAirDate !== undefined && !isValidDate(v.firstAirDate)) fail("show.firstAirDate must be YYYY-MM-DD");
  if (!Array.isArray(v.seasons)) fail("show.seasons must be an array");
  if (v.seasons.length > MAX_SEASON_NUMBER) fail(`a show has at most ${MAX_SEASON_NUMBER} regular seasons`);
  v.seasons.forEach((s, i) => checkSeason(s, `show.seasons[${i}]`));
  if (v.specials !== undefined && v.specials !== null) {
    if (typeof v.specials === "number") checkNonNegInt(v.specials, "show.specials", MAX_EPISODES_PER_SEASON);
    else checkSeason(v.specials, "show.specials");
  }
  if (v.originCountry !== undefined && (!Array.isArray(v.originCountry) || v.originCountry.some((c) => typeof c !== "string")))
    fail("show.originCountry must be an array of strings");
  if (v.translations !== undefined && !isRecord(v.translations)) fail("show.translations must be an object");
  return v as unknown as ShowSpec;
}

export function validateMovieSpec(v: unknown): MovieSpec {
  if (!isRecord(v)) fail("movie spec must be an object or null");
  if (typeof v.title !== "string") fail("movie.title must be a string");
  if (v.runtime !== null) checkNonNegInt(v.runtime, "movie.runtime");
  if (v.releaseDate !== null && !isValidDate(v.releaseDate)) fail("movie.releaseDate must be YYYY-MM-DD or null");
  return v as unknown as MovieSpec;
}

export function validateFaultRule(v: unknown): FaultRule {
  if (!isRecord(v)) fail("fault rule must be an object");
  if (typeof v.kind !== "string" || !(FAULT_KINDS as readonly string[]).includes(v.kind))
    fail(`fault.kind must be one of ${FAULT_KINDS.join(", ")}`);
  if (v.path !== undefined && typeof v.path !== "string") fail("fault.path must be a string");
  if (v.times !== undefined) checkNonNegInt(v.times, "fault.times");
  if (v.nth !== undefined && checkNonNegInt(v.nth, "fault.nth") < 1) fail("fault.nth is 1-based");
  if (v.retryAfterSeconds !== undefined) checkNonNegInt(v.retryAfterSeconds, "fault.retryAfterSeconds");
  if (v.latencyMs !== undefined) checkNonNegInt(v.latencyMs, "fault.latencyMs");
  return v as unknown as FaultRule;
}

function deepCopy<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

// ------------------------------------------------------------------------------------------ state

interface ActiveFault {
  rule: FaultRule;
  /** matching requests seen so far */
  seen: number;
}

interface Reply {
  status: number;
  body: Body;
  headers?: Record<string, string>;
}

class FakeTmdbState implements FakeTmdbController {
  latencyMs: number;
  total = 0;
  counts = new Map<string, number>();
  log: RequestLogEntry[] = [];
  faults: ActiveFault[] = [];
  shows = new Map<number, ShowSpec | null>();
  movies = new Map<number, MovieSpec | null>();
  changes: number[] = [];
  externalIds = new Map<string, number | null>();
  /** accepted request timestamps in the rate-limit window */
  window: number[] = [];
  private summaries = new Map<string, ShowSummary>();

  constructor(
    readonly startLatencyMs: number,
    readonly fixedToday: string | undefined,
  ) {
    this.latencyMs = startLatencyMs;
  }

  today(): string {
    return this.fixedToday ?? utcToday();
  }

  // ---- controller (validated, async to match the HTTP client)
  async stats(prefix?: string): Promise<FakeTmdbStats> {
    const byPath: Record<string, number> = {};
    let total = 0;
    for (const [path, n] of [...this.counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (prefix && !path.startsWith(prefix)) continue;
      byPath[path] = n;
      total += n;
    }
    return { total: prefix ? total : this.total, byPath };
  }

  private requestWaiters: Array<{ prefix: string; resolve: (entry: RequestLogEntry) => void }> = [];

  waitForRequest(prefix: string, timeoutMs = 60_000): Promise<RequestLogEntry> {
    const seen = this.log.find((r) => r.path.startsWith(prefix));
    if (seen) return Promise.resolve({ ...seen, query: { ...seen.query } });
    return new Promise((resolve, reject) => {
      const waiter = {
        prefix,
        resolve: (entry: RequestLogEntry) => {
          clearTimeout(timer);
          resolve(entry);
        },
      };
      const timer = setTimeout(() => {
        this.requestWaiters = this.requestWaiters.filter((w) => w !== waiter);
        reject(new Error(`no request for ${prefix} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.requestWaiters.push(waiter);
    });
  }

  async requests(prefix?: string): Promise<RequestLogEntry[]> {
    return this.log.filter((r) => !prefix || r.path.startsWith(prefix)).map((r) => ({ ...r, query: { ...r.query } }));
  }

  async reset(): Promise<void> {
    this.latencyMs = this.startLatencyMs;
    this.total = 0;
    this.counts.clear();
    this.log = [];
    this.faults = [];
    this.shows.clear();
    this.movies.clear();
    this.changes = [];
    this.externalIds.clear();
    this.window = [];
    this.summaries.clear();
  }

  async setLatency(ms: number): Promise<void> {
    this.latencyMs = checkNonNegInt(ms, "ms");
  }

  async addFault(rule: FaultRule): Promise<void> {
    this.faults.push({ rule: { ...validateFaultRule(rule) }, seen: 0 });
  }

  async clearFaults(): Promise<void> {
    this.faults = [];
  }

  async setShow(id: number, spec: ShowSpec | null): Promise<void> {
    checkId(id);
    this.shows.set(id, spec === null ? null : deepCopy(validateShowSpec(spec)));
    this.summaries.clear();
  }

  async setMovie(id: number, spec: MovieSpec | null): Promise<void> {
    checkId(id);
    this.movies.set(id, spec === null ? null : deepCopy(validateMovieSpec(spec)));
  }

  async setChanges(ids: number[]): Promise<void> {
    if (!Array.isArray(ids)) fail("ids must be an array");
    ids.forEach((id) => checkId(id, "ids[]"));
    this.changes = [...ids];
  }

  async setExternalId(source: ExternalSource, externalId: string, showId: number | null): Promise<void> {
    if (source !== "tvdb_id" && source !== "imdb_id") fail('source must be "tvdb_id" or "imdb_id"');
    if (typeof externalId !== "string" || externalId === "") fail("externalId must be a non-empty string");
    if (showId !== null) checkId(showId, "showId");
    this.externalIds.set(`${source}:${externalId}`, showId);
  }

  // ---- catalog lookups
  show(id: number): ShowSpec | null {
    if (this.shows.has(id)) return this.shows.get(id) ?? null;
    return showSpecFor(id);
  }

  movie(id: number): MovieSpec | null {
    if (this.movies.has(id)) return this.movies.get(id) ?? null;
    return movieSpecFor(id);
  }

  summary(id: number, show: ShowSpec, today: string): ShowSummary {
    const key = `${id}|${today}`;
    let s = this.summaries.get(key);
    if (!s) {
      if (this.summaries.size > 10_000) this.summaries.clear();
      s = summarizeShow(show, today);
      this.summaries.set(key, s);
    }
    return s;
  }

  findShow(source: ExternalSource, externalId: string): number | null {
    const key = `${source}:${externalId}`;
    const id = this.externalIds.has(key) ? (this.externalIds.get(key) ?? null) : showIdFromExternalConvention(source, externalId);
    return id !== null && this.show(id) ? id : null;
  }

  externalIdsOf(showId: number): { imdb_id: string | null; tvdb_id: number | null } {
    let imdb: string | null = imdbIdFor(showId);
    let tvdb: string | null = tvdbIdFor(showId);
    // a registration pointing the conventional id elsewhere (or to nothing) hides it
    if (this.externalIds.has(`imdb_id:${imdb}`) && this.externalIds.get(`imdb_id:${imdb}`) !== showId) imdb = null;
    if (this.externalIds.has(`tvdb_id:${tvdb}`) && this.externalIds.get(`tvdb_id:${tvdb}`) !== showId) tvdb = null;
    for (const [key, id] of this.externalIds) {
      if (id !== showId) continue;
      const [source, ext] = [key.slice(0, 7), key.slice(8)];
      if (source === "imdb_id") imdb = ext;
      else tvdb = ext;
    }
    const tvdbNum = tvdb !== null && /^\d+$/.test(tvdb) ? Number(tvdb) : null;
    return { imdb_id: imdb, tvdb_id: tvdbNum };
  }

  // ---- request bookkeeping
  record(path: string, query: Record<string, string>): void {
    this.total++;
    this.counts.set(path, (this.counts.get(path) ?? 0) + 1);
    const entry = { path, query, at: Date.now() };
    this.log.push(entry);
    const woken = this.requestWaiters.filter((w) => path.startsWith(w.prefix));
    this.requestWaiters = this.requestWaiters.filter((w) => !path.startsWith(w.prefix));
    for (const waiter of woken) waiter.resolve({ ...entry, query: { ...query } });
    if (this.log.length > MAX_LOGGED_REQUESTS) this.log.splice(0, this.log.length - MAX_LOGGED_REQUESTS);
  }

  /** advances every matching rule's counter; returns the first rule that fires */
  matchFault(path: string): FaultRule | null {
    let fired: FaultRule | null = null;
    for (const f of this.faults) {
      if (f.rule.path !== undefined && !path.includes(f.rule.path)) continue;
      f.seen++;
      const start = f.rule.nth ?? 1;
      const count = f.rule.times ?? (f.rule.nth !== undefined ? 1 : Infinity);
      if (!fired && f.seen >= start && f.seen < start + count) fired = f.rule;
    }
    return fired;
  }

  /** true when the request is within the limit (and counts it) */
  admit(limit: number, now: number): boolean {
    if (limit <= 0) return true;
    let drop = 0;
    while (drop < this.window.length && this.window[drop] <= now - 1000) drop++;
    if (drop) this.window.splice(0, drop);
    if (this.window.length >= limit) return false;
    this.window.push(now);
    return true;
  }
}

// ------------------------------------------------------------------------------------------ routes

const ok = (body: Body): Reply => ({ status: 200, body });
const notFound = (): Reply => ({ status: 404, body: ERRORS.notFound });
const badRequest = (body: TmdbError): Reply => ({ status: 400, body });

function parsePositiveInt(s: string): number | null {
  if (!/^\d{1,16}$/.test(s)) return null;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : null;
}

function parsePage(raw: string | undefined): number | null {
  if (raw === undefined || raw === "") return 1;
  const n = parsePositiveInt(raw);
  return n !== null && n >= 1 && n <= 500 ? n : null;
}

function paged<T>(items: T[], page: number, size: number) {
  return {
    page,
    results: items.slice((page - 1) * size, page * size),
    total_pages: Math.max(1, Math.ceil(items.length / size)),
    total_results: items.length,
  };
}

function route(state: FakeTmdbState, path: string, query: Record<string, string>): Reply {
  const seg = path.split("/").filter(Boolean);
  const today = state.today();

  if (seg[0] === "tv" && seg[1] === "changes" && seg.length === 2) return changes(state, query, today);

  if (seg[0] === "tv" && seg.length >= 2) {
    const id = parsePositiveInt(seg[1]);
    const show = id === null ? null : state.show(id);
    if (id === null || !show) return notFound();
    // `language=`: names as TMDB gives them in that language (translations.ts), placeholders included.
    if (!isDefaultLanguage(query.language)) {
      const reply = route(state, path, { ...query, language: "en-US" });
      if (reply.status === 200) translateTvBody(show, query.language, reply.body);
      return reply;
    }
    if (seg.length === 2) return showDetails(state, id, show, query, today);
    if (seg.length === 3 && seg[2] === "external_ids") return ok(buildExternalIds(id, state.externalIdsOf(id)));
    if (seg[2] !== "season" || (seg.length !== 4 && seg.length !== 6)) return notFound();
    const n = parsePositiveInt(seg[3]);
    if (n === null) return notFound();
    if (seg.length === 4) {
      const season = buildSeasonDetails(id, show, n);
      return season ? ok(season) : notFound();
    }
    const e = seg[4] === "episode" ? parsePositiveInt(seg[5]) : null;
    const episode = e === null ? null : buildEpisodeDetails(id, show, n, e);
    return episode ? ok(episode) : notFound();
  }

  if (seg[0] === "movie" && seg.length === 2) {
    const id = parsePositiveInt(seg[1]);
    const movie = id === null ? null : state.movie(id);
    return id !== null && movie ? ok(buildMovieDetails(id, movie, today)) : notFound();
  }

  if (seg[0] === "search" && seg[1] === "tv" && seg.length === 2) return searchTv(state, query);

  if (seg[0] === "find" && seg.length === 2) {
    const source = query.external_source;
    if (source !== "tvdb_id" && source !== "imdb_id") return badRequest(ERRORS.invalidParameters);
    const externalId = decodeURIComponent(seg[1]);
    const id = state.findShow(source, externalId);
    const show = id === null ? null : state.show(id);
    return ok({
      movie_results: [],
      person_results: [],
      tv_results: id !== null && show ? [{ ...buildTvResult(id, show), media_type: "tv" }] : [],
      tv_episode_results: findEpisodeResults(state, source, externalId),
      tv_season_results: [],
    });
  }

  return notFound();
}

/** `/find` by an episode's tvdb/imdb id (the catalog's episode conventions): TMDB's `tv_episode_results` entry. */
function findEpisodeResults(state: FakeTmdbState, source: ExternalSource, externalId: string) {
  const ref = episodeFromExternalConvention(source, externalId);
  const show = ref && state.show(ref.showId);
  const season = ref && show ? seasonSpecOf(show, ref.season) : null;
  if (!ref || !show || !season || ref.episode > season.episodes) return [];
  const { crew: _crew, guest_stars: _guests, ...episode } = buildSeasonEpisode(ref.showId, show, ref.season, season, ref.episode);
  return [{ ...episode, media_type: "tv_episode" }];
}

function showDetails(state: FakeTmdbState, id: number, show: ShowSpec, query: Record<string, string>, today: string): Reply {
  const appends = (query.append_to_response ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (appends.length > MAX_APPEND_TO_RESPONSE) return badRequest(ERRORS.tooManyAppends);
  const details: Record<string, unknown> = { ...buildShowDetails(id, show, today, state.summary(id, show, today)) };
  for (const item of appends) {
    const m = /^season\/(\d{1,4})$/.exec(item);
    if (m) {
      const season = buildSeasonDetails(id, show, Number(m[1]));
      if (season) details[item] = season;
    } else if (item === "external_ids") {
      details.external_ids = buildExternalIds(id, state.externalIdsOf(id));
    }
  }
  return ok(details);
}

function searchTv(state: FakeTmdbState, query: Record<string, string>): Reply {
  const page = parsePage(query.page);
  if (page === null) return badRequest(ERRORS.invalidPage);
  const q = (query.query ?? "").trim().toLowerCase();
  if (!q) return ok(paged([], page, SEARCH_PAGE_SIZE));
  const year = query.first_air_date_year;
  const ids = new Set<number>();
  for (let id = 1; id <= SEARCHABLE_GENERATED_IDS; id++) ids.add(id);
  for (const id of BUILTIN_SHOW_IDS) ids.add(id);
  for (const id of state.shows.keys()) ids.add(id);
  const hits: { id: number; show: ShowSpec; exact: boolean }[] = [];
  for (const id of ids) {
    const show = state.show(id);
    if (!show) continue;
    const name = show.name.toLowerCase();
    if (!name.includes(q)) continue;
    const result = { id, show, exact: name === q };
    if (year) {
      const first = buildTvResult(id, show).first_air_date;
      if (!first.startsWith(`${year}-`)) continue;
    }
    hits.push(result);
  }
  hits.sort((a, b) => Number(b.exact) - Number(a.exact) || a.id - b.id);
  const results = hits.slice((page - 1) * SEARCH_PAGE_SIZE, page * SEARCH_PAGE_SIZE).map((h) => buildTvResult(h.id, h.show));
  return ok({ page, results, total_pages: Math.max(1, Math.ceil(hits.length / SEARCH_PAGE_SIZE)), total_results: hits.length });
}

function changes(state: FakeTmdbState, query: Record<string, string>, today: string): Reply {
  const page = parsePage(query.page);
  if (page === null) return badRequest(ERRORS.invalidPage);
  // TMDB defaults to the last 24 hours
  const end = query.end_date || today;
  if (!isValidDate(end)) return badRequest(ERRORS.invalidParameters);
  const start = query.start_date || addDays(end, -1);
  if (!isValidDate(start)) return badRequest(ERRORS.invalidParameters);
  const span = dayNumber(end) - dayNumber(start);
  if (span < 0 || span > 14) return badRequest(ERRORS.invalidParameters);
  return ok(
    paged(
      state.changes.map((id) => ({ id, adult: false })),
      page,
      CHANGES_PAGE_SIZE,
    ),
  );
}

// ------------------------------------------------------------------------------------------ server

function sendJson(res: http.ServerResponse, status: number, body: Body, headers: Record<string, string> = {}): void {
  if (res.writableEnded || res.destroyed) return;
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json;charset=utf-8", "Content-Length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

function readBody(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("error", reject);
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8").trim();
      if (!text) return resolve(undefined);
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new ValidationError("body is not valid JSON"));
      }
    });
  });
}

/** `{key: value}` or the bare value */
function unwrap(body: unknown, key: string): unknown {
  return isRecord(body) && key in body ? body[key] : body;
}

async function control(state: FakeTmdbState, req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
  const method = req.method ?? "GET";
  const seg = url.pathname.split("/").filter(Boolean).slice(1);
  const prefix = url.searchParams.get("prefix") || undefined;
  const body = method === "GET" || method === "DELETE" ? undefined : await readBody(req);
  const route = `${method} /${seg[0] ?? ""}`;
  switch (route) {
    case "GET /health":
      return sendJson(res, 200, { ok: true });
    case "GET /stats":
      return sendJson(res, 200, await state.stats(prefix));
    case "GET /requests":
      return sendJson(res, 200, await state.requests(prefix));
    case "GET /wait": {
      const timeoutMs = Number(url.searchParams.get("timeoutMs") ?? 60_000);
      try {
        return sendJson(res, 200, await state.waitForRequest(prefix ?? "/", timeoutMs));
      } catch (error) {
        return sendJson(res, 408, { error: (error as Error).message });
      }
    }
    case "POST /reset":
      await state.reset();
      return sendJson(res, 200, { ok: true });
    case "POST /latency":
      await state.setLatency(unwrap(body, "ms") as number);
      return sendJson(res, 200, { ok: true });
    case "POST /faults":
      await state.addFault(unwrap(body, "rule") as FaultRule);
      return sendJson(res, 200, { ok: true });
    case "DELETE /faults":
      await state.clearFaults();
      return sendJson(res, 200, { ok: true });
    case "PUT /shows":
    case "PUT /movies": {
      const id = seg.length === 2 ? parsePositiveInt(seg[1]) : null;
      if (id === null) fail("expected /__control/shows/:id or /__control/movies/:id");
      const spec = isRecord(body) && "spec" in body && !("name" in body) && !("title" in body) ? body.spec : (body ?? null);
      if (seg[0] === "shows") await state.setShow(id, spec as ShowSpec | null);
      else await state.setMovie(id, spec as MovieSpec | null);
      return sendJson(res, 200, { ok: true });
    }
    case "PUT /changes":
      await state.setChanges(unwrap(body, "ids") as number[]);
      return sendJson(res, 200, { ok: true });
    case "PUT /external-ids": {
      if (!isRecord(body)) fail("expected {source, externalId, showId}");
      await state.setExternalId(body.source as ExternalSource, body.externalId as string, (body.showId ?? null) as number | null);
      return sendJson(res, 200, { ok: true });
    }
    default:
      return sendJson(res, 404, { error: `unknown control route ${method} ${url.pathname}` });
  }
}

export async function startFakeTmdb(opts: FakeTmdbOptions = {}): Promise<FakeTmdb> {
  const apiKey = opts.apiKey ?? DEFAULT_API_KEY;
  const readToken = opts.readToken ?? DEFAULT_READ_TOKEN;
  const rateLimit = opts.rateLimitPerSecond ?? 0;
  if (opts.today !== undefined && !isValidDate(opts.today)) throw new Error(`today must be YYYY-MM-DD, got ${opts.today}`);
  const state = new FakeTmdbState(checkNonNegInt(opts.latencyMs ?? 0, "latencyMs"), opts.today);
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  async function api(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const path = url.pathname.slice(2) || "/";
    const query: Record<string, string> = {};
    url.searchParams.forEach((v, k) => (query[k] = v));
    state.record(path, query);
    const fault = state.matchFault(path);
    const delay = state.latencyMs + (fault?.latencyMs ?? 0);
    if (delay > 0) await sleep(delay);
    if (closed) return;

    if (fault) {
      switch (fault.kind) {
        case "timeout":
          return; // never answered; the socket is destroyed by close() or by the client giving up
        case "reset":
          req.socket.destroy();
          return;
        case "429":
          return sendJson(res, 429, ERRORS.rateLimited(rateLimit || 40), { "Retry-After": String(fault.retryAfterSeconds ?? 1) });
        case "500":
          return sendJson(res, 500, ERRORS.internal);
        case "503":
          return sendJson(res, 503, ERRORS.unavailable);
        case "malformed":
          break; // answered below with a truncated body
      }
    }

    let reply: Reply;
    const auth = req.headers.authorization;
    if (query.api_key !== apiKey && auth !== `Bearer ${readToken}`) reply = { status: 401, body: ERRORS.invalidKey };
    else if (!state.admit(rateLimit, Date.now()))
      reply = { status: 429, body: ERRORS.rateLimited(rateLimit), headers: { "Retry-After": "1" } };
    else if (req.method !== "GET" && req.method !== "HEAD") reply = notFound();
    else reply = route(state, path, query);

    if (fault?.kind === "malformed") {
      const text = JSON.stringify(reply.body);
      const truncated = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
      if (res.writableEnded || res.destroyed) return;
      res.writeHead(200, { "Content-Type": "application/json;charset=utf-8", "Content-Length": Buffer.byteLength(truncated) });
      res.end(truncated);
      return;
    }
    sendJson(res, reply.status, reply.body, reply.headers);
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const handler =
      url.pathname === "/__control" || url.pathname.startsWith("/__control/")
        ? control(state, req, res, url)
        : url.pathname === "/3" || url.pathname.startsWith("/3/")
          ? api(req, res, url)
          : Promise.resolve(sendJson(res, 404, ERRORS.notFound));
    handler.catch((err: unknown) => {
      if (err instanceof ValidationError) return sendJson(res, 400, { error: err.message });
      process.stderr.write(`fake-tmdb: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      sendJson(res, 500, ERRORS.internal);
    });
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    if (!closing) {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      closing = new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const s of sockets) s.destroy();
      });
    }
    return closing;
  };

  return {
    url: `http://127.0.0.1:${port}/3`,
    port,
    close,
    stats: (prefix) => state.stats(prefix),
    requests: (prefix) => state.requests(prefix),
    waitForRequest: (prefix, timeoutMs) => state.waitForRequest(prefix, timeoutMs),
    reset: () => state.reset(),
    setLatency: (ms) => state.setLatency(ms),
    addFault: (rule) => state.addFault(rule),
    clearFaults: () => state.clearFaults(),
    setShow: (id, spec) => state.setShow(id, spec),
    setMovie: (id, spec) => state.setMovie(id, spec),
    setChanges: (ids) => state.setChanges(ids),
    setExternalId: (source, externalId, showId) => state.setExternalId(source, externalId, showId),
  };
}
