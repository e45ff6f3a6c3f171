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
  TICKS_PER_SECOND,
  type ExternalIds,
  type MediaServerEvent,
  type ParsedWebhook,
  type WebhookItem,
} from "./events";

const lenient = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);
const numberLike = lenient(z.union([z.number(), z.string()]));
const boolLike = lenient(z.union([z.boolean(), z.string()]));
const text = lenient(z.string());

/**
 * The official Jellyfin webhook plugin (jellyfin-plugin-webhook) with "Send All Properties": a flat
 * object. Its default content type is text/plain; values may come as strings from custom templates.
 */
export const jellyfinPayloadSchema = z.object({
  NotificationType: z.string().min(1).max(100),
  NotificationUsername: text,
  ItemType: text,
  Name: text,
  Year: numberLike,
  SeriesName: text,
  SeasonNumber: numberLike,
  EpisodeNumber: numberLike,
  RunTimeTicks: numberLike,
  PlaybackPositionTicks: numberLike,
  PlayedToCompletion: boolLike,
  Played: boolLike,
  SaveReason: text,
  Provider_tmdb: numberLike,
  Provider_tvdb: numberLike,
  Provider_imdb: text,
});

const providerIdsSchema = lenient(z.record(z.string(), z.unknown()));
const baseItemSchema = z.object({
  Name: text,
  Type: text,
  SeriesName: text,
  IndexNumber: numberLike,
  ParentIndexNumber: numberLike,
  ProductionYear: numberLike,
  RunTimeTicks: numberLike,
  ProviderIds: providerIdsSchema,
  UserData: lenient(z.object({ PlaybackPositionTicks: numberLike, Played: boolLike, Rating: numberLike })),
});

/**
 * The other widely used plugin (shemanaev/jellyfin-plugin-webhooks, "Default" format): `Event`, and
 * Jellyfin's own DTOs for `Item`, `Series`, `User` and `Session` (PascalCase).
 */
export const jellyfinEventPayloadSchema = z.object({
  Event: z.string().min(1).max(100),
  Item: lenient(baseItemSchema),
  Series: lenient(baseItemSchema),
  User: lenient(z.object({ Name: text })),
  Session: lenient(z.object({ PlayState: lenient(z.object({ PositionTicks: numberLike })) })),
});

const truthy = (value: unknown) => value === true || (typeof value === "string" && value.trim().toLowerCase() === "true");
const ticksToSeconds = (value: unknown) => {
  const ticks = nonNegativeNumber(value);
  return ticks === undefined ? undefined : Math.round(ticks / (TICKS_PER_SECOND / 1000)) / 1000;
};

/** The official plugin's flat payload → one event. Pure. */
export function parseJellyfinPayload(json: unknown): ParsedWebhook {
  const parsed = jellyfinPayloadSchema.safeParse(json);
  if (!parsed.success) return invalid("body: not a Jellyfin webhook (no NotificationType)");
  const p = parsed.data;
  const type = p.NotificationType;
  if (!["PlaybackStart", "PlaybackProgress", "PlaybackStop", "UserDataSaved"].includes(type))
    return ignored("jellyfin", `notification ${type.slice(0, 40)}`);
  const ids = cleanIds({ tmdb: p.Provider_tmdb, tvdb: p.Provider_tvdb, imdb: p.Provider_imdb });
  const item = jellyfinItem(p.ItemType, {
    title: p.Name,
    showTitle: p.SeriesName,
    season: p.SeasonNumber,
    episode: p.EpisodeNumber,
    year: p.Year,
    ids,
    showIds: {},
  });
  if (!item) return ignored("jellyfin", `item type ${String(p.ItemType).slice(0, 20)}`);
  const base = { server: "jellyfin" as const, account: cleanTitleField(p.NotificationUsername), item };
  const durationSeconds = durationFrom(ticksToSeconds(p.RunTimeTicks));
  if (type === "UserDataSaved") {
    // Saved user data: the item was marked or played to the end. Ratings and positions come with playback events.
    if (!truthy(p.Played) || p.SaveReason === "UpdateUserRating") return ignored("jellyfin", "user data without a play");
    return event({ ...base, kind: "watched", durationSeconds });
  }
  if (type === "PlaybackStop" && truthy(p.PlayedToCompletion)) return event({ ...base, kind: "watched", durationSeconds });
  return event({ ...base, kind: "progress", positionSeconds: ticksToSeconds(p.PlaybackPositionTicks) ?? 0, durationSeconds });
}

