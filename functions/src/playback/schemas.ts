import { z } from "zod";
import {
  episodeNumberSchema,
  isoTimestampSchema,
  movieIdSchema,
  profileIdField,
  seasonNumberSchema,
  showIdSchema,
} from "../shared/validation";

/** What is being played: progress is kept per content (episode or movie), never per file or quality. */
export const episodeMediaSchema = z.object({
  type: z.literal("episode"),
  showId: showIdSchema,
  season: seasonNumberSchema,
  episode: episodeNumberSchema,
});
export const movieMediaSchema = z.object({ type: z.literal("movie"), movieId: movieIdSchema });
export const mediaSchema = z.discriminatedUnion("type", [episodeMediaSchema, movieMediaSchema]);

/** Eleven days: longer than any single piece of content, short enough to catch unit mistakes (ms for s). */
export const MAX_MEDIA_SECONDS = 1_000_000;
const secondsSchema = z.number().min(0).max(MAX_MEDIA_SECONDS);

export const savePlaybackRequestSchema = z
  .object({ media: mediaSchema, positionSeconds: secondsSchema, durationSeconds: secondsSchema.positive(), ...profileIdField })
  .refine((request) => request.positionSeconds <= request.durationSeconds, {
    path: ["positionSeconds"],
    message: "must not be beyond durationSeconds",
  });

export const MAX_CONTINUE_WATCHING = 50;
export const DEFAULT_CONTINUE_WATCHING = 20;
export const getContinueWatchingRequestSchema = z.object({
  limit: z.number().int().min(1).max(MAX_CONTINUE_WATCHING).optional(),
  ...profileIdField,
});
export const clearPlaybackRequestSchema = z.object({ media: mediaSchema, ...profileIdField });

/**
 * `users/{uid}/playback/{mediaKey}` as callables answer it (timestamps as ISO strings), plus its
 * `mediaKey`. `savePlayback` below 5 % of an item not started yet stores nothing: it then answers
 * what the document would hold, with `lastWatchedAt` and `updatedAt` null.
 */
export const playbackSchema = z.object({
  mediaKey: z.string(),
  media: mediaSchema,
  /** The latest position reported: where playback resumes. */
  positionSeconds: z.number().min(0),
  durationSeconds: z.number().positive(),
  /** The furthest position ever reported: never decreases. */
  watchedSeconds: z.number().min(0),
  /** `positionSeconds / durationSeconds` as a percentage, two decimals. */
  completionPercentage: z.number().min(0).max(100),
  /** Set once a save reaches `PLAYBACK_WATCHED_PERCENT`; sticky. */
  watched: z.boolean(),
  lastWatchedAt: isoTimestampSchema.nullable(),
  updatedAt: isoTimestampSchema.nullable(),
});

export const getContinueWatchingResponseSchema = z.object({ items: z.array(playbackSchema) });
export const clearPlaybackResponseSchema = z.object({ deleted: z.boolean() });

export type Media = z.infer<typeof mediaSchema>;
export type EpisodeMedia = z.infer<typeof episodeMediaSchema>;
export type MovieMedia = z.infer<typeof movieMediaSchema>;
export type SavePlaybackRequest = z.infer<typeof savePlaybackRequestSchema>;
export type GetContinueWatchingRequest = z.infer<typeof getContinueWatchingRequestSchema>;
export type ClearPlaybackRequest = z.infer<typeof clearPlaybackRequestSchema>;
export type Playback = z.infer<typeof playbackSchema>;
export type GetContinueWatchingResponse = z.infer<typeof getContinueWatchingResponseSchema>;
export type ClearPlaybackResponse = z.infer<typeof clearPlaybackResponseSchema>;
