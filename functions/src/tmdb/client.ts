import axios, { type AxiosInstance } from "axios";
import pLimit from "p-limit";
import type { z } from "zod";
import { AppError } from "../shared/errors";
import { logTmdbRequest } from "../shared/logs";
import {
  tmdbChangesSchema,
  tmdbFindSchema,
  tmdbMovieSchema,
  tmdbSearchTvSchema,
  tmdbSeasonSchema,
  tmdbShowSchema,
  type TmdbChanges,
  type TmdbFind,
  type TmdbMovie,
  type TmdbSearchTv,
  type TmdbSeason,
  type TmdbShow,
} from "./schemas";

export interface TmdbClientOptions {
  baseUrl: string;
  /** A v3 API key (sent as `api_key`) or a v4 read access token (sent as a Bearer token). */
  credential: string;
  timeoutMs?: number;
  maxRetries?: number;
  /** First backoff step; each retry doubles it, with jitter. */
  retryBaseMs?: number;
  maxRetryDelayMs?: number;
  concurrency?: number;
  /**
   * TMDB allows about 40 requests per second per IP; stay under it: at most this many requests start
   * within any `RATE_WINDOW_MS` (a second plus a margin for the requests' transit). 0 = no cap.
   */
  maxRequestsPerSecond?: number;
}

/**
 * The client's rate window: TMDB counts requests per second as they arrive, so a request sent a second
 * after another may arrive less than a second after it if the first one was slower in transit. 50 ms
 * more than a second absorbs that, whereas evenly spaced starts would give the whole budget away.
 */
export const RATE_WINDOW_MS = 1050;

/** TMDB allows at most 20 `append_to_response` objects per request. */
export const MAX_APPENDED_SEASONS = 20;

export interface ShowWithSeasons {
  show: TmdbShow;
  /** Appended seasons TMDB returned; a requested season that is absent does not exist (or was not served). */
  seasons: Map<number, TmdbSeason>;
}

type Query = Record<string, string | number | undefined>;

/** Counts the HTTP requests (retries included) made on behalf of one piece of work, for its logs. */
export interface RequestMeter {
  requests: number;
}

class RetryableFailure extends Error {
  constructor(
    readonly reason: string,
    readonly retryAfterMs?: number,
    readonly rateLimited = false,
  ) {
    super(reason);
  }
}

/** v4 read access tokens are JWTs; anything else is treated as a v3 key. */
export function isV4ReadToken(credential: string): boolean {
  return /^eyJ[\w-]*\.[\w-]+\.[\w-]+$/.test(credential);
}

