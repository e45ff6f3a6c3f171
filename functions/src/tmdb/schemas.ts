import { z } from "zod";

/**
 * The slices of TMDB's responses this backend reads. Objects strip every other key, so crew, guest
 * stars and overviews never travel further than the parser.
 */
const airDate = z
  .string()
  .nullish()
  .transform((value) => (value ? value : null));

export const tmdbEpisodeSchema = z.object({
  id: z.number().int(),
  episode_number: z.number().int(),
  season_number: z.number().int(),
  name: z
    .string()
    .nullish()
    .transform((value) => value ?? ""),
  air_date: airDate,
});

export const tmdbSeasonSchema = z.object({
  season_number: z.number().int(),
  episodes: z.array(tmdbEpisodeSchema),
});

const episodePointerSchema = z
  .object({ season_number: z.number().int(), episode_number: z.number().int(), air_date: airDate })
  .nullish()
  .transform((value) => value ?? null);

export const tmdbShowSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  status: z
    .string()
    .nullish()
    .transform((value) => value ?? null),
  in_production: z
    .boolean()
    .nullish()
    .transform((value) => value ?? false),
  number_of_seasons: z
    .number()
    .int()
    .nullish()
    .transform((value) => value ?? 0),
  number_of_episodes: z
    .number()
    .int()
    .nullish()
    .transform((value) => value ?? 0),
  first_air_date: airDate,
  /** ISO 3166-1 countries the show comes from: the time zone of its first one sets when episodes air. */
  origin_country: z
    .array(z.string())
    .nullish()
    .transform((value) => value ?? []),
  seasons: z
    .array(z.object({ season_number: z.number().int(), episode_count: z.number().int(), air_date: airDate }))
    .nullish()
    .transform((value) => value ?? []),
  next_episode_to_air: episodePointerSchema,
  last_episode_to_air: episodePointerSchema,
});

export const tmdbSearchTvSchema = z.object({
  page: z.number().int(),
  total_pages: z.number().int(),
  total_results: z.number().int(),
  results: z.array(z.object({ id: z.number().int(), name: z.string(), first_air_date: airDate, popularity: z.number().optional() })),
});

export const tmdbFindSchema = z.object({
  tv_results: z.array(z.object({ id: z.number().int(), name: z.string().optional() })),
  /** An episode's own tvdb/imdb id (TV Time's `episode_id`): where TMDB files it. */
  tv_episode_results: z
    .array(z.object({ show_id: z.number().int(), season_number: z.number().int(), episode_number: z.number().int() }))
    .default([]),
  movie_results: z.array(z.object({ id: z.number().int() })).default([]),
});

export const tmdbChangesSchema = z.object({
  page: z.number().int(),
  total_pages: z.number().int(),
  results: z.array(z.object({ id: z.number().int() })),
});

export const tmdbMovieSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  runtime: z
    .number()
    .int()
    .nullish()
    .transform((value) => (value ? value : null)),
  release_date: airDate,
});

export type TmdbEpisode = z.infer<typeof tmdbEpisodeSchema>;
export type TmdbSeason = z.infer<typeof tmdbSeasonSchema>;
export type TmdbShow = z.infer<typeof tmdbShowSchema>;
export type TmdbSearchTv = z.infer<typeof tmdbSearchTvSchema>;
export type TmdbFind = z.infer<typeof tmdbFindSchema>;
export type TmdbChanges = z.infer<typeof tmdbChangesSchema>;
export type TmdbMovie = z.infer<typeof tmdbMovieSchema>;
