import { z } from "zod";
import { showStatusSchema } from "../library/schemas";
import { episodeNumberSchema, isoTimestampSchema, profileIdField, seasonNumberSchema, showIdSchema } from "../shared/validation";

export const getShowProgressRequestSchema = z.object({
  showId: showIdSchema,
  /** Count season 0 (specials) too; Trakt leaves them out by default. */
  includeSpecials: z.boolean().optional(),
  ...profileIdField,
});
export const getLibraryRequestSchema = z.object({
  /** Also list paused and dropped shows (docs/API.md: library callables); they never have an episode up next. */
  includeHidden: z.boolean().optional(),
  ...profileIdField,
});
export const setProgressRequestSchema = z.object({
  showId: showIdSchema,
  season: seasonNumberSchema,
  episode: episodeNumberSchema,
  ...profileIdField,
});
/** The "which episode am I on" pointer stored as `current` in the tracking document. */
export const episodePointerSchema = z.object({ season: seasonNumberSchema, episode: episodeNumberSchema });

export const advanceEpisodeRequestSchema = z.object({
  showId: showIdSchema,
  /**
   * The episode the client believes it is on. When the show is no longer there (this request already
   * advanced it, and the answer was lost), nothing changes and the answer is the current state: a retry
   * is safe. Without it, the call advances from wherever the show is.
   */
  from: episodePointerSchema.optional(),
  ...profileIdField,
});

export const nextEpisodeSchema = z.object({
  season: seasonNumberSchema,
  episode: episodeNumberSchema,
  name: z.string().nullable(),
  /** `YYYY-MM-DD`, as TMDB gives it. */
  airDate: z.string().nullable(),
});

/**
 * Progress of one show. When TMDB data is not available (TMDB down, or a show TMDB does not know),
 * the answer comes from the user's data alone: `aired`, `total` and `percent` are null (unknown, not
 * zero), `label` is `"{completed} episodes"` and `nextEpisode` is null.
 */
export const showProgressSchema = z.object({
  showId: showIdSchema,
  name: z.string().nullable(),
  /** Episodes with an air date today (UTC) or earlier; season 0 only with `includeSpecials`. */
  aired: z.number().int().min(0).nullable(),
  /** Watched episodes among the aired ones (or, when TMDB data is unknown, among the tracked ones). */
  completed: z.number().int().min(0),
  /** TMDB's episode count (excluding specials unless `includeSpecials`). */
  total: z.number().int().min(0).nullable(),
  /** `floor(100 * completed / aired)`: an integer that reaches 100 only when every aired episode is watched. */
  percent: z.number().int().min(0).max(100).nullable(),
  label: z.string(),
  seasons: z.array(z.object({ season: seasonNumberSchema, aired: z.number().int().min(0).nullable(), completed: z.number().int().min(0) })),
  /** The first unwatched aired episode after the last watched one (air order); null when caught up. */
  nextEpisode: nextEpisodeSchema.nullable(),
  lastWatchedAt: isoTimestampSchema.nullable(),
  current: episodePointerSchema.nullable(),
});

/** A library entry: the show's progress and the user's status for it (`watching` when never set). */
export const libraryShowSchema = showProgressSchema.extend({ status: showStatusSchema });
export const getLibraryResponseSchema = z.object({ shows: z.array(libraryShowSchema) });
export const setProgressResponseSchema = z.object({ showId: showIdSchema, current: episodePointerSchema });
export const advanceEpisodeResponseSchema = z.object({
  showId: showIdSchema,
  /** The episode to watch next; null once the last episode of the series was marked. */
  current: episodePointerSchema.nullable(),
  completed: z.boolean(),
});

export type GetShowProgressRequest = z.infer<typeof getShowProgressRequestSchema>;
export type GetLibraryRequest = z.infer<typeof getLibraryRequestSchema>;
export type SetProgressRequest = z.infer<typeof setProgressRequestSchema>;
export type AdvanceEpisodeRequest = z.infer<typeof advanceEpisodeRequestSchema>;
export type EpisodePointer = z.infer<typeof episodePointerSchema>;
export type NextEpisode = z.infer<typeof nextEpisodeSchema>;
export type ShowProgress = z.infer<typeof showProgressSchema>;
export type LibraryShow = z.infer<typeof libraryShowSchema>;
export type GetLibraryResponse = z.infer<typeof getLibraryResponseSchema>;
export type SetProgressResponse = z.infer<typeof setProgressResponseSchema>;
export type AdvanceEpisodeResponse = z.infer<typeof advanceEpisodeResponseSchema>;
