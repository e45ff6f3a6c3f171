import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { FieldValue, Timestamp, type Firestore } from "firebase-admin/firestore";
import { publicFunctionUrl } from "../shared/publicUrls";
import type { AppContext } from "../shared/app";
import { failedPrecondition } from "../shared/errors";
import type { CreateWebhookRequest, CreateWebhookResponse, DeleteWebhookResponse, WebhookKind } from "./schemas";

/**
 * Webhook secrets. The URL `createWebhook` returns ends in a 256-bit random secret that is never
 * stored: `webhook_secrets/{sha256(secret)}` (Admin SDK only; firestore.rules deny clients) maps its
 * hash to the owner, and `users/{uid}/webhooks/{webhookId}` (owner-readable) holds what the user sees:
 * kind, account and counters. Deleting the webhook deletes both, so its URL answers 404 from then on.
 */

/** Where `mediaServerWebhook` is served; `auto` = the deployed default URL of the project's function. */

/** Webhooks per user: one per server is the norm; a few more for several servers or accounts. */
export const MAX_WEBHOOKS_PER_USER = 10;
/** The last unmatched titles kept on the webhook document, newest last. */
export const MAX_UNMATCHED_TITLES = 20;

/** `webhook_secrets/{hash}`. */
export interface WebhookSecretDoc {
  uid: string;
  webhookId: string;
  secretHash: string;
  createdAt: Timestamp;
}

/** `users/{uid}/webhooks/{webhookId}` (README: Scrobbling and media-server webhooks). */
export interface WebhookDoc {
  kind: WebhookKind;
  account: string | null;
  createdAt: Timestamp;
  /** Requests answered 2xx. */
  received: number;
  /** Events applied to a show, episode or movie. */
  matched: number;
  /** Events understood but matching nothing on TMDB. */
  unmatched: number;
  /** Events of no interest (other accounts, music, other event types). */
  ignored: number;
  lastUnmatched: Array<{ title: string; at: Timestamp }>;
  lastEventAt: Timestamp | null;
}

export const webhookSecretsCollection = (db: Firestore) => db.collection("webhook_secrets");
export const webhooksCollection = (db: Firestore, uid: string) => db.collection("users").doc(uid).collection("webhooks");

export const hashSecret = (secret: string) => createHash("sha256").update(secret, "utf8").digest("hex");

/** What a secret looks like: 43 base64url characters (32 random bytes). Anything else is unknown without a read. */
const SECRET_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** `{PUBLIC_FUNCTIONS_URL}/mediaServerWebhook/{secret}`: the URL a media server is given (publicUrls.ts). */
export async function webhookUrl(secret: string): Promise<string> {
  return `${await publicFunctionUrl("mediaServerWebhook")}/${secret}`;
}

export async function createWebhook(
  ctx: Pick<AppContext, "db" | "clock">,
  uid: string,
  request: CreateWebhookRequest,
): Promise<CreateWebhookResponse> {
  const secret = randomBytes(32).toString("base64url");
  const secretHash = hashSecret(secret);
  const webhooks = webhooksCollection(ctx.db, uid);
  const ref = webhooks.doc();
  const now = Timestamp.fromDate(ctx.clock());
  // Counted outside any transaction: a count query inside one locks far more than this user's webhooks (under
  // the emulator, fifty users creating webhooks at once time out). The cap bounds abuse, not a race of one
  // user's own simultaneous calls, which can pass it by the calls in flight.
  const count = (await webhooks.count().get()).data().count;
  if (count >= MAX_WEBHOOKS_PER_USER) throw failedPrecondition(`At most ${MAX_WEBHOOKS_PER_USER} webhooks per user; delete one first`);
  const doc: WebhookDoc = {
    kind: request.kind,
    account: request.account ?? null,
    createdAt: now,
    received: 0,
    matched: 0,
    unmatched: 0,
    ignored: 0,
    lastUnmatched: [],
    lastEventAt: null,
  };
  const batch = ctx.db.batch();
  batch.create(ref, doc);
  batch.create(webhookSecretsCollection(ctx.db).doc(secretHash), {
    uid,
    webhookId: ref.id,
    secretHash,
    createdAt: now,
  } satisfies WebhookSecretDoc);
  await batch.commit();
  return { webhookId: ref.id, url: await webhookUrl(secret) };
}

