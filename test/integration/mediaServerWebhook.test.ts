import { FieldPath } from "firebase-admin/firestore";
import fc from "fast-check";
import { rateLimitRef } from "../../functions/src/security/rateLimit";
import { playbackCollection } from "../../functions/src/playback/documents";
import { historyCollection } from "../../functions/src/tracking/plays";
import { MAX_WEBHOOK_BYTES } from "../../functions/src/webhooks/body";
import { handleWebhook, type WebhookRequest } from "../../functions/src/webhooks/handleWebhook";
import { createWebhook, deleteWebhook, webhookSecretsCollection, webhooksCollection } from "../../functions/src/webhooks/secrets";
import { startTestEnv, uniqueId, uniqueShowId, type TestEnv } from "../support/admin";
import { jellyfinEventPayload, jellyfinPayload, plexMultipart, plexPayload } from "../support/webhookFixtures";

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());

const secretOf = (url: string) => url.split("/").pop() ?? "";

async function hook(kind: "plex" | "jellyfin", account?: string) {
  const uid = uniqueId("user");
  const { webhookId, url } = await createWebhook(env.context(), uid, { kind, ...(account ? { account } : {}) });
  return { uid, webhookId, secret: secretOf(url) };
}

/** A show only a title search finds (unique name), with 3 episodes of 40 minutes in season 1. */
async function titledShow(): Promise<{ showId: number; name: string }> {
  const showId = uniqueShowId();
  const name = `Webhook Show ${uniqueId("t")}`;
  await env.fake.setShow(showId, { name, seasons: [{ episodes: 3, airDate: "2020-01-01", runtime: 40 }] });
  return { showId, name };
}

/** The rate-limit counters of a key (`{key}@{policy}@{minute}`, see consumeRateWindow). */
const rateCounters = async (key: string) =>
  (await rateLimitRef(env.db, key).parent.orderBy(FieldPath.documentId()).startAt(`${key}@`).endAt(`${key}@\uf8ff`).get()).size;

const send = (secret: string, request: { contentType?: string; body: Buffer }, extra: Partial<WebhookRequest> = {}) =>
  handleWebhook(env.context(), {
    method: "POST",
    path: `/${secret}`,
    contentType: request.contentType,
    contentLength: String(request.body.length),
    body: request.body,
    ...extra,
  });
const plex = (secret: string, payload: unknown) => send(secret, plexMultipart(payload, { thumbnailBytes: 2048 }));
const jellyfin = (secret: string, payload: unknown) =>
  send(secret, { contentType: "text/plain; charset=utf-8", body: Buffer.from(JSON.stringify(payload)) });

const plays = async (uid: string) => (await historyCollection(env.db, uid).get()).docs.map((d) => d.data());
const webhookDoc = async (uid: string, webhookId: string) => (await webhooksCollection(env.db, uid).doc(webhookId).get()).data();
const userWrites = async (uid: string) => {
  const collections = await env.db.collection("users").doc(uid).listCollections();
  const names = collections.map((c) => c.id).filter((id) => id !== "webhooks");
  return names;
};

