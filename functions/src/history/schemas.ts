import { z } from "zod";
import {
  episodeNumberSchema,
  isoTimestampSchema,
  movieIdSchema,
  profileIdField,
  profileIdSchema,
  seasonNumberSchema,
  showIdSchema,
} from "../shared/validation";

/** Items per `syncHistory` call (docs/API.md: Callables). */
export const MAX_SYNC_ITEMS = 1000;
/** Data rows and characters per `importCsv` call. */
export const MAX_CSV_ROWS = 5000;
export const MAX_CSV_CHARS = 2_000_000;
export const DEFAULT_EXPORT_LIMIT = 100;
export const MAX_EXPORT_LIMIT = 1000;
/** Episodes per `markWatched` call with `target.type: "episodes"`. */
export const MAX_MARK_EPISODES = 1000;
/** Profiles one "we watched it together" mark covers: a household's profiles at most (CONTRACT §9). */
export const MAX_WATCH_TOGETHER_PROFILES = 12;

const MAX_UINT64 = (1n << 64n) - 1n;

/**
 * A Trakt history id: a 64-bit integer, kept exact as its decimal string. A JSON number is accepted
 * only while it is a safe integer (≤ 2^53 − 1); larger ids must be sent as decimal strings, because a
 * client SDK sends numbers as doubles and would already have rounded them. (A bigint is accepted too,
 * for server-side callers.)
 */
export const traktIdSchema = z
  .union([
    z.number().int().positive().refine(Number.isSafeInteger, "ids above 2^53 must be sent as decimal strings"),
    z.string().regex(/^\d{1,20}$/, "expected a decimal integer string"),
    z.bigint(),
  ])
  .transform((id) => BigInt(id))
  .refine((id) => id > 0n && id <= MAX_UINT64, "expected a 64-bit integer above 0")
  .transform((id) => id.toString());

const tvdbIdSchema = z.union([z.number().int().positive(), z.string().regex(/^[1-9]\d{0,15}$/)]).transform(String);
const imdbIdSchema = z.string().regex(/^tt\d{1,12}$/, "expected an IMDb id like tt0944947");

/**
 * One episode item of Trakt's `GET /sync/history`, as `syncHistory` validates it. Only the fields
 * used are checked; Trakt's other fields (`trakt`, `slug`, ...) may be present and are ignored.
 * Trakt sends `null` for ids it does not have.
 */
export const traktEpisodeItemSchema = z.object({
  id: traktIdSchema,
  watched_at: isoTimestampSchema,
  /** Trakt's `scrobble` | `checkin` | `watch`; kept as given. */
  action: z.string().min(1).max(32).default("watch"),
  type: z.literal("episode"),
  episode: z.object({
    season: seasonNumberSchema,
    number: episodeNumberSchema,
    title: z.string().nullish(),
    ids: z.object({ tmdb: z.number().int().positive().nullish() }).nullish(),
  }),
  show: z.object({
    title: z.string().nullish(),
    year: z.number().int().nullish(),
    ids: z.object({ tmdb: showIdSchema.nullish(), tvdb: tvdbIdSchema.nullish(), imdb: imdbIdSchema.nullish() }),
  }),
});

/**
 * A movie item of Trakt's `/sync/history` (docs/API.md: library callables): recorded as a movie play when it has a TMDB id
 * (otherwise counted in `skipped.noTmdbId`). Only the fields used are checked.
 */
export const traktMovieItemSchema = z.object({
  id: traktIdSchema,
  watched_at: isoTimestampSchema,
  action: z.string().min(1).max(32).default("watch"),
  type: z.literal("movie"),
  movie: z
    .object({
      title: z.string().nullish(),
      year: z.number().int().nullish(),
      ids: z.object({ tmdb: movieIdSchema.nullish() }).loose().nullish(),
    })
    .nullish(),
});

/** What a client sends per item (`z.input`: ids as numbers or strings). */
export type TraktHistoryItem = z.input<typeof traktEpisodeItemSchema> | z.input<typeof traktMovieItemSchema>;
export type TraktEpisodeItem = z.output<typeof traktEpisodeItemSchema>;
export type TraktMovieItem = z.output<typeof traktMovieItemSchema>;

/**
 * `syncHistory`: items are validated one by one (a malformed item is counted in `skipped.invalid` and
 * never fails the batch), so the payload schema only bounds the array.
 */
export const syncHistoryRequestSchema = z.object({ items: z.array(z.unknown()).max(MAX_SYNC_ITEMS), ...profileIdField });
export type SyncHistoryRequest = { items: TraktHistoryItem[] };

export const syncHistoryResponseSchema = z.object({
  added: z.number().int(),
  duplicates: z.number().int(),
  /** `movies` is always 0 now that movie items are recorded as plays (kept for older clients). */
  skipped: z.object({ movies: z.number().int(), noTmdbId: z.number().int(), invalid: z.number().int() }),
  /** Distinct shows among the items that were recorded (added or duplicate). */
  shows: z.number().int(),
});
export type SyncHistoryResponse = z.infer<typeof syncHistoryResponseSchema>;

