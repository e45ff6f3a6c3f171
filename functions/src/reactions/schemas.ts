import { z } from "zod";
import { episodeNumberSchema, profileIdField, seasonNumberSchema, showIdSchema } from "../shared/validation";

/** The six reactions a user can leave on an episode, in the order clients show them. */
export const REACTION_TYPES = ["like", "love", "haha", "wow", "sad", "pray"] as const;
export const reactionTypeSchema = z.enum(REACTION_TYPES);
export type ReactionType = z.infer<typeof reactionTypeSchema>;

const episodeFields = { showId: showIdSchema, season: seasonNumberSchema, episode: episodeNumberSchema, ...profileIdField };

export const toggleReactionRequestSchema = z.object({ ...episodeFields, type: reactionTypeSchema });
export const getReactionsRequestSchema = z.object(episodeFields);
/** The caller's reaction to be exactly `type` afterwards (`null`: none): retry-safe, unlike a toggle. */
export const setReactionRequestSchema = z.object({ ...episodeFields, type: reactionTypeSchema.nullable() });

/** Every type is always present (0 when nobody reacted that way), so clients never guess. */
export const reactionCountsSchema = z.record(reactionTypeSchema, z.number().int().min(0));

/** `type` is the caller's reaction after the toggle; it is absent when the toggle removed it. */
export const toggleReactionResponseSchema = z.object({
  action: z.enum(["added", "changed", "removed"]),
  type: reactionTypeSchema.optional(),
  counts: reactionCountsSchema,
});
/** `unchanged`: the reaction already was `type` (a repeated request). */
export const setReactionResponseSchema = z.object({
  action: z.enum(["added", "changed", "removed", "unchanged"]),
  type: reactionTypeSchema.nullable(),
  counts: reactionCountsSchema,
});
export const getReactionsResponseSchema = z.object({ counts: reactionCountsSchema, mine: reactionTypeSchema.nullable() });

export type ToggleReactionRequest = z.infer<typeof toggleReactionRequestSchema>;
export type GetReactionsRequest = z.infer<typeof getReactionsRequestSchema>;
export type SetReactionRequest = z.infer<typeof setReactionRequestSchema>;
export type SetReactionResponse = z.infer<typeof setReactionResponseSchema>;
export type ReactionCounts = z.infer<typeof reactionCountsSchema>;
export type ToggleReactionResponse = z.infer<typeof toggleReactionResponseSchema>;
export type GetReactionsResponse = z.infer<typeof getReactionsResponseSchema>;
