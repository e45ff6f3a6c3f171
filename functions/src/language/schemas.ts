import { z } from "zod";
import { canonicalTimeZone } from "./zones";
import { tmdbLanguageOf } from "./tags";
import { profileIdField } from "../shared/validation";

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
  // The profile whose preferences these are (CONTRACT §9): authorised by `defineCallable` (`profile: true`).
  ...profileIdField,
});

export const preferencesSchema = z.object({ language: z.string(), timeZone: z.string() });
export const setPreferencesResponseSchema = preferencesSchema;

export type SetPreferencesRequest = z.infer<typeof setPreferencesRequestSchema>;
export type Preferences = z.infer<typeof preferencesSchema>;
