import { Timestamp } from "firebase-admin/firestore";
import { doc, getDoc } from "firebase/firestore";
import { historyCollection } from "../../functions/src/tracking/plays";
import { trackingRef } from "../../functions/src/tracking/trackingDoc";
import { uniqueShowId } from "../support/admin";
import { useE2eEnv } from "../support/e2e";
import { anonymousClient, sharedFakeTmdb } from "../support/client";

const e2e = useE2eEnv();
const user = () => e2e.user();
const fake = sharedFakeTmdb();
const watchedAt = Timestamp.fromMillis(Date.parse("2024-03-01T20:00:00Z"));
const threeByThree = (name: string) => ({
  name,
  seasons: [
    { episodes: 3, airDate: "2018-01-01" },
    { episodes: 3, airDate: "2019-01-01" },
    { episodes: 3, airDate: "2020-01-01" },
  ],
});

describe("getShowProgress and getLibrary through the client SDK", () => {
  it("answers X/Y episodes and up next for each tracked show, newest first", async () => {
    const u = await user();
    const [a, b] = [uniqueShowId(), uniqueShowId()];
    await fake.setShow(a, threeByThree("Alpha"));
    await fake.setShow(b, threeByThree("Beta"));
    await trackingRef(e2e.db, u.uid, a).set({ episodes: { "1_1": { watched: true, watchedAt }, "1_2": { watched: true, watchedAt } } });
    await trackingRef(e2e.db, u.uid, b).set({
      episodes: { "2_3": { watched: true, watchedAt } },
      lastWatchedAt: Timestamp.fromMillis(Date.parse("2024-04-01T00:00:00Z")),
    });

    const progress = await u.api.getShowProgress({ showId: a });
    expect(progress).toEqual({
      showId: a,
      name: "Alpha",
      aired: 9,
      completed: 2,
      total: 9,
      percent: 22,
      label: "2/9 episodes",
      seasons: [
        { season: 1, aired: 3, completed: 2 },
        { season: 2, aired: 3, completed: 0 },
        { season: 3, aired: 3, completed: 0 },
      ],
      nextEpisode: { season: 1, episode: 3, name: "S1E3 of Alpha", airDate: "2018-01-15" },
      lastWatchedAt: "2024-03-01T20:00:00.000Z",
      current: null,
    });

    const library = await u.api.getLibrary({});
    expect(library.shows.map((s) => [s.showId, s.label, s.nextEpisode?.episode])).toEqual([
      [b, "1/9 episodes", 1],
      [a, "2/9 episodes", 3],
    ]);
  });

  it("rejects bad payloads and unknown shows with the contract's codes", async () => {
    const u = await user();
    await expect(u.call("getShowProgress", { showId: "1" })).rejects.toMatchObject({
      code: "functions/invalid-argument",
      message: expect.stringContaining("showId"),
    });
    await expect(u.call("getShowProgress", { showId: 1, includeSpecials: "yes" })).rejects.toMatchObject({
      code: "functions/invalid-argument",
      message: expect.stringContaining("includeSpecials"),
    });
    await expect(u.call("getShowProgress", { showId: 31_404 })).rejects.toMatchObject({ code: "functions/not-found" });
    const anonymous = anonymousClient();
    await expect(anonymous.call("getLibrary", {})).rejects.toMatchObject({ code: "functions/unauthenticated" });
    await anonymous.close();
  });
});

describe("setProgress and advanceEpisode through the client SDK", () => {
  it("sets the pointer, advances across a season boundary with a history play, and the owner can read it", async () => {
    const u = await user();
    const showId = uniqueShowId();
    await fake.setShow(showId, threeByThree("Pointer"));
    expect(await u.api.setProgress({ showId, season: 1, episode: 3 })).toEqual({ showId, current: { season: 1, episode: 3 } });
    expect(await u.api.advanceEpisode({ showId })).toEqual({ showId, current: { season: 2, episode: 1 }, completed: false });

    const mine = await getDoc(doc(u.firestore(), "users", u.uid, "episode_tracking", String(showId)));
    expect(mine.data()).toMatchObject({ current: { season: 2, episode: 1 }, episodes: { "1_3": { watched: true, plays: 1 } } });
    const plays = (await historyCollection(e2e.db, u.uid).get()).docs.map((d) => d.data());
    expect(plays).toEqual([expect.objectContaining({ showId, season: 1, episode: 3, source: "app" })]);
    expect(await u.api.getShowProgress({ showId })).toMatchObject({ completed: 1, current: { season: 2, episode: 1 } });
  });

  it("answers not-found for an episode TMDB does not have, and invalid-argument naming the field", async () => {
    const u = await user();
    const showId = uniqueShowId();
    await fake.setShow(showId, threeByThree("Strict"));
    await expect(u.call("setProgress", { showId, season: 1, episode: 4 })).rejects.toMatchObject({ code: "functions/not-found" });
    await expect(u.call("setProgress", { showId, season: 1, episode: 0 })).rejects.toMatchObject({
      code: "functions/invalid-argument",
      message: expect.stringContaining("episode"),
    });
    await expect(u.call("advanceEpisode", { showId: -3 })).rejects.toMatchObject({
      code: "functions/invalid-argument",
      message: expect.stringContaining("showId"),
    });
    await expect(u.call("advanceEpisode", { showId: 32_404 })).rejects.toMatchObject({ code: "functions/not-found" });
    expect((await trackingRef(e2e.db, u.uid, showId).get()).exists).toBe(false);
  });
});
