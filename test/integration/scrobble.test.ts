import { historyCollection } from "../../functions/src/tracking/plays";
import { playbackRef } from "../../functions/src/playback/documents";
import type { Media } from "../../functions/src/playback/schemas";
import { scrobble } from "../../functions/src/scrobble/scrobble";
import { scrobbleRequestSchema } from "../../functions/src/scrobble/schemas";
import { scrobbleRef } from "../../functions/src/scrobble/viewing";
import { trackingRef } from "../../functions/src/tracking/trackingDoc";
import { startTestEnv, uniqueId, uniqueShowId, type TestEnv } from "../support/admin";

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());

/** A clock the test moves by hand: the repeat window is about time, not about how fast the test runs. */
function manualClock(start = Date.parse("2026-03-01T20:00:00Z")) {
  let now = start;
  return { clock: () => new Date(now), advanceMinutes: (minutes: number) => (now += minutes * 60_000) };
}

async function episode(): Promise<Media & { type: "episode" }> {
  const showId = uniqueShowId();
  await env.fake.setShow(showId, { name: `Scrobbled ${showId}`, seasons: [{ episodes: 5, airDate: "2020-01-01" }] });
  return { type: "episode", showId, season: 1, episode: 2 };
}
const plays = async (uid: string) => (await historyCollection(env.db, uid).get()).docs.map((d) => d.data());

describe("scrobble", () => {
  it("start and pause keep the position; stop at 95 % records one play and marks the episode watched", async () => {
    const uid = uniqueId("user");
    const media = await episode();
    const { clock } = manualClock();
    const ctx = env.context({ clock });

    expect(await scrobble(ctx, uid, { action: "start", media, progress: 10 })).toEqual({
      action: "start",
      progress: 10,
      mediaKey: `tv_${media.showId}_1_2`,
    });
    expect(await scrobble(ctx, uid, { action: "pause", media, progress: 40 })).toMatchObject({ action: "pause" });
    expect((await playbackRef(env.db, uid, media).get()).data()).toMatchObject({ completionPercentage: 40, watched: false });
    // A stop below the threshold is a pause (Trakt).
    expect(await scrobble(ctx, uid, { action: "stop", media, progress: 60 })).toMatchObject({ action: "pause", progress: 60 });
    expect(await plays(uid)).toEqual([]);

    expect(await scrobble(ctx, uid, { action: "stop", media, progress: 95 })).toMatchObject({ action: "scrobble", progress: 95 });
    expect(await plays(uid)).toEqual([
      expect.objectContaining({ showId: media.showId, season: 1, episode: 2, source: "scrobble", action: "scrobble" }),
    ]);
    expect((await trackingRef(env.db, uid, media.showId).get()).data()).toMatchObject({ episodes: { "1_2": { watched: true, plays: 1 } } });
    expect((await playbackRef(env.db, uid, media).get()).data()).toMatchObject({ watched: true });
  });

  it("refuses a repeat within the runtime (already-exists, nothing recorded) and records the next viewing after it", async () => {
    const uid = uniqueId("user");
    const media = await episode();
    const { clock, advanceMinutes } = manualClock();
    const ctx = env.context({ clock });
    await scrobble(ctx, uid, { action: "stop", media, progress: 100 });
    advanceMinutes(5);
    await expect(scrobble(ctx, uid, { action: "stop", media, progress: 100 })).rejects.toMatchObject({ code: "already-exists" });
    expect(await plays(uid)).toHaveLength(1);
    // Episode runtime unknown: the window is 10 minutes. A rewatch two hours later is a second play.
    expect((await scrobbleRef(env.db, uid, media).get()).data()?.expiresAt.toMillis()).toBe(clock().getTime() + 5 * 60_000);
    advanceMinutes(120);
    expect(await scrobble(ctx, uid, { action: "stop", media, progress: 100 })).toMatchObject({ action: "scrobble" });
    expect(await plays(uid)).toHaveLength(2);
    expect((await trackingRef(env.db, uid, media.showId).get()).data()?.episodes["1_2"].plays).toBe(2);
  });

  it("records a movie play with the movie's runtime as the repeat window", async () => {
    const uid = uniqueId("user");
    const movieId = uniqueShowId();
    await env.fake.setMovie(movieId, { title: "Scrobbled film", runtime: 120, releaseDate: "2001-01-01" });
    const { clock, advanceMinutes } = manualClock();
    const ctx = env.context({ clock });
    const media: Media = { type: "movie", movieId };
    await scrobble(ctx, uid, { action: "stop", media, progress: 92 });
    expect(await plays(uid)).toEqual([expect.objectContaining({ movieId, source: "scrobble" })]);
    advanceMinutes(100); // within its 120 minutes
    await expect(scrobble(ctx, uid, { action: "stop", media, progress: 92 })).rejects.toMatchObject({ code: "already-exists" });
    expect((await playbackRef(env.db, uid, media).get()).data()).toMatchObject({ durationSeconds: 7200, watched: true });
  });

  it("is one play when the app already marked the same viewing (cross-source rule)", async () => {
    const uid = uniqueId("user");
    const media = await episode();
    const { clock } = manualClock();
    const ctx = env.context({ clock });
    // A player's save at 90 % records a `playback` play; the scrobble a minute later is the same viewing.
    const { savePlayback } = await import("../../functions/src/playback/savePlayback");
    await savePlayback(ctx, uid, { media, positionSeconds: 2700, durationSeconds: 3000 });
    expect(await scrobble(ctx, uid, { action: "stop", media, progress: 99 })).toMatchObject({ action: "scrobble" });
    expect((await plays(uid)).map((p) => p.source)).toEqual(["playback"]);
  });

  it("refuses progress below 1 % and unknown media", async () => {
    expect(scrobbleRequestSchema.safeParse({ action: "stop", media: { type: "movie", movieId: 5 }, progress: 0.5 }).success).toBe(false);
    expect(scrobbleRequestSchema.safeParse({ action: "watch", media: { type: "movie", movieId: 5 }, progress: 50 }).success).toBe(false);
    const uid = uniqueId("user");
    await expect(
      scrobble(env.context(), uid, { action: "start", media: { type: "episode", showId: 7404, season: 1, episode: 1 }, progress: 5 }),
    ).rejects.toMatchObject({
      code: "not-found",
    });
    expect(await plays(uid)).toEqual([]);
  });
});
