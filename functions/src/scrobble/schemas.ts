import { z } from "zod";
import { profileIdField } from "../shared/validation";
import { mediaSchema } from "../playback/schemas";

/**
 * `scrobble` (README: Scrobbling and media-server webhooks), Trakt's rules: `start` and `pause` keep the position; `stop` at or above
 * `PLAYBACK_WATCHED_PERCENT` is the scrobble (one play), below it a pause. Progress below 1 % is
 * refused, as Trakt does.
 */
export const scrobbleRequestSchema = z.object({
  action: z.enum(["start", "pause", "stop"]),
  media: mediaSchema,
  progress: z.number().min(1).max(100),
  ...profileIdField,
});

export const scrobbleResponseSchema = z.object({
  /** What the call did: `scrobble` when it recorded (or had already recorded) the play. */
  action: z.enum(["start", "pause", "scrobble"]),
  progress: z.number().min(0).max(100),
  mediaKey: z.string(),
});

export type ScrobbleRequest = z.infer<typeof scrobbleRequestSchema>;
export type ScrobbleResponse = z.infer<typeof scrobbleResponseSchema>;
