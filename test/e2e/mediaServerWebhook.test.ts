import { historyCollection } from "../../functions/src/tracking/plays";
import { projectId, uniqueId, uniqueShowId } from "../support/admin";
import { sharedFakeTmdb } from "../support/client";
import { useE2eEnv } from "../support/e2e";
import { jellyfinPayload, plexMultipart, plexPayload } from "../support/webhookFixtures";

const e2e = useE2eEnv();
const fake = sharedFakeTmdb();

/** The running Functions emulator's `mediaServerWebhook`: `createWebhook` answers URLs under it (PUBLIC_FUNCTIONS_URL=auto). */
const emulatedWebhookBase = () =>
  `http://127.0.0.1:${5001 + Number(process.env.EMULATOR_PORT_OFFSET ?? 0)}/${projectId()}/us-central1/mediaServerWebhook/`;

async function post(url: string, contentType: string, body: Buffer) {
  const response = await fetch(url, { method: "POST", headers: { "Content-Type": contentType }, body });
  return { status: response.status, body: (await response.json().catch(() => null)) as { result?: string } | null };
}

async function show() {
  const showId = uniqueShowId();
  const name = `Over HTTP ${uniqueId("s")}`;
  await fake.setShow(showId, { name, seasons: [{ episodes: 4, airDate: "2021-01-01" }] });
  return { showId, name };
}

describe("mediaServerWebhook over HTTP (Functions emulator)", () => {
  it("a Plex session play → pause → resume → scrobble records one play and a playback position", async () => {
    const u = await e2e.user();
    const { webhookId, url } = await u.api.createWebhook({ kind: "plex", account: "alice" });
    // The URL the app shows its user works as given: it points at the running emulator.
    expect(url.startsWith(emulatedWebhookBase())).toBe(true);
    expect(url).toMatch(/\/mediaServerWebhook\/[A-Za-z0-9_-]{43}$/);
    const { showId, name } = await show();
    const episode = { showTitle: name, season: 1, episode: 3 };
    const event = (name: string, seconds: number, account = "alice") =>
      plexMultipart(plexPayload({ event: name, episode, account, viewOffsetMs: seconds * 1000, durationMs: 2_700_000 }), {
        thumbnailBytes: 4096,
      });

    for (const [name, seconds] of [
      ["media.play", 0],
      ["media.pause", 900],
      ["media.resume", 900],
    ] as const) {
      const { contentType, body } = event(name, seconds);
      expect(await post(url, contentType, body)).toEqual({ status: 200, body: { result: "matched:position" } });
    }
    const playback = await e2e.db.doc(`users/${u.uid}/playback/tv_${showId}_1_3`).get();
    expect(playback.data()).toMatchObject({ positionSeconds: 900, durationSeconds: 2700, watched: false });

    const scrobble = event("media.scrobble", 2500);
    expect(await post(url, scrobble.contentType, scrobble.body)).toEqual({ status: 200, body: { result: "matched:recorded" } });
    expect(await post(url, scrobble.contentType, scrobble.body)).toEqual({ status: 200, body: { result: "matched:repeat" } });
    const other = event("media.scrobble", 2500, "bob");
    expect(await post(url, other.contentType, other.body)).toEqual({ status: 200, body: { result: "ignored" } });

    const plays = (await historyCollection(e2e.db, u.uid).get()).docs.map((d) => d.data());
    expect(plays).toEqual([expect.objectContaining({ showId, season: 1, episode: 3, source: "plex" })]);
    expect((await e2e.db.doc(`users/${u.uid}/playback/tv_${showId}_1_3`).get()).data()).toMatchObject({ watched: true });
    expect((await e2e.db.doc(`users/${u.uid}/webhooks/${webhookId}`).get()).data()).toMatchObject({ received: 6, matched: 5, ignored: 1 });

    // The owner reads the webhook document; nobody reads the secrets collection.
    const { doc, getDoc } = await import("firebase/firestore");
    expect((await getDoc(doc(u.firestore(), "users", u.uid, "webhooks", webhookId))).exists()).toBe(true);
  });

  it("takes Jellyfin's text/plain JSON, and answers 404 / 400 / 413 writing nothing", async () => {
    const u = await e2e.user();
    const { webhookId, url } = await u.api.createWebhook({ kind: "jellyfin" });
    const { showId, name } = await show();
    const stop = jellyfinPayload({
      type: "PlaybackStop",
      episode: { showTitle: name, season: 1, episode: 1 },
      positionSeconds: 2600,
      runtimeSeconds: 2640,
      playedToCompletion: true,
    });
    expect(await post(url, "text/plain; charset=utf-8", Buffer.from(JSON.stringify(stop)))).toEqual({
      status: 200,
      body: { result: "matched:recorded" },
    });
    expect((await historyCollection(e2e.db, u.uid).get()).docs.map((d) => [d.get("showId"), d.get("source")])).toEqual([
      [showId, "jellyfin"],
    ]);

    const before = (await e2e.db.doc(`users/${u.uid}/webhooks/${webhookId}`).get()).data();
    const wrongSecret = url.replace(/.$/, (c) => (c === "A" ? "B" : "A"));
    expect((await post(wrongSecret, "text/plain", Buffer.from(JSON.stringify(stop)))).status).toBe(404);
    expect((await post(url, "text/plain", Buffer.from("definitely not a webhook"))).status).toBe(400);
    expect((await post(url, "application/octet-stream", Buffer.alloc(2 * 1024 * 1024, 0x7b))).status).toBe(413);
    expect((await e2e.db.doc(`users/${u.uid}/webhooks/${webhookId}`).get()).data()).toEqual(before);

    expect(await u.call("deleteWebhook", { webhookId })).toEqual({ deleted: true });
    expect((await post(url, "text/plain", Buffer.from(JSON.stringify(stop)))).status).toBe(404);
  });

  it("scrobble through the client SDK: one play, then already-exists within the runtime", async () => {
    const u = await e2e.user();
    const { showId } = await show();
    const media = { type: "episode", showId, season: 1, episode: 2 };
    expect(await u.call("scrobble", { action: "start", media, progress: 3 })).toEqual({
      action: "start",
      progress: 3,
      mediaKey: `tv_${showId}_1_2`,
    });
    expect(await u.call("scrobble", { action: "stop", media, progress: 96 })).toEqual({
      action: "scrobble",
      progress: 96,
      mediaKey: `tv_${showId}_1_2`,
    });
    await expect(u.call("scrobble", { action: "stop", media, progress: 97 })).rejects.toMatchObject({ code: "functions/already-exists" });
    await expect(u.call("scrobble", { action: "stop", media, progress: 0 })).rejects.toMatchObject({ code: "functions/invalid-argument" });
    expect((await historyCollection(e2e.db, u.uid).get()).docs.map((d) => d.get("source"))).toEqual(["scrobble"]);
  });
});
