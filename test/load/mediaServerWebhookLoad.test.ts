import { historyCollection } from "../../functions/src/tracking/plays";
import { handleWebhook } from "../../functions/src/webhooks/handleWebhook";
import { createWebhook } from "../../functions/src/webhooks/secrets";
import { startTestEnv, uniqueId, uniqueShowId, type TestEnv } from "../support/admin";
import { plexMultipart, plexPayload } from "../support/webhookFixtures";

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

describe("mediaServerWebhook under 50 concurrent events", () => {
  it("answers 50 households' events at once (one event each); prints p50/p95", async () => {
    const showId = uniqueShowId();
    const name = `Busy Show ${uniqueId("a")}`;
    await env.fake.setShow(showId, { name, seasons: [{ episodes: 10, airDate: "2020-01-01" }] });
    const secrets = await Promise.all(
      Array.from(
        { length: 50 },
        async () => (await createWebhook(env.context(), uniqueId("user"), { kind: "plex" })).url.split("/").pop() ?? "",
      ),
    );
    const warm = plexMultipart(
      plexPayload({ event: "media.play", episode: { showTitle: name, season: 1, episode: 10 }, viewOffsetMs: 0, durationMs: 2_400_000 }),
    );
    await handleWebhook(env.context(), { method: "POST", path: `/${secrets[0]}`, contentType: warm.contentType, body: warm.body });
    const ctx = env.context();
    const timed = await Promise.all(
      secrets.map(async (secret, i) => {
        const request = plexMultipart(
          plexPayload({
            event: i % 2 ? "media.pause" : "media.scrobble",
            episode: { showTitle: name, season: 1, episode: 1 + (i % 9) },
            viewOffsetMs: 1_200_000,
            durationMs: 2_400_000,
          }),
          { thumbnailBytes: 8192 },
        );
        const started = performance.now();
        const answer = await handleWebhook(ctx, {
          method: "POST",
          path: `/${secret}`,
          contentType: request.contentType,
          body: request.body,
        });
        return { status: answer.status, ms: performance.now() - started };
      }),
    );
    expect(timed.map((t) => t.status)).toEqual(Array(50).fill(200));
    const sorted = timed.map((t) => t.ms).sort((a, b) => a - b);
    console.log(
      `mediaServerWebhook, 50 concurrent events of 50 households: p50 ${percentile(sorted, 50).toFixed(0)} ms, p95 ${percentile(sorted, 95).toFixed(0)} ms, max ${sorted[49].toFixed(0)} ms`,
    );
  });

  it("answers all 50 (10 households × 5 events at once), recording one play per scrobbled episode; prints p50/p95", async () => {
    const showId = uniqueShowId();
    const name = `Busy Show ${uniqueId("b")}`;
    await env.fake.setShow(showId, { name, seasons: [{ episodes: 10, airDate: "2020-01-01" }] });
    const hooks = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const uid = uniqueId("user");
        const { url } = await createWebhook(env.context(), uid, { kind: "plex" });
        return { uid, secret: url.split("/").pop() ?? "" };
      }),
    );
    // Warm the title and season caches once, as a running server would have them.
    const warm = plexMultipart(
      plexPayload({ event: "media.play", episode: { showTitle: name, season: 1, episode: 10 }, viewOffsetMs: 0, durationMs: 2_400_000 }),
    );
    await handleWebhook(env.context(), { method: "POST", path: `/${hooks[0].secret}`, contentType: warm.contentType, body: warm.body });

    const requests = hooks.flatMap(({ secret }, h) =>
      ["media.play", "media.pause", "media.resume", "media.scrobble", "media.stop"].map((event, i) => {
        const request = plexMultipart(
          plexPayload({
            event,
            episode: { showTitle: name, season: 1, episode: 1 + (h % 5) },
            viewOffsetMs: (i + 1) * 480_000,
            durationMs: 2_400_000,
          }),
          { thumbnailBytes: 8192 },
        );
        return { method: "POST", path: `/${secret}`, contentType: request.contentType, body: request.body };
      }),
    );
    const ctx = env.context();
    const timed = await Promise.all(
      requests.map(async (request) => {
        const started = performance.now();
        const answer = await handleWebhook(ctx, request);
        return { status: answer.status, ms: performance.now() - started };
      }),
    );
    expect(timed.map((t) => t.status)).toEqual(Array(50).fill(200));
    for (const { uid } of hooks) {
      const plays = (await historyCollection(env.db, uid).get()).docs.map((d) => d.get("source"));
      expect(plays).toEqual(["plex"]);
    }
    const sorted = timed.map((t) => t.ms).sort((a, b) => a - b);
    console.log(
      `mediaServerWebhook, 50 concurrent events: p50 ${percentile(sorted, 50).toFixed(0)} ms, p95 ${percentile(sorted, 95).toFixed(0)} ms, max ${sorted[49].toFixed(0)} ms`,
    );
  });
});
