import { metered, type AppContext } from "../shared/app";
import { AppError } from "../shared/errors";
import { writeRating } from "../library/ratings";
import { storedMedia } from "../playback/documents";
import { reachesPercent } from "../playback/math";
import { requireMedia } from "../playback/media";
import type { Media } from "../playback/schemas";
import { knownRuntimeSeconds, recordCompletion, savePosition } from "../scrobble/viewing";
import { consumeRateWindow, type RateLimitPolicy } from "../security/rateLimit";
import { MAX_WEBHOOK_BYTES, parseWebhookBody } from "./body";
import type { MediaServerEvent } from "./events";
import { logWebhookFailed, logWebhookHandled } from "./logs";
import { resolveItem, type EpisodeFinder } from "./resolve";
import { resolveSecret, tallyWebhook, type ResolvedWebhook, type WebhookTally } from "./secrets";
import type { HttpAnswer, HttpRequestInfo } from "../shared/http";

/** A request to `mediaServerWebhook` (`POST /{secret}`), and its JSON answer. */
export type WebhookRequest = HttpRequestInfo;
export type WebhookAnswer = HttpAnswer<{ result: string } | { error: string }>;

/** Per secret: a server sends a few events per playback; bursts of a household's worth are fine. */
export const WEBHOOK_RATE_LIMIT: RateLimitPolicy = { name: "webhook", perMinute: 120, burst: 120 };

export interface HandleWebhookOptions {
  findEpisode?: EpisodeFinder;
  rateLimit?: RateLimitPolicy;
}

type Deps = Pick<AppContext, "db" | "tmdb" | "cache" | "clock" | "config">;

/**
 * `mediaServerWebhook` (README: Scrobbling and media-server webhooks). Checked in this order, each before any write: method (405),
 * size (413), secret (404: unknown, revoked or malformed alike), body (400), the secret's rate limit
 * (429). Then 2xx for anything understood: ignored (another account, music, other events), unmatched
 * (counted on the webhook document with its title), or applied: a position to the playback document,
 * a completion to one play (`source` plex/jellyfin; a repeat within the runtime is the same play), a
 * rating to `users/{uid}/ratings`.
 */
export async function handleWebhook(context: Deps, request: WebhookRequest, options: HandleWebhookOptions = {}): Promise<WebhookAnswer> {
  const started = Date.now();
  const ctx = metered(context);
  if (request.method !== "POST") return { status: 405, body: { error: "POST only" }, headers: { Allow: "POST" } };
  const declared = Number(request.contentLength ?? 0);
  const body = request.body ?? Buffer.alloc(0);
  if (declared > MAX_WEBHOOK_BYTES || body.length > MAX_WEBHOOK_BYTES) return { status: 413, body: { error: "body too large" } };

  const secret = request.path.split("/").filter(Boolean).pop() ?? "";
  const hook = await resolveSecret(ctx.db, secret);
  if (!hook) return { status: 404, body: { error: "not found" } };

  const parsed = await parseWebhookBody(request.contentType, body);
  if (parsed.outcome === "invalid") return { status: 400, body: { error: parsed.reason } };

  const log = (result: string, status: number, server?: string) =>
    logWebhookHandled({
      uid: hook.uid,
      webhookId: hook.webhookId,
      server: server ?? null,
      result,
      status,
      tmdbCalls: ctx.meter.requests,
      durationMs: Date.now() - started,
    });
  try {
    await consumeRateWindow(ctx.db, `webhook_${hook.webhookId}`, options.rateLimit ?? WEBHOOK_RATE_LIMIT, ctx.clock());
    if (parsed.outcome === "ignored") return await answer(ctx, hook, { result: "ignored" }, log, parsed.server);
    const { event } = parsed;
    if (!sameAccount(hook, event)) return await answer(ctx, hook, { result: "ignored" }, log, event.server);
    const resolution = await resolveItem(ctx, event.item, options.findEpisode);
    if (!resolution.media) return await answer(ctx, hook, { result: "unmatched", title: resolution.title }, log, event.server);
    const applied = await apply(ctx, hook.uid, event, resolution.media);
    if (applied === "unmatched") return await answer(ctx, hook, { result: "unmatched", title: titleOf(event) }, log, event.server);
    return await answer(ctx, hook, { result: "matched" }, log, event.server, applied);
  } catch (error) {
    if (error instanceof AppError && error.code === "resource-exhausted") {
      log("rate-limited", 429);
      return {
        status: 429,
        body: { error: "too many requests" },
        headers: { "Retry-After": String(error.details?.retryAfterSeconds ?? 60) },
      };
    }
    if (error instanceof AppError && error.code === "unavailable") {
      log("unavailable", 503);
      return { status: 503, body: { error: "TMDB is unavailable; try again later" }, headers: { "Retry-After": "60" } };
    }
    logWebhookFailed({ uid: hook.uid, webhookId: hook.webhookId, error });
    return { status: 500, body: { error: "internal error" } };
  }
}

/** Plex (and Jellyfin) events of another account than the one the webhook was created for are not ours. */
function sameAccount(hook: ResolvedWebhook, event: MediaServerEvent): boolean {
  const wanted = hook.webhook.account;
  if (!wanted) return true;
  return event.account !== null && event.account.toLowerCase() === wanted.trim().toLowerCase();
}

const titleOf = (event: MediaServerEvent) =>
  event.item.type === "movie"
    ? (event.item.title ?? "?")
    : `${event.item.showTitle ?? "?"} S${event.item.season ?? "?"}E${event.item.episode ?? "?"}`;

/** Applies a matched event; `unmatched` when TMDB does not have the item the ids or title pointed at. */
async function apply(ctx: Deps, uid: string, event: MediaServerEvent, media: Media): Promise<string> {
  try {
    if (event.kind === "rate") {
      if (event.rating !== null) await requireMedia(ctx, media);
      // An episode or movie is its own rating target (`tv_{show}_{season}_{episode}`, `movie_{id}`).
      await writeRating(ctx.db, uid, storedMedia(media), event.rating, ctx.clock());
      return "rated";
    }
    const duration = event.durationSeconds ?? (await knownRuntimeSeconds(ctx, uid, media));
    // A position past the watched threshold is the server telling us the viewing is complete, as its
    // scrobble will: recorded as the server's play (not the player's), once, whichever arrives first.
    const complete =
      event.kind === "watched" ||
      (duration !== null &&
        reachesPercent({ positionSeconds: event.positionSeconds, durationSeconds: duration }, ctx.config.playbackWatchedPercent));
    if (complete) {
      await requireMedia(ctx, media);
      return (await recordCompletion(ctx, uid, media, { source: event.server, runtimeSeconds: duration })).outcome;
    }
    if (event.kind !== "progress") return "ignored";
    if (duration === null) return "no-duration";
    await savePosition(ctx, uid, media, event.positionSeconds, duration);
    return "position";
  } catch (error) {
    if (error instanceof AppError && error.code === "not-found") return "unmatched";
    throw error;
  }
}

async function answer(
  ctx: Deps,
  hook: ResolvedWebhook,
  tally: WebhookTally,
  log: (result: string, status: number, server?: string) => void,
  server: string,
  detail?: string,
): Promise<WebhookAnswer> {
  try {
    await tallyWebhook(ctx.db, hook.uid, hook.webhookId, tally, ctx.clock());
  } catch (error) {
    // Deleted while this event was handled: the event itself was handled; nothing left to count on.
    logWebhookFailed({ uid: hook.uid, webhookId: hook.webhookId, error });
  }
  const result = detail ? `${tally.result}:${detail}` : tally.result;
  log(result, 200, server);
  return { status: 200, body: { result } };
}