export function parseRetryAfterMs(header: unknown, nowMs: number): number | undefined {
  if (typeof header !== "string" || header.trim() === "") return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** Exponential backoff with "equal jitter": half the step fixed, half random. */
export function backoffDelayMs(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const step = Math.min(maxMs, baseMs * 2 ** attempt);
  return step / 2 + random() * (step / 2);
}

/**
 * One method per TMDB endpoint, each returning zod-validated data or `null` for a 404. Retries 429,
 * 5xx, network errors, timeouts and malformed bodies with backoff; caps concurrency and request
 * rate. The credential is never part of an error message or a log line.
 */
export class TmdbClient {
  private readonly http: AxiosInstance;
  private readonly limit: ReturnType<typeof pLimit>;
  /** Start times of the requests of the last rate window (and reserved ones), ascending. */
  private readonly starts: number[] = [];
  private readonly options: Required<TmdbClientOptions>;
  /**
   * Every HTTP request this client sent, retries included. Shared by every concurrent invocation of an
   * instance, so never subtracted to count one piece of work: that is a `RequestMeter` (app.ts `metered`).
   */
  requestCount = 0;

  constructor(options: TmdbClientOptions) {
    this.options = {
      timeoutMs: 8000,
      maxRetries: 3,
      retryBaseMs: 300,
      maxRetryDelayMs: 10_000,
      concurrency: 8,
      maxRequestsPerSecond: 38,
      ...options,
    };
    const v4 = isV4ReadToken(options.credential);
    this.http = axios.create({
      baseURL: options.baseUrl.replace(/\/+$/, ""),
      timeout: this.options.timeoutMs,
      headers: v4 ? { Authorization: `Bearer ${options.credential}`, Accept: "application/json" } : { Accept: "application/json" },
      params: v4 ? {} : { api_key: options.credential },
      responseType: "text",
      transformResponse: [(body: unknown) => body],
      validateStatus: () => true,
    });
    this.limit = pLimit(this.options.concurrency);
  }

  /** `/tv/{id}`, optionally with up to 20 seasons appended so several seasons cost one request. */
  async getShow(showId: number, appendSeasons: number[] = [], meter?: RequestMeter, language?: string): Promise<ShowWithSeasons | null> {
    if (appendSeasons.length > MAX_APPENDED_SEASONS) {
      throw new Error(`TMDB accepts at most ${MAX_APPENDED_SEASONS} appended objects`);
    }
    const query: Query = appendSeasons.length ? { append_to_response: appendSeasons.map((s) => `season/${s}`).join(",") } : {};
    // Without `language` TMDB answers in its default (en-US): the §1 documents; with it, the names in that language.
    if (language) query.language = language;
    const body = await this.request(`/tv/${showId}`, query, meter);
    if (body === null) return null;
    const show = this.parse(`/tv/${showId}`, tmdbShowSchema, body);
    const seasons = new Map<number, TmdbSeason>();
    const record = body as Record<string, unknown>;
    for (const season of appendSeasons) {
      const appended = record[`season/${season}`];
      if (appended !== undefined && appended !== null) {
        seasons.set(season, this.parse(`/tv/${showId}/season/${season}`, tmdbSeasonSchema, appended));
      }
    }
    return { show, seasons };
  }

  async getSeason(showId: number, season: number, meter?: RequestMeter): Promise<TmdbSeason | null> {
    return this.get(`/tv/${showId}/season/${season}`, tmdbSeasonSchema, {}, meter);
  }

  async getEpisode(showId: number, season: number, episode: number) {
    return this.get(`/tv/${showId}/season/${season}/episode/${episode}`, tmdbSeasonSchema.shape.episodes.element);
  }

  async searchTv(query: string, firstAirDateYear?: number, meter?: RequestMeter): Promise<TmdbSearchTv | null> {
    return this.get("/search/tv", tmdbSearchTvSchema, { query, first_air_date_year: firstAirDateYear, include_adult: "false" }, meter);
  }

  async findByExternalId(externalId: string, source: "tvdb_id" | "imdb_id", meter?: RequestMeter): Promise<TmdbFind | null> {
    return this.get(`/find/${encodeURIComponent(externalId)}`, tmdbFindSchema, { external_source: source }, meter);
  }

  /** One page of `/tv/changes`; TMDB accepts windows of at most 14 days. */
  async getTvChanges(startDate: string, endDate: string, page = 1, meter?: RequestMeter): Promise<TmdbChanges | null> {
    return this.get("/tv/changes", tmdbChangesSchema, { start_date: startDate, end_date: endDate, page }, meter);
  }

  async getMovie(movieId: number, meter?: RequestMeter): Promise<TmdbMovie | null> {
    return this.get(`/movie/${movieId}`, tmdbMovieSchema, {}, meter);
  }

  private async get<S extends z.ZodType>(path: string, schema: S, query: Query = {}, meter?: RequestMeter): Promise<z.infer<S> | null> {
    const body = await this.request(path, query, meter);
    return body === null ? null : this.parse(path, schema, body);
  }

  private parse<S extends z.ZodType>(path: string, schema: S, body: unknown): z.infer<S> {
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new AppError("unavailable", `TMDB returned an unexpected body for ${path}`);
    }
    return parsed.data;
  }

  /** Returns the parsed JSON body, or null for a 404. */
  private async request(path: string, query: Query, meter?: RequestMeter): Promise<unknown> {
    const { maxRetries, retryBaseMs, maxRetryDelayMs } = this.options;
    let last: RetryableFailure | undefined;
    for (let attempt = 0; attempt <= maxRetries; attempt++) {
      if (attempt > 0 && last) {
        const delay =
          last.retryAfterMs !== undefined
            ? Math.min(last.retryAfterMs, maxRetryDelayMs)
            : backoffDelayMs(attempt - 1, retryBaseMs, maxRetryDelayMs);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
      try {
        return await this.limit(() => this.attempt(path, query, attempt, meter));
      } catch (error) {
        if (!(error instanceof RetryableFailure)) throw error;
        last = error;
      }
    }
    const reason = last?.reason ?? "unknown error";
    if (last?.rateLimited) {
      throw new AppError("resource-exhausted", `TMDB rate limit hit for ${path} after ${maxRetries + 1} attempts`);
    }
    throw new AppError("unavailable", `TMDB request ${path} failed after ${maxRetries + 1} attempts: ${reason}`);
  }

  private async attempt(path: string, query: Query, attempt: number, meter?: RequestMeter): Promise<unknown> {
    await this.waitForRateSlot();
    this.requestCount++;
    if (meter) meter.requests++;
    const started = Date.now();
    let status: number | undefined;
    try {
      const response = await this.http.get<string>(path, { params: query });
      status = response.status;
      if (status === 404) return null;
      if (status === 429) {
        throw new RetryableFailure("HTTP 429", parseRetryAfterMs(response.headers["retry-after"], Date.now()), true);
      }
      if (status >= 500) throw new RetryableFailure(`HTTP ${status}`);
      if (status === 401) throw new AppError("unavailable", `TMDB rejected the configured credential (HTTP 401) for ${path}`);
      if (status >= 400) throw new AppError("unavailable", `TMDB refused ${path} (HTTP ${status})`);
      try {
        return JSON.parse(response.data);
      } catch {
        throw new RetryableFailure("malformed JSON body");
      }
    } catch (error) {
      if (error instanceof RetryableFailure || error instanceof AppError) throw error;
      // An axios error carries the request config (and with it the key): keep only its code.
      const code = axios.isAxiosError(error) ? (error.code ?? "network error") : "network error";
      throw new RetryableFailure(code);
    } finally {
      logTmdbRequest({ path, status, attempt, durationMs: Date.now() - started });
    }
  }

  /**
   * Waits for a start time that keeps at most `maxRequestsPerSecond` starts within any `RATE_WINDOW_MS`.
   * A burst goes out at once (a cold library's first 38 shows do not queue behind a 28 ms spacing) and
   * the window, not an even spacing, is what is never exceeded. Start times are reserved in call order.
   */
  private async waitForRateSlot(): Promise<void> {
    if (this.options.maxRequestsPerSecond <= 0) return;
    const limit = Math.max(1, Math.floor(this.options.maxRequestsPerSecond));
    const now = Date.now();
    while (this.starts.length > 0 && this.starts[0] <= now - RATE_WINDOW_MS) this.starts.shift();
    const startAt = this.starts.length < limit ? now : Math.max(now, this.starts[this.starts.length - limit] + RATE_WINDOW_MS);
    this.starts.push(startAt);
    if (startAt > now) await new Promise((resolve) => setTimeout(resolve, startAt - now));
  }
}