/** The Event/Item/Series/Session plugin's payload → one event. Pure. */
export function parseJellyfinEventPayload(json: unknown): ParsedWebhook {
  const parsed = jellyfinEventPayloadSchema.safeParse(json);
  if (!parsed.success) return invalid("body: not a Jellyfin webhook (no Event)");
  const p = parsed.data;
  const kind = EVENT_KINDS[p.Event];
  if (!kind) return ignored("jellyfin", `event ${p.Event.slice(0, 40)}`);
  if (!p.Item) return invalid("body.Item: required for playback events");
  const item = jellyfinItem(p.Item.Type, {
    title: p.Item.Name,
    showTitle: p.Item.SeriesName ?? p.Series?.Name,
    season: p.Item.ParentIndexNumber,
    episode: p.Item.IndexNumber,
    year: p.Item.ProductionYear,
    ids: providerIds(p.Item.ProviderIds),
    showIds: providerIds(p.Series?.ProviderIds),
  });
  if (!item) return ignored("jellyfin", `item type ${String(p.Item.Type).slice(0, 20)}`);
  const base = { server: "jellyfin" as const, account: cleanTitleField(p.User?.Name), item };
  const durationSeconds = durationFrom(ticksToSeconds(p.Item.RunTimeTicks));
  if (kind === "watched") return event({ ...base, kind, durationSeconds });
  if (kind === "rate") {
    const rating = nonNegativeNumber(p.Item.UserData?.Rating);
    return event({ ...base, kind, rating: rating === undefined || rating <= 0 ? null : Math.min(10, Math.max(1, Math.round(rating))) });
  }
  const position = ticksToSeconds(p.Session?.PlayState?.PositionTicks) ?? ticksToSeconds(p.Item.UserData?.PlaybackPositionTicks) ?? 0;
  return event({ ...base, kind, positionSeconds: position, durationSeconds });
}

const EVENT_KINDS: Record<string, "progress" | "watched" | "rate" | undefined> = {
  Play: "progress",
  Resume: "progress",
  Progress: "progress",
  Pause: "progress",
  Stop: "progress",
  Scrobble: "watched",
  MarkPlayed: "watched",
  Rate: "rate",
};

const event = (e: MediaServerEvent): ParsedWebhook => ({ outcome: "event", event: e });

/** `ProviderIds` keys are `Tmdb`, `Tvdb`, `Imdb` (any case). */
function providerIds(record: Record<string, unknown> | undefined): ExternalIds {
  const lower: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record ?? {})) lower[key.toLowerCase()] = value;
  return cleanIds({ tmdb: lower.tmdb, tvdb: lower.tvdb, imdb: lower.imdb });
}

function jellyfinItem(
  type: string | undefined,
  fields: { title: unknown; showTitle: unknown; season: unknown; episode: unknown; year: unknown; ids: ExternalIds; showIds: ExternalIds },
): WebhookItem | null {
  if (type === "Episode") {
    return {
      type: "episode",
      showTitle: cleanTitleField(fields.showTitle),
      season: nonNegativeInt(fields.season) ?? null,
      episode: positiveInt(fields.episode) ?? null,
      ids: fields.ids,
      showIds: fields.showIds,
    };
  }
  if (type === "Movie")
    return { type: "movie", title: cleanTitleField(fields.title), year: positiveInt(fields.year) ?? null, ids: fields.ids };
  return null;
}
