import { z } from "zod";
import { canonicalTimeZone } from "./zones";
import { tmdbLanguageOf } from "./tags";

/** A BCP 47 tag TMDB has translations for (`fr-FR`, `pt-BR`), in TMDB's spelling. */
export const languageSchema = z
  .string()
  .max(35)
  .transform((tag, ctx) => {
    const known = tmdbLanguageOf(tag);
    if (known) return known;
    ctx.addIssue({ code: "custom", message: "must be a language TMDB has translations for, e.g. fr-FR or pt-BR" });
    return z.NEVER;
  });

/** An IANA time zone (`Europe/Paris`), in the database's spelling. */
export const timeZoneSchema = z
  .string()
  .max(64)
  .transform((zone, ctx) => {
    const known = canonicalTimeZone(zone);
    if (known) return known;
    ctx.addIssue({ code: "custom", message: "must be an IANA time zone, e.g. Europe/Paris" });
    return z.NEVER;
  });

export const setPreferencesRequestSchema = z.object({
  language: languageSchema.optional(),
  timeZone: timeZoneSchema.optional(),
  // TODO(households #23): the profile rules (the caller's uid or a managed profile of their household) come
  // with `defineCallable`'s profile flag; until it is merged, only the caller's own uid is accepted.
  profileId: z.string().min(1).max(128).optional(),
});

export const preferencesSchema = z.object({ language: z.string(), timeZone: z.string() });
export const setPreferencesResponseSchema = preferencesSchema;

export type SetPreferencesRequest = z.infer<typeof setPreferencesRequestSchema>;
export type Preferences = z.infer<typeof preferencesSchema>;
