import { z } from "zod";
import {
  episodeNumberSchema,
  isoTimestampSchema,
  movieIdSchema,
  profileIdField,
  seasonNumberSchema,
  showIdSchema,
} from "../shared/validation";

/** The user's choice for a show (docs/API.md: library callables); a tracking document without one is `watching`. */
export const showStatusSchema = z.enum(["watching", "paused", "dropped", "planned"]);
export type ShowStatus = z.infer<typeof showStatusSchema>;
/** Statuses whose shows leave the library (unless `includeHidden`), up next, the calendar and alerts. */
export const HIDDEN_STATUSES: readonly ShowStatus[] = ["paused", "dropped"];
export const isHiddenStatus = (status: unknown) => HIDDEN_STATUSES.includes(status as ShowStatus);

export const setShowStatusRequestSchema = z.object({ showId: showIdSchema, status: showStatusSchema, ...profileIdField });
export const setShowStatusResponseSchema = z.object({ showId: showIdSchema, status: showStatusSchema });
export type SetShowStatusRequest = z.infer<typeof setShowStatusRequestSchema>;
export type SetShowStatusResponse = z.infer<typeof setShowStatusResponseSchema>;

export const resetProgressRequestSchema = z.object({
  showId: showIdSchema,
  /** Restores the `resetAt` the last reset replaced (a no-op when there is nothing to undo). */
  undo: z.boolean().optional(),
  ...profileIdField,
});
export const resetProgressResponseSchema = z.object({ showId: showIdSchema, resetAt: isoTimestampSchema.nullable() });
export type ResetProgressRequest = z.infer<typeof resetProgressRequestSchema>;
export type ResetProgressResponse = z.infer<typeof resetProgressResponseSchema>;

/** What a watchlist entry or a rating is about. */
export const libraryMediaSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("show"), showId: showIdSchema }),
  z.object({ type: z.literal("movie"), movieId: movieIdSchema }),
]);
export type LibraryMedia = z.infer<typeof libraryMediaSchema>;

export const setWatchlistRequestSchema = z.object({ media: libraryMediaSchema, on: z.boolean(), ...profileIdField });
export const setWatchlistResponseSchema = z.object({ mediaKey: z.string(), on: z.boolean() });
export type SetWatchlistRequest = z.infer<typeof setWatchlistRequestSchema>;
export type SetWatchlistResponse = z.infer<typeof setWatchlistResponseSchema>;

export const rateTargetSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("show"), showId: showIdSchema }),
  z.object({ type: z.literal("season"), showId: showIdSchema, season: seasonNumberSchema }),
  z.object({ type: z.literal("episode"), showId: showIdSchema, season: seasonNumberSchema, episode: episodeNumberSchema }),
  z.object({ type: z.literal("movie"), movieId: movieIdSchema }),
]);
export type RateTarget = z.infer<typeof rateTargetSchema>;

/** Trakt's 1–10 scale; null clears the rating. */
export const ratingSchema = z.number().int().min(1).max(10);
export const rateRequestSchema = z.object({ target: rateTargetSchema, rating: ratingSchema.nullable(), ...profileIdField });
export const rateResponseSchema = z.object({ ratingKey: z.string(), rating: ratingSchema.nullable() });
export type RateRequest = z.infer<typeof rateRequestSchema>;
export type RateResponse = z.infer<typeof rateResponseSchema>;

export const markMovieWatchedRequestSchema = z.object({
  movieId: movieIdSchema,
  /** false un-marks: the movie's `app` plays are removed. Default true. */
  watched: z.boolean().optional(),
  /** When it was watched (default: now). */
  watchedAt: isoTimestampSchema.optional(),
  ...profileIdField,
});
export const markMovieWatchedResponseSchema = z.object({
  movieId: movieIdSchema,
  /** Plays of the movie recorded in the user's history after this call. */
  plays: z.number().int().min(0),
});
export type MarkMovieWatchedRequest = z.infer<typeof markMovieWatchedRequestSchema>;
export type MarkMovieWatchedResponse = z.infer<typeof markMovieWatchedResponseSchema>;

export const DEFAULT_CALENDAR_DAYS = 7;
export const MAX_CALENDAR_DAYS = 31;
/** A real calendar day, `YYYY-MM-DD`. */
export const isoDateSchema = z.iso.date();

export const getCalendarRequestSchema = z.object({
  /** First day (UTC) of the window; default today. */
  from: isoDateSchema.optional(),
  days: z.number().int().min(1).max(MAX_CALENDAR_DAYS).optional(),
  ...profileIdField,
});
export const calendarItemSchema = z.object({
  showId: showIdSchema,
  name: z.string().nullable(),
  season: seasonNumberSchema,
  episode: episodeNumberSchema,
  episodeName: z.string(),
  /** `YYYY-MM-DD`, as TMDB gives it. */
  airDate: isoDateSchema,
});
export const getCalendarResponseSchema = z.object({
  /** By air date, then show id, season and episode. */
  items: z.array(calendarItemSchema),
});
export type GetCalendarRequest = z.infer<typeof getCalendarRequestSchema>;
export type CalendarItem = z.infer<typeof calendarItemSchema>;
export type GetCalendarResponse = z.infer<typeof getCalendarResponseSchema>;

export const createCalendarFeedRequestSchema = z.object({ ...profileIdField });
export const createCalendarFeedResponseSchema = z.object({
  /** The secret iCalendar URL; creating a feed again replaces (and so revokes) the previous one. */
  url: z.string(),
});
export const revokeCalendarFeedRequestSchema = z.object({ ...profileIdField });
export const revokeCalendarFeedResponseSchema = z.object({ revoked: z.boolean() });
export type CreateCalendarFeedResponse = z.infer<typeof createCalendarFeedResponseSchema>;
export type RevokeCalendarFeedResponse = z.infer<typeof revokeCalendarFeedResponseSchema>;

/** FCM registration tokens are opaque; real ones are ~160-250 characters. */
export const deviceTokenSchema = z.string().min(1).max(4096);
export const devicePlatformSchema = z.enum(["ios", "android", "web"]);
export const registerDeviceRequestSchema = z.object({ token: deviceTokenSchema, platform: devicePlatformSchema, ...profileIdField });
export const unregisterDeviceRequestSchema = registerDeviceRequestSchema;
export const registerDeviceResponseSchema = z.object({
  /** Whether the token is registered after the call (false after `unregisterDevice`). */
  registered: z.boolean(),
});
export type RegisterDeviceRequest = z.infer<typeof registerDeviceRequestSchema>;
export type RegisterDeviceResponse = z.infer<typeof registerDeviceResponseSchema>;
