import { historyCollection } from "../../functions/src/tracking/plays";
import { importCsv } from "../../functions/src/history/importCsv";
import { markWatched } from "../../functions/src/history/markWatched";
import { markWatchedRequestSchema } from "../../functions/src/history/schemas";
import { syncHistory } from "../../functions/src/history/syncHistory";
import { savePlayback } from "../../functions/src/playback/savePlayback";
import type { Media } from "../../functions/src/playback/schemas";
import { advanceEpisode, setProgress } from "../../functions/src/progress/pointer";
import { trackingRef } from "../../functions/src/tracking/trackingDoc";
import { startTestEnv, uniqueId, uniqueShowId, type TestEnv } from "../support/admin";

/**
 * The rules every path that records plays shares (docs/API.md: Firestore paths, issue 17): one viewing reported twice
 * is one play, un-marking leaves room for the next viewing, and an odd timestamp never loses a batch.
 */
let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());

const T0 = new Date("2025-03-01T20:00:00.000Z");
const at = (minutes: number) => () => new Date(T0.getTime() + minutes * 60_000);
const ctxAt = (minutes: number) => env.context({ clock: at(minutes) });

async function newShow(): Promise<number> {
  const showId = uniqueShowId();
  await env.fake.setShow(showId, { name: "Rules", seasons: [{ episodes: 4, airDate: "2020-01-01" }] });
  return showId;
}

const episodeMedia = (showId: number, episode = 1): Media => ({ type: "episode", showId, season: 1, episode });
const percent = (media: Media, p: number) => ({ media, positionSeconds: p * 30, durationSeconds: 3000 });

async function episodeState(uid: string, showId: number, key = "1_1") {
  const entry = (await trackingRef(env.db, uid, showId).get()).data()?.episodes?.[key];
  const [season, episode] = key.split("_").map(Number);
  const history = await historyCollection(env.db, uid)
    .where("showId", "==", showId)
    .where("season", "==", season)
    .where("episode", "==", episode)
    .get();
  return { watched: entry?.watched, plays: entry?.plays, history: history.docs.map((d) => d.get("source") as string).sort() };
}

const traktItem = (id: number, showId: number, episode: number, watchedAt: string) => ({
  id,
  watched_at: watchedAt,
  action: "watch",
  type: "episode",
  episode: { season: 1, number: episode },
  show: { ids: { tmdb: showId } },
});

describe("one viewing reported by two paths is one play", () => {
  it("markWatched, then the player reaching 95 % a minute later", async () => {
    const uid = uniqueId("user");
    const showId = await newShow();
    await markWatched(ctxAt(0), uid, { showId, target: { type: "episodes", episodes: [{ season: 1, episode: 1 }] } });
    expect(await savePlayback(ctxAt(1), uid, percent(episodeMedia(showId), 95))).toMatchObject({ watched: true });
    expect(await episodeState(uid, showId)).toEqual({ watched: true, plays: 1, history: ["app"] });
  });

  it("finishing in the player, then advanceEpisode", async () => {
    const uid = uniqueId("user");
    const showId = await newShow();
    await setProgress(ctxAt(0), uid, { showId, season: 1, episode: 1 });
    await savePlayback(ctxAt(1), uid, percent(episodeMedia(showId), 97));
    expect(await advanceEpisode(ctxAt(3), uid, { showId })).toMatchObject({ current: { season: 1, episode: 2 } });
    expect(await episodeState(uid, showId)).toEqual({ watched: true, plays: 1, history: ["playback"] });
  });

  it("a play in the app, then the same play in a Trakt sync", async () => {
    const uid = uniqueId("user");
    const showId = await newShow();
    await markWatched(ctxAt(0), uid, { showId, target: { type: "episodes", episodes: [{ season: 1, episode: 1 }] } });
    const result = await syncHistory(ctxAt(30), uid, [traktItem(5001, showId, 1, new Date(T0.getTime() + 4 * 60_000).toISOString())]);
    expect(result).toMatchObject({ added: 0, duplicates: 1 });
    expect(await episodeState(uid, showId)).toEqual({ watched: true, plays: 1, history: ["app"] });
  });

  it("keeps plays one source lists as distinct, and viewings 10 minutes or more apart", async () => {
    const uid = uniqueId("user");
    const showId = await newShow();
    const result = await syncHistory(ctxAt(0), uid, [
      traktItem(6001, showId, 1, "2025-02-01T20:00:00Z"),
      traktItem(6002, showId, 1, "2025-02-01T20:03:00Z"),
    ]);
    expect(result).toMatchObject({ added: 2, duplicates: 0 });
    await markWatched(ctxAt(0), uid, { showId, target: { type: "episodes", episodes: [{ season: 1, episode: 2 }] } });
    await savePlayback(ctxAt(10), uid, percent(episodeMedia(showId, 2), 99));
    expect(await episodeState(uid, showId)).toEqual({ watched: true, plays: 2, history: ["trakt", "trakt"] });
    expect(await episodeState(uid, showId, "1_2")).toEqual({ watched: true, plays: 2, history: ["app", "playback"] });
  });
});

