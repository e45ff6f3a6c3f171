/**
 * What a media server webhook means to this backend, whatever server sent it: one normalised event
 * per request. Parsers (`plex.ts`, `jellyfin.ts`) produce it; `handleWebhook.ts` acts on it.
 */

/** The ids a media server gives an item. For an episode these are the EPISODE's ids, not the show's. */
export interface ExternalIds {
  tmdb?: number;
  tvdb?: string;
  imdb?: string;
}

export type WebhookItem =
  | {
      type: "episode";
      /** The series title, for the title-cache fallback. */
      showTitle: string | null;
      season: number | null;
      episode: number | null;
      /** The episode's own ids. */
      ids: ExternalIds;
      /** The series' ids, when the server sends them (the Event/Item/Series Jellyfin plugin does). */
      showIds: ExternalIds;
    }
  | { type: "movie"; title: string | null; year: number | null; ids: ExternalIds };

export type WebhookServer = "plex" | "jellyfin";

/**
 * `progress`: a position to keep (play, resume, pause, stop, progress); `watched`: the server says the
 * item was played to completion (one play); `rate`: a user rating 1..10, or null for a cleared one.
 */
export type MediaServerEvent =
  | {
      server: WebhookServer;
      kind: "progress";
      account: string | null;
      item: WebhookItem;
      positionSeconds: number;
      durationSeconds: number | null;
    }
  | { server: WebhookServer; kind: "watched"; account: string | null; item: WebhookItem; durationSeconds: number | null }
  | { server: WebhookServer; kind: "rate"; account: string | null; item: WebhookItem; rating: number | null };

/**
 * The result of reading a body: an event to act on; a webhook understood but of no interest (music,
 * library scans, another event type: answered 2xx, nothing written); or not a webhook at all (400).
 */
export type ParsedWebhook =
  | { outcome: "event"; event: MediaServerEvent }
  | { outcome: "ignored"; server: WebhookServer; reason: string }
  | { outcome: "invalid"; reason: string };

export const invalid = (reason: string): ParsedWebhook => ({ outcome: "invalid", reason });
export const ignored = (server: WebhookServer, reason: string): ParsedWebhook => ({ outcome: "ignored", server, reason });

/** Jellyfin counts time in 100 ns ticks. */
export const TICKS_PER_SECOND = 10_000_000;

/** A positive whole number from a number or a numeric string (servers send both), else undefined. */
export function positiveInt(value: unknown): number | undefined {
  const n = typeof value === "string" && /^\d{1,15}$/.test(value.trim()) ? Number(value) : value;
  return typeof n === "number" && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** A whole number ≥ 0 (season 0 = specials), from a number or a numeric string. */
export function nonNegativeInt(value: unknown): number | undefined {
  const n = typeof value === "string" && /^\d{1,15}$/.test(value.trim()) ? Number(value) : value;
  return typeof n === "number" && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** A finite number ≥ 0 from a number or a numeric string. */
export function nonNegativeNumber(value: unknown): number | undefined {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) && n >= 0 ? n : undefined;
}

const TVDB_ID = /^\d{1,20}$/;
const IMDB_ID = /^tt\d{5,20}$/;

/** Keeps only well-formed ids: a tvdb number, an imdb `tt…`, a positive tmdb integer. */
export function cleanIds(raw: { tmdb?: unknown; tvdb?: unknown; imdb?: unknown }): ExternalIds {
  const ids: ExternalIds = {};
  const tmdb = positiveInt(raw.tmdb);
  if (tmdb !== undefined) ids.tmdb = tmdb;
  const tvdb = typeof raw.tvdb === "number" ? String(raw.tvdb) : typeof raw.tvdb === "string" ? raw.tvdb.trim() : "";
  if (TVDB_ID.test(tvdb) && Number(tvdb) > 0) ids.tvdb = tvdb;
  const imdb = typeof raw.imdb === "string" ? raw.imdb.trim() : "";
  if (IMDB_ID.test(imdb)) ids.imdb = imdb;
  return ids;
}

/** A title worth searching for: trimmed, at most 200 characters, null when empty. */
export function cleanTitleField(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const title = value.replace(/\s+/g, " ").trim();
  return title === "" ? null : title.slice(0, 200);
}

/** Seconds from a duration that must be positive and at most 11 days (the playback bound). */
export function durationFrom(seconds: number | undefined): number | null {
  return seconds !== undefined && seconds > 0 && seconds <= 1_000_000 ? seconds : null;
}
