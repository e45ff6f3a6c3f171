import { doc, getDoc } from "firebase/firestore";
import { historyCollection } from "../../functions/src/tracking/plays";
import { trackingRef } from "../../functions/src/tracking/trackingDoc";
import { uniqueShowId } from "../support/admin";
import { useE2eEnv } from "../support/e2e";
import { anonymousClient, sharedFakeTmdb } from "../support/client";

const e2e = useE2eEnv();
const user = () => e2e.user();
const fake = sharedFakeTmdb();

describe("savePlayback, getContinueWatching and clearPlayback through the client SDK", () => {
  it("resumes an episode, marks it watched at 90 % once, and drops it from continue watching", async () => {
    const u = await user();
    const showId = uniqueShowId();
    await fake.setShow(showId, { name: "Resumable", seasons: [{ episodes: 3, airDate: "2022-01-01" }] });
    const media = { type: "episode" as const, showId, season: 1, episode: 2 };

    const half = await u.api.savePlayback({ media, positionSeconds: 1200, durationSeconds: 2400 });
    expect(half).toMatchObject({
      mediaKey: `tv_${showId}_1_2`,
      media,
      positionSeconds: 1200,
      watchedSeconds: 1200,
      completionPercentage: 50,
      watched: false,
    });
    expect(Number.isNaN(Date.parse(half.lastWatchedAt as string))).toBe(false);
    const stored = await getDoc(doc(u.firestore(), "users", u.uid, "playback", `tv_${showId}_1_2`));
    expect(stored.data()).toMatchObject({ positionSeconds: 1200, completionPercentage: 50, watched: false });

    const listed = await u.api.getContinueWatching({});
    expect(listed.items).toEqual([half]);

    expect(await u.api.savePlayback({ media, positionSeconds: 2200, durationSeconds: 2400 })).toMatchObject({
      watched: true,
      completionPercentage: 91.67,
    });
    await u.call("savePlayback", { media, positionSeconds: 2400, durationSeconds: 2400 });
    expect((await trackingRef(e2e.db, u.uid, showId).get()).data()?.episodes["1_2"]).toMatchObject({ watched: true, plays: 1 });
    expect((await historyCollection(e2e.db, u.uid).get()).docs.map((d) => d.get("source"))).toEqual(["playback"]);
    expect(await u.call("getContinueWatching", { limit: 5 })).toEqual({ items: [] });

    expect(await u.api.clearPlayback({ media })).toEqual({ deleted: true });
    expect(await u.api.clearPlayback({ media })).toEqual({ deleted: false });
  });

  it("resumes a movie", async () => {
    const u = await user();
    const movieId = uniqueShowId();
    await fake.setMovie(movieId, { title: "Feature", runtime: 100, releaseDate: "2010-01-01" });
    const saved = await u.api.savePlayback({ media: { type: "movie", movieId }, positionSeconds: 600, durationSeconds: 6000 });
    expect(saved).toMatchObject({ mediaKey: `movie_${movieId}`, completionPercentage: 10, watched: false });
    expect((await u.api.getContinueWatching({ limit: 1 })).items.map((i) => i.mediaKey)).toEqual([`movie_${movieId}`]);
  });

  it("answers invalid-argument naming the field, not-found for unknown media, unauthenticated without a user", async () => {
    const u = await user();
    const media = { type: "movie", movieId: 33_404 };
    await expect(u.call("savePlayback", { media, positionSeconds: 0, durationSeconds: 0 })).rejects.toMatchObject({
      code: "functions/invalid-argument",
      message: expect.stringContaining("durationSeconds"),
    });
    await expect(u.call("savePlayback", { media, positionSeconds: 61, durationSeconds: 60 })).rejects.toMatchObject({
      code: "functions/invalid-argument",
      message: expect.stringContaining("positionSeconds"),
    });
    await expect(u.call("getContinueWatching", { limit: 51 })).rejects.toMatchObject({
      code: "functions/invalid-argument",
      message: expect.stringContaining("limit"),
    });
    await expect(u.call("savePlayback", { media, positionSeconds: 30, durationSeconds: 60 })).rejects.toMatchObject({
      code: "functions/not-found",
    });
    const anonymous = anonymousClient();
    await expect(anonymous.call("clearPlayback", { media })).rejects.toMatchObject({ code: "functions/unauthenticated" });
    await anonymous.close();
    expect((await e2e.db.collection("users").doc(u.uid).collection("playback").get()).size).toBe(0);
  });
});
