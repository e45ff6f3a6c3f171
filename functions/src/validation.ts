import { z } from "zod";

/** Payload building blocks shared by every callable (CONTRACT §2). */
export const showIdSchema = z.number().int().positive().max(2_147_483_647);
export const movieIdSchema = showIdSchema;
export const seasonNumberSchema = z.number().int().min(0).max(9999);
export const episodeNumberSchema = z.number().int().min(1).max(99_999);

/** ISO-8601 timestamps with a time zone, as the contract uses in payloads and responses. */
export const isoTimestampSchema = z.iso.datetime({ offset: true });

/** A zod failure as one message that names the field, e.g. `showId: Too small: expected number to be >0`. */
export function describeValidationError(error: z.ZodError): string {
  const issue = error.issues[0];
  const path = issue?.path.length ? issue.path.map(String).join(".") : "payload";
  return `${path}: ${issue?.message ?? "invalid value"}`;
}
