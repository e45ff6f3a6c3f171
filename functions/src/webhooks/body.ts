import busboy from "busboy";
import { invalid, type ParsedWebhook } from "./events";
import { parseJellyfinEventPayload, parseJellyfinPayload } from "./jellyfin";
import { parsePlexPayload } from "./plex";

/**
 * The largest body read: a Plex payload with its thumbnail JPEG part is well under it. Anything
 * bigger is 413 before any parsing, so the work one request triggers is bounded.
 */
export const MAX_WEBHOOK_BYTES = 1024 * 1024;
/** Plex's `payload` field alone (the JSON, without the thumbnail). */
const MAX_PAYLOAD_FIELD_BYTES = 256 * 1024;

/**
 * Reads a webhook body into one event, whichever server sent it: Plex's multipart form (JSON in the
 * `payload` field, an optional thumbnail part skipped), or Jellyfin's JSON under any content type
 * (the official plugin sends text/plain by default). Never throws: a body that is not a webhook is
 * `invalid` (400).
 */
export async function parseWebhookBody(contentType: string | undefined, body: Buffer): Promise<ParsedWebhook> {
  if (body.length === 0) return invalid("body: empty");
  if (body.length > MAX_WEBHOOK_BYTES) return invalid("body: too large");
  const type = (contentType ?? "").toLowerCase();
  if (type.startsWith("multipart/form-data")) {
    const payload = await multipartPayloadField(contentType ?? "", body);
    if (payload === null) return invalid("body: multipart without a payload field");
    const json = parseJson(payload);
    return json === undefined ? invalid("payload: not JSON") : parsePlexPayload(json);
  }
  const json = parseJson(body.toString("utf8"));
  if (json === undefined) return invalid("body: not JSON");
  return parseJsonWebhook(json);
}

/** A JSON body: the official Jellyfin plugin, the Event/Item plugin, or a Plex payload posted as JSON. */
export function parseJsonWebhook(json: unknown): ParsedWebhook {
  if (!isRecord(json)) return invalid("body: not a JSON object");
  if ("NotificationType" in json) return parseJellyfinPayload(json);
  if ("Event" in json) return parseJellyfinEventPayload(json);
  if ("event" in json) return parsePlexPayload(json);
  return invalid("body: not a Plex or Jellyfin webhook");
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch {
    return undefined;
  }
}

/** The `payload` field of a multipart body (busboy, bounded), or null when absent or malformed. */
function multipartPayloadField(contentType: string, body: Buffer): Promise<string | null> {
  return new Promise((resolve) => {
    let payload: string | null = null;
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { "content-type": contentType },
        limits: { fields: 20, fieldSize: MAX_PAYLOAD_FIELD_BYTES, files: 4, fileSize: MAX_WEBHOOK_BYTES, parts: 24, headerPairs: 50 },
      });
    } catch {
      resolve(null); // no boundary, unsupported type
      return;
    }
    parser.on("field", (name, value, info) => {
      if (name === "payload" && payload === null && !info.valueTruncated) payload = value;
    });
    parser.on("file", (_name, stream) => stream.resume()); // the thumbnail: not needed
    parser.on("close", () => resolve(payload));
    parser.on("error", () => resolve(null));
    parser.end(body);
  });
}