/** Revokes a webhook: its secret stops working at once. `deleted: false` when there was none. */
export async function deleteWebhook(db: Firestore, uid: string, webhookId: string): Promise<DeleteWebhookResponse> {
  const ref = webhooksCollection(db, uid).doc(webhookId);
  const secrets = await webhookSecretsCollection(db).where("uid", "==", uid).where("webhookId", "==", webhookId).get();
  return db.runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    for (const secret of secrets.docs) tx.delete(secret.ref);
    if (snap.exists) tx.delete(ref);
    return { deleted: snap.exists };
  });
}

export interface ResolvedWebhook {
  uid: string;
  webhookId: string;
  webhook: WebhookDoc;
}

/**
 * The webhook a secret opens, or null: unknown, revoked, malformed or belonging to a deleted
 * webhook all look the same to the caller. The lookup is by hash; the stored hash is compared again
 * in constant time.
 */
export async function resolveSecret(db: Firestore, secret: string): Promise<ResolvedWebhook | null> {
  if (!SECRET_SHAPE.test(secret)) return null;
  const secretHash = hashSecret(secret);
  const snap = await webhookSecretsCollection(db).doc(secretHash).get();
  const data = snap.data() as WebhookSecretDoc | undefined;
  if (!data || typeof data.secretHash !== "string" || data.secretHash.length !== secretHash.length) return null;
  if (!timingSafeEqual(Buffer.from(data.secretHash), Buffer.from(secretHash))) return null;
  const webhook = await webhooksCollection(db, data.uid).doc(data.webhookId).get();
  if (!webhook.exists) return null;
  return { uid: data.uid, webhookId: data.webhookId, webhook: webhook.data() as WebhookDoc };
}

export type WebhookTally = { result: "matched" | "ignored" } | { result: "unmatched"; title: string };

/** Counts one answered event on the webhook document (one write; the titles list is bounded). */
export async function tallyWebhook(db: Firestore, uid: string, webhookId: string, tally: WebhookTally, now: Date): Promise<void> {
  const ref = webhooksCollection(db, uid).doc(webhookId);
  const at = Timestamp.fromDate(now);
  if (tally.result !== "unmatched") {
    await ref.update({ received: FieldValue.increment(1), [tally.result]: FieldValue.increment(1), lastEventAt: at });
    return;
  }
  await db.runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    if (!snap.exists) return;
    const titles = ((snap.data() as WebhookDoc).lastUnmatched ?? []).concat({ title: tally.title.slice(0, 200), at });
    tx.update(ref, {
      received: FieldValue.increment(1),
      unmatched: FieldValue.increment(1),
      lastEventAt: at,
      lastUnmatched: titles.slice(-MAX_UNMATCHED_TITLES),
    });
  });
}

/**
 * Revokes every webhook of a user whose data is being deleted (CONTRACT §9): each webhook as `deleteWebhook`
 * does, then any secret left whose webhook document was already gone (a crash between the two deletes).
 */
export async function deleteAllWebhooks(db: Firestore, uid: string): Promise<number> {
  const webhooks = await webhooksCollection(db, uid).select().get();
  for (const doc of webhooks.docs) await deleteWebhook(db, uid, doc.id);
  const orphans = await webhookSecretsCollection(db).where("uid", "==", uid).select().get();
  await Promise.all(orphans.docs.map((doc) => webhookSecretsCollection(db).doc(doc.id).delete()));
  return webhooks.size;
}
