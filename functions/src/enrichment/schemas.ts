import { z } from "zod";
import { profileIdField, seasonNumberSchema, showIdSchema } from "../shared/validation";

export const enrichShowRequestSchema = z.object({ showId: showIdSchema, ...profileIdField });
export const enrichLibraryRequestSchema = z.object({ ...profileIdField });

export const enrichShowResponseSchema = z.object({
  showId: showIdSchema,
  /** Episodes that received TMDB fields in this call. */
  enriched: z.number().int().min(0),
  /** Episodes that already had every TMDB field. */
  alreadyEnriched: z.number().int().min(0),
  /** Episodes TMDB does not know (unknown season or episode). */
  notFound: z.number().int().min(0),
  /** Seasons another request is populating right now; call again shortly. */
  pendingSeasons: z.array(seasonNumberSchema),
});

export const enrichLibraryResponseSchema = z.object({
  shows: z.number().int().min(0),
  enriched: z.number().int().min(0),
  /** Seasons not enriched this time (populated by another request, or TMDB unavailable): call again later. */
  pendingSeasons: z.number().int().min(0),
});

export type EnrichShowRequest = z.infer<typeof enrichShowRequestSchema>;
export type EnrichLibraryRequest = z.infer<typeof enrichLibraryRequestSchema>;
export type EnrichShowResponse = z.infer<typeof enrichShowResponseSchema>;
export type EnrichLibraryResponse = z.infer<typeof enrichLibraryResponseSchema>;
