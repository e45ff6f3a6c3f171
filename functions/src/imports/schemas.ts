import { z } from "zod";
import { documentIdSchema, profileIdField } from "../shared/validation";

/** docs/API.md: imports: an uploaded file (a ZIP of an export, or one of its files) is at most 50 MB. */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;
/** Raw bytes per `uploadImportPart` (base64 in the payload): well inside a callable's body and a Firestore document. */
export const IMPORT_PART_BYTES = 512 * 1024;
export const MAX_IMPORT_PARTS = Math.ceil(MAX_IMPORT_BYTES / IMPORT_PART_BYTES);

export const importSourceSchema = z.enum(["auto", "tvtime", "trakt", "csv"]);
export type ImportSourceOption = z.infer<typeof importSourceSchema>;
export const importStatusSchema = z.enum(["uploading", "queued", "running", "done", "failed"]);
export type ImportStatus = z.infer<typeof importStatusSchema>;

export const createImportRequestSchema = z.object({
  /** The file's own name (`seen_episode.csv`, `trakt-export.zip`): it tells the format. */
  fileName: z
    .string()
    .min(1)
    .max(255)
    .refine((name) => ![...name].some((c) => c.charCodeAt(0) < 32), "must not contain control characters"),
  sizeBytes: z.number().int().min(1).max(MAX_IMPORT_BYTES),
  source: importSourceSchema.optional(),
  ...profileIdField,
});
export type CreateImportRequest = z.infer<typeof createImportRequestSchema>;
export const createImportResponseSchema = z.object({ importId: z.string(), partBytes: z.number().int() });
export type CreateImportResponse = z.infer<typeof createImportResponseSchema>;

/** Base64 of at most IMPORT_PART_BYTES raw bytes (padding optional, no whitespace). */
const MAX_PART_BASE64 = Math.ceil(IMPORT_PART_BYTES / 3) * 4;
export const uploadImportPartRequestSchema = z.object({
  importId: documentIdSchema,
  index: z
    .number()
    .int()
    .min(0)
    .max(MAX_IMPORT_PARTS - 1),
  data: z
    .string()
    .min(1)
    .max(MAX_PART_BASE64, { abort: true }) // never run the pattern over an oversized string
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, "must be base64"),
  ...profileIdField,
});
export type UploadImportPartRequest = z.infer<typeof uploadImportPartRequestSchema>;
/** `received`: how many distinct parts the import holds now. */
export const uploadImportPartResponseSchema = z.object({ importId: z.string(), received: z.number().int() });
export type UploadImportPartResponse = z.infer<typeof uploadImportPartResponseSchema>;

export const startImportRequestSchema = z.object({
  importId: documentIdSchema,
  parts: z.number().int().min(1).max(MAX_IMPORT_PARTS),
  ...profileIdField,
});
export type StartImportRequest = z.infer<typeof startImportRequestSchema>;
export const startImportResponseSchema = z.object({ importId: z.string(), status: importStatusSchema });
export type StartImportResponse = z.infer<typeof startImportResponseSchema>;

/** At most this many unmatched rows are listed on the import document (all are counted). */
export const MAX_UNMATCHED_LISTED = 200;

/**
 * `users/{uid}/imports/{importId}` as a client reads it with a listener (docs/API.md: imports; Timestamps are
 * Firestore Timestamps in the document).
 */
export const importCountsSchema = z.object({
  added: z.number().int(),
  duplicates: z.number().int(),
  movies: z.number().int(),
  shows: z.number().int(),
  ratings: z.number().int(),
  watchlist: z.number().int(),
  unmatched: z.number().int(),
  invalid: z.number().int(),
});
export type ImportCounts = z.infer<typeof importCountsSchema>;
export const importUnmatchedSchema = z.object({ title: z.string(), reason: z.string() });
export type ImportUnmatched = z.infer<typeof importUnmatchedSchema>;
export const importErrorSchema = z.object({ code: z.string(), message: z.string() });