describe("mediaServerWebhook handler", () => {
  it("Plex play → pause → resume → scrobble records one play (source plex) and the position", async () => {
    const { uid, webhookId, secret } = await hook("plex", "alice");
    const { showId, name } = await titledShow();
    const episode = { showTitle: name, season: 1, episode: 2 };
    const at = (event: string, seconds: number) =>
      plex(secret, plexPayload({ event, episode, account: "alice", viewOffsetMs: seconds * 1000, durationMs: 2_400_000 }));

    expect(await at("media.play", 0)).toEqual({ status: 200, body: { result: "matched:position" } });
    await at("media.pause", 600);
    const paused = (await playbackCollection(env.db, uid).doc(`tv_${showId}_1_2`).get()).data();
    expect(paused).toMatchObject({ positionSeconds: 600, durationSeconds: 2400, completionPercentage: 25, watched: false });
    await at("media.resume", 600);
    expect(await at("media.scrobble", 2200)).toEqual({ status: 200, body: { result: "matched:recorded" } });
    expect(await plays(uid)).toEqual([expect.objectContaining({ showId, season: 1, episode: 2, source: "plex" })]);
    expect((await playbackCollection(env.db, uid).doc(`tv_${showId}_1_2`).get()).data()).toMatchObject({ watched: true });
    // Media servers resend: the same scrobble again within the runtime is the same play.
    expect(await at("media.scrobble", 2200)).toEqual({ status: 200, body: { result: "matched:repeat" } });
    await at("media.stop", 2300);
    expect(await plays(uid)).toHaveLength(1);
    expect(await webhookDoc(uid, webhookId)).toMatchObject({ received: 6, matched: 6, unmatched: 0, ignored: 0 });
  });

  it("fifty households creating webhooks and finishing an episode at once: all answered, one play each", async () => {
    const { showId, name } = await titledShow();
    // Under the emulator, transactions that query (a count, a user's plays) queue behind each other across users:
    // fifty at once timed out (ABORTED) before webhooks and plays stopped querying inside transactions.
    const hooks = await Promise.all(Array.from({ length: 50 }, () => hook("plex")));
    const answers = await Promise.all(
      hooks.map(({ secret }, i) =>
        plex(
          secret,
          plexPayload({
            event: "media.scrobble",
            episode: { showTitle: name, season: 1, episode: 1 + (i % 3) },
            viewOffsetMs: 2_300_000,
            durationMs: 2_400_000,
          }),
        ),
      ),
    );
    expect(answers.map((a) => a.body)).toEqual(Array(50).fill({ result: "matched:recorded" }));
    const recorded = await Promise.all(hooks.map(async ({ uid }) => (await plays(uid)).map((p) => [p.showId, p.source])));
    expect(recorded).toEqual(Array(50).fill([[showId, "plex"]]));
  });

  it("ignores events of another Plex account and non-video items (2xx, nothing written)", async () => {
    const { uid, webhookId, secret } = await hook("plex", "alice");
    const { name } = await titledShow();
    expect(
      await plex(secret, plexPayload({ event: "media.scrobble", episode: { showTitle: name, season: 1, episode: 1 }, account: "bob" })),
    ).toEqual({
      status: 200,
      body: { result: "ignored" },
    });
    expect(await plex(secret, plexPayload({ event: "library.new", episode: { showTitle: name, season: 1, episode: 1 } }))).toMatchObject({
      status: 200,
    });
    expect(await userWrites(uid)).toEqual([]);
    expect(await webhookDoc(uid, webhookId)).toMatchObject({ received: 2, ignored: 2, matched: 0 });
  });

  it("Jellyfin: PlaybackStop played to completion and UserDataSaved Played each record one play (source jellyfin)", async () => {
    const { uid, secret } = await hook("jellyfin");
    const { showId, name } = await titledShow();
    const stop = jellyfinPayload({
      type: "PlaybackStop",
      episode: { showTitle: name, season: 1, episode: 1 },
      positionSeconds: 2390,
      runtimeSeconds: 2400,
      playedToCompletion: true,
    });
    expect(await jellyfin(secret, stop)).toMatchObject({ status: 200, body: { result: "matched:recorded" } });
    const saved = jellyfinPayload({
      type: "UserDataSaved",
      episode: { showTitle: name, season: 1, episode: 3 },
      played: true,
      saveReason: "TogglePlayed",
    });
    expect(await jellyfin(secret, saved)).toMatchObject({ status: 200, body: { result: "matched:recorded" } });
    // The plugin also sends UserDataSaved after the stop: the same viewing, one play.
    expect(await jellyfin(secret, { ...saved, EpisodeNumber: 1 })).toMatchObject({ body: { result: "matched:repeat" } });
    const recorded = await plays(uid);
    expect(recorded.map((p) => [p.showId, p.episode, p.source]).sort()).toEqual([
      [showId, 1, "jellyfin"],
      [showId, 3, "jellyfin"],
    ]);
  });

  it("reads the Event/Item/Series plugin with the series' TMDB id, and ratings", async () => {
    const { uid, secret } = await hook("jellyfin");
    const { showId } = await titledShow();
    const episode = { showTitle: "Not the real title", season: 1, episode: 2, showTmdb: showId };
    expect(
      await jellyfin(secret, jellyfinEventPayload({ event: "Pause", episode, positionSeconds: 1200, runtimeSeconds: 2400 })),
    ).toMatchObject({ body: { result: "matched:position" } });
    expect((await playbackCollection(env.db, uid).doc(`tv_${showId}_1_2`).get()).data()).toMatchObject({ completionPercentage: 50 });
    expect(await jellyfin(secret, jellyfinEventPayload({ event: "Rate", episode, rating: 8 }))).toMatchObject({
      body: { result: "matched:rated" },
    });
    expect((await env.db.collection("users").doc(uid).collection("ratings").doc(`tv_${showId}_1_2`).get()).data()).toMatchObject({
      rating: 8,
    });
  });

  it("resolves an episode by its own tvdb/imdb id through /find, one TMDB request per id across users", async () => {
    const showId = uniqueShowId();
    await env.fake.setShow(showId, {
      name: `Renamed ${showId}`,
      seasons: [
        { episodes: 3, airDate: "2020-01-01" },
        { episodes: 4, airDate: "2021-01-01" },
      ],
    });
    const episodeId = showId * 1_000_000 + 2 * 20_000 + 3; // the fake's TMDB episode id; tvdb "8<id>", imdb "tt0<id>"
    const episode = { showTitle: "A title TMDB has never heard of", season: 9, episode: 9, tvdb: `8${episodeId}`, imdb: `tt0${episodeId}` };
    for (let i = 0; i < 2; i++) {
      const { uid, secret } = await hook("plex");
      expect(await plex(secret, plexPayload({ event: "media.scrobble", episode, durationMs: 2_400_000 }))).toEqual({
        status: 200,
        body: { result: "matched:recorded" },
      });
      expect(await plays(uid)).toEqual([expect.objectContaining({ showId, season: 2, episode: 3, source: "plex" })]);
    }
    expect((await env.fake.requests(`/find/8${episodeId}`)).length).toBe(1);
  });

  it("counts an unmatchable item with its title, answering 2xx", async () => {
    const { uid, webhookId, secret } = await hook("plex");
    const unknown = { showTitle: `Nothing Like This ${uniqueId("x")}`, season: 2, episode: 7, tvdb: "12345" };
    expect(await plex(secret, plexPayload({ event: "media.scrobble", episode: unknown, durationMs: 1_000_000 }))).toEqual({
      status: 200,
      body: { result: "unmatched" },
    });
    // A title that matches a show, but an episode TMDB does not have: unmatched too.
    const { name } = await titledShow();
    expect(await plex(secret, plexPayload({ event: "media.scrobble", episode: { showTitle: name, season: 4, episode: 1 } }))).toEqual({
      status: 200,
      body: { result: "unmatched" },
    });
    const doc = await webhookDoc(uid, webhookId);
    expect(doc).toMatchObject({ received: 2, unmatched: 2, matched: 0 });
    expect(doc?.lastUnmatched.map((u: { title: string }) => u.title)).toEqual([`${unknown.showTitle} S02E07`, `${name} S4E1`]);
    expect(await plays(uid)).toEqual([]);
  });

  it("answers 404 for unknown or revoked secrets, 400 for non-webhooks, 413 for oversized bodies, writing nothing", async () => {
    const { uid, webhookId, secret } = await hook("plex");
    const { name } = await titledShow();
    const valid = plexMultipart(plexPayload({ event: "media.scrobble", episode: { showTitle: name, season: 1, episode: 1 } }));
    expect((await send("A".repeat(43), valid)).status).toBe(404);
    expect((await send("../../etc", valid)).status).toBe(404);
    expect((await send(secret, { contentType: "application/json", body: Buffer.from('{"hello":1}') })).status).toBe(400);
    expect((await send(secret, { contentType: "multipart/form-data; boundary=zz", body: Buffer.from("--zz--") })).status).toBe(400);
    expect((await send(secret, valid, { contentLength: String(MAX_WEBHOOK_BYTES + 1) })).status).toBe(413);
    expect((await send(secret, plexMultipart({ event: "media.play" }, { thumbnailBytes: MAX_WEBHOOK_BYTES }))).status).toBe(413);
    expect((await send(secret, valid, { method: "GET" })).status).toBe(405);
    expect(await userWrites(uid)).toEqual([]);
    expect(await webhookDoc(uid, webhookId)).toMatchObject({ received: 0 });
    expect(await rateCounters(`webhook_${webhookId}`)).toBe(0);

    expect(await deleteWebhook(env.db, uid, webhookId)).toEqual({ deleted: true });
    expect((await send(secret, valid)).status).toBe(404);
    expect(await deleteWebhook(env.db, uid, webhookId)).toEqual({ deleted: false });
    expect((await webhookSecretsCollection(env.db).where("uid", "==", uid).get()).size).toBe(0);
  });

  it("stores only the secret's hash", async () => {
    const { uid, secret } = await hook("plex");
    const stored = await webhookSecretsCollection(env.db).where("uid", "==", uid).get();
    expect(stored.size).toBe(1);
    expect(JSON.stringify(stored.docs[0].data())).not.toContain(secret);
    expect(stored.docs[0].id).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.docs[0].id).not.toContain(secret);
  });

  it("rate-limits per secret", async () => {
    const { secret, webhookId } = await hook("plex");
    const request = plexMultipart(plexPayload({ event: "library.new", episode: { showTitle: "x", season: 1, episode: 1 } }));
    const limited = (s: string) =>
      handleWebhook(
        env.context(),
        { method: "POST", path: `/${s}`, contentType: request.contentType, body: request.body },
        { rateLimit: { name: "webhook", perMinute: 1, burst: 2 } },
      );
    expect((await limited(secret)).status).toBe(200);
    expect((await limited(secret)).status).toBe(200);
    expect(await limited(secret)).toMatchObject({ status: 429, headers: { "Retry-After": expect.any(String) } });
    expect(await rateCounters(`webhook_${webhookId}`)).toBeGreaterThanOrEqual(1);
    const other = await hook("plex");
    expect((await limited(other.secret)).status).toBe(200);
  });

  it("takes a burst of simultaneous events on one secret within its budget, none refused (blind counters, no transaction)", async () => {
    const { secret } = await hook("plex");
    const request = plexMultipart(plexPayload({ event: "library.new", episode: { showTitle: "x", season: 1, episode: 1 } }));
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        handleWebhook(
          env.context(),
          { method: "POST", path: `/${secret}`, contentType: request.contentType, body: request.body },
          { rateLimit: { name: "webhook", perMinute: 8, burst: 8 } },
        ),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
  });

  it("fuzz: 1,000 garbage requests always get a 4xx and write nothing", async () => {
    const { uid, webhookId, secret } = await hook("jellyfin");
    const contentType = fc.constantFrom(
      "application/json",
      "text/plain",
      "multipart/form-data; boundary=b",
      "multipart/form-data",
      "application/x-www-form-urlencoded",
      undefined,
    );
    const garbageBody = fc.oneof(
      fc.uint8Array({ maxLength: 512 }).map((bytes) => Buffer.from(bytes)),
      fc.json().map((text) => Buffer.from(text)),
      fc.dictionary(fc.string(), fc.jsonValue()).map((value) => Buffer.from(JSON.stringify(value))),
      fc
        .constantFrom(
          '{"NotificationType":7}',
          '{"Event":{}}',
          '{"event":null}',
          "--b\r\n\r\n--b--",
          '{"Event":"Play"}',
          '{"event":"media.play"}',
        )
        .map((s) => Buffer.from(s)),
    );
    const path = fc.oneof(
      fc.constant(`/${secret}`),
      fc.string().map((s) => `/${s}`),
      fc.constant(`/${secret.slice(0, -1)}x`),
    );
    await fc.assert(
      fc.asyncProperty(path, contentType, garbageBody, async (p, type, body) => {
        const answer = await handleWebhook(env.context(), { method: "POST", path: p, contentType: type, body });
        expect(answer.status).toBeGreaterThanOrEqual(400);
        expect(answer.status).toBeLessThan(500);
      }),
      { numRuns: 1000 },
    );
    expect(await userWrites(uid)).toEqual([]);
    expect(await webhookDoc(uid, webhookId)).toMatchObject({ received: 0 });
    expect(await rateCounters(`webhook_${webhookId}`)).toBe(0);
  });
});
