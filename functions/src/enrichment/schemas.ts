import { z } from "zod";
import { showIdSchema } from "../validation";

export const enrichShowRequestSchema = z.object({ showId: showIdSchema });
export const enrichLibraryRequestSchema = z.object({});

export type EnrichShowRequest = z.infer<typeof enrichShowRequestSchema>;
export type EnrichLibraryRequest = z.infer<typeof enrichLibraryRequestSchema>;
