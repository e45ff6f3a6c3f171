import { Timestamp } from "firebase-admin/firestore";
import { doc, getDoc } from "firebase/firestore";
import type { TraktHistoryItem } from "@tvtracker/client";
import { historyCollection } from "../../functions/src/tracking/plays";
import { trackingRef } from "../../functions/src/tracking/trackingDoc";
import { uniqueId, uniqueShowId } from "../support/admin";
import { useE2eEnv } from "../support/e2e";
import { anonymousClient, sharedFakeTmdb } from "../support/client";

const e2e = useE2eEnv();
const user = () => e2e.user();
const fake = sharedFakeTmdb();

const item = (id: number | string, showId: number, season: number, episode: number, watchedAt: string): TraktHistoryItem => ({
  id,
  watched_at: watchedAt,
  action: "watch",
  type: "episode",
  episode: { season, number: episode, ids: { tmdb: null } },
  show: { title: "Client Show", ids: { tmdb: showId, tvdb: null, imdb: null } },
});

describe("history callables through the client SDK", () => {
  it("syncHistory keeps 64-bit ids exact, counts skipped items, and the export gives them back", async () => {
    const u = await user();
    const showId = uniqueShowId();
    await fake.setShow(showId, { name: "Round Trip", seasons: [{ episodes: 3, airDate: "2020-01-01" }] });
    const items: unknown[] = [
      item("9007199254740993", showId, 1, 1, "2024-01-01T10:00:00.000Z"),
      item(42, showId, 1, 2, "2024-01-02T10:00:00.000Z"),
      { id: 43, watched_at: "2024-01-03T10:00:00.000Z", action: "watch", type: "movie", movie: { title: "M", ids: { tmdb: 603 } } },
      { id: 44, type: "episode" },
    ];
    const result = await u.api.syncHistory({ items });
    // The movie is a movie play (docs/API.md: library callables): `skipped.movies` stays in the answer, always 0.
    expect(result).toEqual({ added: 3, duplicates: 0, skipped: { movies: 0, noTmdbId: 0, invalid: 1 }, shows: 1 });
    // The owner reads their own history with the client SDK (security rules apply).
    const own = await getDoc(doc(u.firestore(), `users/${u.uid}/history/trakt_9007199254740993`));
    expect(own.data()).toMatchObject({ showId, sourceId: "9007199254740993", source: "trakt" });

    const newest = await u.api.exportHistory({ limit: 1 });
    expect(newest.items).toEqual([
      {
        id: "43",
        watched_at: "2024-01-03T10:00:00.000Z",
        action: "watch",
        type: "movie",
        movie: expect.objectContaining({ ids: expect.objectContaining({ tmdb: 603 }) }),
      },
    ]);
    const exported = await u.api.exportHistory({ limit: 1, pageToken: newest.nextPageToken ?? undefined });
    expect(exported.items).toEqual([
      {
        id: "42",
        watched_at: "2024-01-02T10:00:00.000Z",
        action: "watch",
        type: "episode",
        episode: { season: 1, number: 2, ids: { tmdb: expect.any(Number) } },
        show: { title: "Round Trip", ids: { tmdb: showId } },
      },
    ]);
    const rest = await u.api.exportHistory({ pageToken: exported.nextPageToken ?? undefined });
    expect(rest.items.map((i) => i.id)).toEqual(["9007199254740993"]);
    expect(rest.nextPageToken).toBeNull();
  });

  it("syncHistory and exportHistory reject invalid payloads with invalid-argument naming the field", async () => {
    const u = await user();
    const tooMany = Array.from({ length: 1001 }, (_, i) => item(i + 1, 1, 1, 1, "2024-01-01T00:00:00Z"));
    await expect(u.call("syncHistory", { items: tooMany })).rejects.toMatchObject({
      code: "functions/invalid-argument",
      message: expect.stringMatching(/^items/),
    });
    await expect(u.call("exportHistory", { pageToken: "garbage" })).rejects.toMatchObject({
      code: "functions/invalid-argument",
      message: expect.stringMatching(/^pageToken/),
    });
    expect((await historyCollection(e2e.db, u.uid).get()).size).toBe(0);
  });

  it("importCsv resolves titles and reports unmatched titles and invalid rows; a file without header is invalid-argument", async () => {
    const u = await user();
    const showId = uniqueShowId();
    const name = `Csv Client ${uniqueId("t")}`;
    await fake.setShow(showId, { name, seasons: [{ episodes: 3, airDate: "2019-01-01" }] });
    const missing = `Missing ${uniqueId("t")}`;
    const csv = `\uFEFFtitle,season,episode,watched_at\r\n"${name} (2019)",1,1,2024-01-01T00:00:00Z\r\n${missing},1,1,2024-01-01T00:00:00Z\r\n${name},1,x,2024-01-01\r\n`;
    expect(await u.api.importCsv({ csv })).toEqual({ added: 1, duplicates: 0, unmatched: [missing], invalidRows: [4] });
    expect((await trackingRef(e2e.db, u.uid, showId).get()).data()?.episodes["1_1"]).toMatchObject({ watched: true, plays: 1 });
    await expect(u.call("importCsv", { csv: `${name},1,1,2024-01-01\n` })).rejects.toMatchObject({
      code: "functions/invalid-argument",
      message: expect.stringMatching(/^csv/),
    });
  });

  it("markWatched marks a season's aired episodes, answers not-found for an unknown show, and needs auth", async () => {
    const u = await user();
    const showId = uniqueShowId();
    await fake.setShow(showId, { name: "Client Marks", seasons: [{ episodes: 3, airDates: ["2020-01-01", "2020-01-08", "2999-01-01"] }] });
    expect(await u.api.markWatched({ showId, target: { type: "season", season: 1 }, watchedAt: "2024-06-01T00:00:00Z" })).toEqual({
      showId,
      changed: 2,
    });
    const episodes = (await trackingRef(e2e.db, u.uid, showId).get()).data()?.episodes;
    expect(Object.keys(episodes).sort()).toEqual(["1_1", "1_2"]);
    expect(episodes["1_1"]).toMatchObject({ watched: true, plays: 1, watchedAt: Timestamp.fromDate(new Date("2024-06-01T00:00:00Z")) });

    const gone = uniqueShowId();
    await fake.setShow(gone, null);
    await expect(u.call("markWatched", { showId: gone, target: { type: "show" } })).rejects.toMatchObject({ code: "functions/not-found" });
    const anonymous = anonymousClient();
    try {
      await expect(anonymous.call("markWatched", { showId, target: { type: "show" } })).rejects.toMatchObject({
        code: "functions/unauthenticated",
      });
    } finally {
      await anonymous.close();
    }
  });
});