describe("one viewing reported by several paths at the same moment", () => {
  it("a mark, the player, a Trakt sync and an advance racing each other record one play per episode", async () => {
    const uid = uniqueId("user");
    const showId = await newShow();
    await setProgress(ctxAt(0), uid, { showId, season: 1, episode: 1 });
    const watchedAt = new Date(T0.getTime() + 60_000).toISOString();
    await Promise.all(
      [1, 2, 3].flatMap((episode) => [
        markWatched(ctxAt(1), uid, { showId, target: { type: "episodes", episodes: [{ season: 1, episode }] } }),
        savePlayback(ctxAt(1), uid, percent(episodeMedia(showId, episode), 96)),
        syncHistory(ctxAt(1), uid, [traktItem(7000 + episode, showId, episode, watchedAt)]),
        ...(episode === 1 ? [advanceEpisode(ctxAt(1), uid, { showId, from: { season: 1, episode: 1 } })] : []),
      ]),
    );
    for (const key of ["1_1", "1_2", "1_3"]) {
      const state = await episodeState(uid, showId, key);
      expect({ key, watched: state.watched, plays: state.plays, count: state.history.length }).toEqual({
        key,
        watched: true,
        plays: 1,
        count: 1,
      });
    }
  });
});

describe("un-marking leaves room for the next viewing", () => {
  it("player to 96 %, un-mark, player again to 98 %: a new play, and the history agrees with tracking", async () => {
    const uid = uniqueId("user");
    const showId = await newShow();
    const media = episodeMedia(showId);
    await savePlayback(ctxAt(0), uid, percent(media, 96));
    expect(await episodeState(uid, showId)).toEqual({ watched: true, plays: 1, history: ["playback"] });

    expect(
      await markWatched(ctxAt(1), uid, { showId, target: { type: "episodes", episodes: [{ season: 1, episode: 1 }] }, watched: false }),
    ).toEqual({ showId, changed: 1 });
    expect(await episodeState(uid, showId)).toEqual({ watched: false, plays: 0, history: [] });

    expect(await savePlayback(ctxAt(40), uid, percent(media, 98))).toMatchObject({ watched: true });
    expect(await episodeState(uid, showId)).toEqual({ watched: true, plays: 1, history: ["playback"] });
  });

  it("an un-mark retried after a crash still clears the player's watched flag (season target)", async () => {
    const uid = uniqueId("user");
    const showId = await newShow();
    await savePlayback(ctxAt(0), uid, percent(episodeMedia(showId, 2), 99));
    const unmark = { showId, target: { type: "season" as const, season: 1 }, watched: false };
    await markWatched(ctxAt(1), uid, unmark);
    await markWatched(ctxAt(2), uid, unmark);
    expect(await savePlayback(ctxAt(50), uid, percent(episodeMedia(showId, 2), 99))).toMatchObject({ watched: true });
    expect(await episodeState(uid, showId, "1_2")).toEqual({ watched: true, plays: 1, history: ["playback"] });
  });
});

describe("a timestamp Firestore cannot store never loses a batch", () => {
  const ODD = ["0000-01-01T00:00:00Z", "9999-12-31T23:59:59-05:00"];

  it.each(ODD)("syncHistory: %s counts in skipped.invalid, the other 9 items are recorded", async (odd) => {
    const uid = uniqueId("user");
    const showId = await newShow();
    const items = Array.from({ length: 9 }, (_, i) => traktItem(7000 + i, showId, 1 + (i % 4), `2024-0${1 + i}-01T20:00:00Z`));
    const result = await syncHistory(ctxAt(0), uid, [...items.slice(0, 4), traktItem(7100, showId, 1, odd), ...items.slice(4)]);
    expect(result).toMatchObject({ added: 9, duplicates: 0, skipped: { movies: 0, noTmdbId: 0, invalid: 1 } });
    expect((await historyCollection(env.db, uid).get()).size).toBe(9);
  });

  it("markWatched: a request-level or per-episode watchedAt out of range is invalid-argument naming the field", async () => {
    const episodes = { type: "episodes", episodes: [{ season: 1, episode: 1 }] };
    for (const odd of ODD) {
      const whole = markWatchedRequestSchema.safeParse({ showId: 1, target: episodes, watchedAt: odd });
      expect(whole.success).toBe(false);
      expect(whole.error?.issues[0].path).toEqual(["watchedAt"]);
      const perEpisode = markWatchedRequestSchema.safeParse({
        showId: 1,
        target: { type: "episodes", episodes: [{ season: 1, episode: 1, watchedAt: odd }] },
      });
      expect(perEpisode.success).toBe(false);
    }
    // Called past the schema, the play factory still answers invalid-argument, not a crash.
    const uid = uniqueId("user");
    const showId = await newShow();
    await expect(
      markWatched(ctxAt(0), uid, { showId, target: { type: "episodes", episodes: [{ season: 1, episode: 1 }] }, watchedAt: ODD[1] }),
    ).rejects.toMatchObject({
      code: "invalid-argument",
    });
    expect((await historyCollection(env.db, uid).get()).size).toBe(0);
  });

  it("importCsv: such rows are invalidRows, the others are recorded", async () => {
    const uid = uniqueId("user");
    const showId = await newShow();
    const csv = [
      "title,season,episode,watched_at,tmdb_id",
      `Rules,1,1,2024-01-01T20:00:00Z,${showId}`,
      `Rules,1,2,${ODD[0]},${showId}`,
      `Rules,1,3,${ODD[1]},${showId}`,
      `Rules,1,4,0000-01-01,${showId}`,
    ].join("\n");
    expect(await importCsv(ctxAt(0), uid, csv)).toEqual({ added: 1, duplicates: 0, unmatched: [], invalidRows: [3, 4, 5] });
  });
});
