import { z } from "zod";
import {
  cleanIds,
  cleanTitleField,
  durationFrom,
  ignored,
  invalid,
  nonNegativeInt,
  nonNegativeNumber,
  positiveInt,
  type ExternalIds,
  type MediaServerEvent,
  type ParsedWebhook,
  type WebhookItem,
} from "./events";

const lenient = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);
const numberLike = lenient(z.union([z.number(), z.string()]));
const text = lenient(z.string());

/**
 * The JSON of a Plex webhook's `payload` form field (Plex's published layout). Only the fields used
 * here; others are allowed and dropped. A field of the wrong type is read as absent, not fatal: the
 * event and the item are what make a body a Plex webhook.
 */
export const plexPayloadSchema = z.object({
  event: z.string().min(1).max(100),
  /** `media.rate`: the new rating on Plex's 0..10 scale (-1 or absent when cleared). */
  rating: numberLike,
  Account: lenient(z.object({ title: text })),
  Metadata: lenient(
    z.object({
      type: text,
      title: text,
      grandparentTitle: text,
      parentIndex: numberLike,
      index: numberLike,
      year: numberLike,
      viewOffset: numberLike,
      duration: numberLike,
      userRating: numberLike,
      /** Legacy agents: `com.plexapp.agents.thetvdb://81189/1/1?lang=en` (the SHOW's id, then season/episode). */
      guid: text,
      /** New agents: `[{ id: "imdb://tt…" }, { id: "tmdb://…" }, { id: "tvdb://…" }]`, the item's own ids. */
      Guid: lenient(z.array(z.object({ id: z.string() }).catch({ id: "" })).max(50)),
    }),
  ),
});
export type PlexPayload = z.infer<typeof plexPayloadSchema>;

const PROGRESS_EVENTS = new Set(["media.play", "media.resume", "media.pause", "media.stop"]);

/** Reads the parsed JSON of a Plex `payload` field into one event (see `MediaServerEvent`). Pure. */
export function parsePlexPayload(json: unknown): ParsedWebhook {
  const parsed = plexPayloadSchema.safeParse(json);
  if (!parsed.success) return invalid("payload: not a Plex webhook (no event)");
  const payload = parsed.data;
  const { event } = payload;
  const isMedia = PROGRESS_EVENTS.has(event) || event === "media.scrobble" || event === "media.rate";
  if (!isMedia) return ignored("plex", `event ${event.slice(0, 40)}`);
  const metadata = payload.Metadata;
  if (!metadata) return invalid("payload.Metadata: required for media events");
  const item = plexItem(metadata);
  if (!item) return ignored("plex", `type ${String(metadata.type).slice(0, 20)}`);
  const account = cleanTitleField(payload.Account?.title);
  const durationSeconds = durationFrom(msToSeconds(metadata.duration));
  const base = { server: "plex" as const, account, item };
  let result: MediaServerEvent;
  if (event === "media.scrobble") result = { ...base, kind: "watched", durationSeconds };
  else if (event === "media.rate") result = { ...base, kind: "rate", rating: plexRating(payload.rating ?? metadata.userRating) };
  else result = { ...base, kind: "progress", positionSeconds: msToSeconds(metadata.viewOffset) ?? 0, durationSeconds };
  return { outcome: "event", event: result };
}

function plexItem(metadata: NonNullable<PlexPayload["Metadata"]>): WebhookItem | null {
  const ids = guidIds(metadata.Guid ?? []);
  const legacy = legacyGuid(metadata.guid);
  if (metadata.type === "episode") {
    return {
      type: "episode",
      showTitle: cleanTitleField(metadata.grandparentTitle),
      season: nonNegativeInt(metadata.parentIndex) ?? legacy?.season ?? null,
      episode: positiveInt(metadata.index) ?? legacy?.episode ?? null,
      ids,
      showIds: legacy?.showIds ?? {},
    };
  }
  if (metadata.type === "movie") {
    return {
      type: "movie",
      title: cleanTitleField(metadata.title),
      year: positiveInt(metadata.year) ?? null,
      ids: { ...legacy?.showIds, ...ids },
    };
  }
  return null;
}

/** `tmdb://123`, `tvdb://456`, `imdb://tt789` entries of `Metadata.Guid`. */
function guidIds(guids: Array<{ id: string }>): ExternalIds {
  const raw: Record<string, string> = {};
  for (const { id } of guids) {
    const match = /^(tmdb|tvdb|imdb):\/\/([^/?#\s]{1,40})$/.exec(id);
    if (match && !(match[1] in raw)) raw[match[1]] = match[2];
  }
  return cleanIds(raw);
}

const LEGACY_AGENTS: Record<string, keyof ExternalIds> = {
  "com.plexapp.agents.thetvdb": "tvdb",
  "com.plexapp.agents.themoviedb": "tmdb",
  "com.plexapp.agents.imdb": "imdb",
};

/** Legacy agent guids: `agent://<show or movie id>[/<season>/<episode>][?lang=..]`. */
function legacyGuid(guid: string | undefined): { showIds: ExternalIds; season?: number; episode?: number } | null {
  const match = guid ? /^([\w.]+):\/\/([^/?#]{1,40})(?:\/(\d{1,4})\/(\d{1,5}))?/.exec(guid) : null;
  const source = match ? LEGACY_AGENTS[match[1]] : undefined;
  if (!match || !source) return null;
  return { showIds: cleanIds({ [source]: match[2] }), season: nonNegativeInt(match[3]), episode: positiveInt(match[4]) };
}

function msToSeconds(value: unknown): number | undefined {
  const ms = nonNegativeNumber(value);
  return ms === undefined ? undefined : Math.round(ms) / 1000;
}

/** Plex rates 0..10 (half stars ×2); this backend 1..10. 0, negative or absent = the rating was cleared. */
export function plexRating(value: unknown): number | null {
  const rating = nonNegativeNumber(value);
  if (rating === undefined || rating <= 0) return null;
  return Math.min(10, Math.max(1, Math.round(rating)));
}