/** `importCsv`: header `title,season,episode,watched_at[,tmdb_id]` (any column order, extra columns ignored). */
export const importCsvRequestSchema = z.object({ csv: z.string().min(1).max(MAX_CSV_CHARS), ...profileIdField });
export type ImportCsvRequest = z.infer<typeof importCsvRequestSchema>;

export const importCsvResponseSchema = z.object({
  added: z.number().int(),
  duplicates: z.number().int(),
  /** Distinct titles (as written in the file) that TMDB search did not resolve. */
  unmatched: z.array(z.string()),
  /** Rows as a spreadsheet numbers them: the header is row 1, so the first data row is row 2. */
  invalidRows: z.array(z.number().int()),
});
export type ImportCsvResponse = z.infer<typeof importCsvResponseSchema>;

export const exportHistoryRequestSchema = z.object({
  /** Opaque; from the previous page's `nextPageToken`. */
  pageToken: z.string().min(1).max(1000).optional(),
  limit: z.number().int().min(1).max(MAX_EXPORT_LIMIT).optional(),
  ...profileIdField,
});
export type ExportHistoryRequest = z.infer<typeof exportHistoryRequestSchema>;

/**
 * An exported play, in Trakt's item shape: `syncHistory` accepts it as is. `id` is the Trakt id for
 * plays imported from Trakt, otherwise a deterministic synthetic id in [2^62, 2^63) — always a decimal
 * string. `show.title` is the cached TMDB name, or "" when the show is not cached.
 */
export const exportedEpisodeItemSchema = z.object({
  id: z.string(),
  watched_at: z.string(),
  action: z.string(),
  type: z.literal("episode"),
  episode: z.object({ season: z.number().int(), number: z.number().int(), ids: z.object({ tmdb: z.number().int().optional() }) }),
  show: z.object({ title: z.string(), ids: z.object({ tmdb: z.number().int() }) }),
});
/**
 * A movie play in Trakt's movie item shape: `movie.title` from the movie details cache ("" when TMDB
 * cannot answer), `year` from its release date (null when unknown).
 */
export const exportedMovieItemSchema = z.object({
  id: z.string(),
  watched_at: z.string(),
  action: z.string(),
  type: z.literal("movie"),
  movie: z.object({ title: z.string(), year: z.number().int().nullable(), ids: z.object({ tmdb: z.number().int() }) }),
});
export const exportedHistoryItemSchema = z.discriminatedUnion("type", [exportedEpisodeItemSchema, exportedMovieItemSchema]);
export type ExportedHistoryItem = z.infer<typeof exportedHistoryItemSchema>;

export const exportHistoryResponseSchema = z.object({
  /** Newest play first (Trakt's order). */
  items: z.array(exportedHistoryItemSchema),
  /** null on the last page. */
  nextPageToken: z.string().nullable(),
});
export type ExportHistoryResponse = z.infer<typeof exportHistoryResponseSchema>;

export const markWatchedTargetSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("episodes"),
    episodes: z
      .array(z.object({ season: seasonNumberSchema, episode: episodeNumberSchema, watchedAt: isoTimestampSchema.optional() }))
      .min(1)
      .max(MAX_MARK_EPISODES),
  }),
  /** Aired episodes of the season (air date on or before today, UTC). */
  z.object({ type: z.literal("season"), season: seasonNumberSchema }),
  /** Aired episodes of every season; season 0 only with `includeSpecials`. */
  z.object({ type: z.literal("show"), includeSpecials: z.boolean().optional() }),
]);

export const markWatchedRequestSchema = z
  .object({
    showId: showIdSchema,
    target: markWatchedTargetSchema,
    /** false un-marks: `watched: false`, and the `app` plays of those episodes are removed. */
    watched: z.boolean().optional(),
    /** When the marked episodes were watched (default: now); a per-episode `watchedAt` wins. */
    watchedAt: isoTimestampSchema.optional(),
    ...profileIdField,
    /**
     * "We watched it together" (CONTRACT §9): the same mark on each of these profiles (the caller's own uid
     * or managed profiles of the caller's household), instead of `profileId`.
     */
    profileIds: z
      .array(profileIdSchema)
      .min(1)
      .max(MAX_WATCH_TOGETHER_PROFILES)
      .refine((ids) => new Set(ids).size === ids.length, "must not list a profile twice")
      .optional(),
  })
  .refine((request) => request.profileId === undefined || request.profileIds === undefined, {
    path: ["profileIds"],
    message: "send profileId or profileIds, not both",
  });
export type MarkWatchedTarget = z.infer<typeof markWatchedTargetSchema>;
export type MarkWatchedRequest = z.infer<typeof markWatchedRequestSchema>;

export const markWatchedResponseSchema = z.object({
  showId: z.number().int(),
  /** Episodes whose watched state changed (with `profileIds`: on all of them together). */
  changed: z.number().int(),
  /** With `profileIds`: what the mark changed on each profile, in the order asked. */
  profiles: z.array(z.object({ profileId: z.string(), changed: z.number().int() })).optional(),
});
export type MarkWatchedResponse = z.infer<typeof markWatchedResponseSchema>;
