/**
 * The payload schemas and types of every callable, for client apps and tests to import: the zod
 * schemas are the single source of truth for what each callable accepts.
 */
export * from "./enrichment/schemas";
export * from "./reactions/schemas";
export * from "./history/schemas";
export * from "./progress/schemas";
export * from "./playback/schemas";
export * from "./scrobble/schemas";
export * from "./webhooks/schemas";
export * from "./library/schemas";
export * from "./imports/schemas";
export * from "./social/schemas";
export * from "./contract";
