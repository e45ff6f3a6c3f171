import { z } from "zod";
import { isFirestoreDate } from "./dates";

/** Payload building blocks shared by every callable (docs/API.md: Callables). */
export const showIdSchema = z.number().int().positive().max(2_147_483_647);
export const movieIdSchema = showIdSchema;
export const seasonNumberSchema = z.number().int().min(0).max(9999);
export const episodeNumberSchema = z.number().int().min(1).max(99_999);

/**
 * ISO-8601 timestamps with a time zone, as the contract uses in payloads and responses, within what
 * Firestore stores (years 1 to 9999 in UTC: `9999-12-31T23:59:59-05:00` is already year 10000).
 */
export const isoTimestampSchema = z.iso
  .datetime({ offset: true })
  .refine((value) => isFirestoreDate(new Date(value)), "must be between 0001-01-01 and 9999-12-31 (UTC)");

/**
 * A string that is safe as one Firestore document id: no `/` (it would address another path),
 * not `.` or `..`, not `__reserved__`, at most 1,500 bytes. Use it for every id a client sends.
 */
export const documentIdSchema = z
  .string()
  .min(1)
  .max(1500)
  .refine((id) => isSafeDocumentId(id), "must be a plain document id (no '/', '.', '..' or __reserved__ names)");

export function isSafeDocumentId(id: string): boolean {
  return id.length > 0 && Buffer.byteLength(id) <= 1500 && !id.includes("/") && id !== "." && id !== ".." && !/^__.*__$/.test(id);
}

const MAX_SEGMENT = 64;
const MAX_MESSAGE = 200;
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);

/**
 * A zod failure as one message that names the field, e.g. `showId: Too small: expected number to be >0`
 * (`payload: …` when the payload itself is wrong). Bounded: hostile keys are clipped, never echoed whole.
 */
export function describeValidationError(error: z.ZodError): string {
  const issue = error.issues[0];
  const segments = issue?.path.slice(0, 12).map((segment) => clip(String(segment), MAX_SEGMENT)) ?? [];
  const path = segments.length ? segments.join(".") + ((issue?.path.length ?? 0) > 12 ? ".…" : "") : "payload";
  return `${path}: ${clip(issue?.message ?? "invalid value", MAX_MESSAGE)}`;
}

/** A tracking document id that names a show. */
export const isShowId = (showId: number) => Number.isSafeInteger(showId) && showId > 0;

/**
 * A profile id (CONTRACT §9): a member's uid or a managed profile's generated id. Auth uids are at most
 * 128 characters; both are plain document ids, since a profile's data lives at `users/{profileId}`.
 */
export const profileIdSchema = documentIdSchema.max(128);
/**
 * The optional `profileId` every callable acting on a user's own data takes (CONTRACT §9): spread into
 * its request object. `defineCallable`'s `profile: true` authorises it; handlers never read it.
 */
export const profileIdField = { profileId: profileIdSchema.optional() };
