import { exportHistory } from "../../functions/src/history/exportHistory";
import { importCsv } from "../../functions/src/history/importCsv";
import { markWatched } from "../../functions/src/history/markWatched";
import { historyCollection } from "../../functions/src/tracking/plays";
import type { ExportedHistoryItem } from "../../functions/src/history/schemas";
import { syncHistory } from "../../functions/src/history/syncHistory";
import { trackingCollection } from "../../functions/src/tracking/trackingDoc";
import { episodeIdFor } from "../../tools/fake-tmdb/catalog";
import { startTestEnv, uniqueId, uniqueShowId, type TestEnv } from "../support/admin";

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());

const traktItem = (id: number | string, showId: number, season: number, episode: number, watchedAt: string) => ({
  id,
  watched_at: watchedAt,
  action: "checkin",
  type: "episode",
  episode: { season, number: episode, ids: {} },
  show: { title: "From Trakt", ids: { tmdb: showId } },
});

async function exportAll(uid: string, limit: number): Promise<{ items: ExportedHistoryItem[]; pages: number }> {
  const items: ExportedHistoryItem[] = [];
  let pageToken: string | undefined;
  let pages = 0;
  do {
    const page = await exportHistory(env.context(), uid, { limit, ...(pageToken ? { pageToken } : {}) });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.items);
    pageToken = page.nextPageToken ?? undefined;
    pages++;
  } while (pageToken);
  return { items, pages };
}

/** Each show's episodes as the round trip must keep them: watched, watchedAt, plays. */
async function trackingState(uid: string) {
  const docs = await trackingCollection(env.db, uid).get();
  return Object.fromEntries(
    docs.docs.map((doc) => [
      doc.id,
      Object.fromEntries(
        Object.entries(doc.get("episodes") as Record<string, { watched: boolean; watchedAt: { toMillis(): number }; plays?: number }>).map(
          ([key, e]) => [key, { watched: e.watched, watchedAt: e.watchedAt.toMillis(), plays: e.plays }],
        ),
      ),
    ]),
  );
}

async function historyState(uid: string) {
  return Object.fromEntries((await historyCollection(env.db, uid).get()).docs.map((d) => [d.id, d.data()]));
}

describe("exportHistory", () => {
  it("pages every play out in Trakt's shape, and syncHistory into a fresh account rebuilds the same state", async () => {
    const [a, b] = [uniqueId("user"), uniqueId("user")];
    const [showA, showB] = [uniqueShowId(), uniqueShowId()];
    await env.fake.setShow(showA, {
      name: "Export Alpha",
      seasons: [
        { episodes: 5, airDate: "2020-01-01" },
        { episodes: 5, airDate: "2021-01-01" },
      ],
    });
    await env.fake.setShow(showB, { name: "Export Beta", seasons: [{ episodes: 5, airDate: "2020-01-01" }] });
    await syncHistory(env.context(), a, [
      traktItem("9007199254740993", showA, 1, 1, "2024-01-01T10:00:00.000Z"),
      traktItem(101, showA, 1, 1, "2024-02-01T10:00:00.000Z"),
      // Three plays at the same instant: paging must neither skip nor repeat any.
      traktItem(102, showA, 1, 2, "2024-03-01T10:00:00.000Z"),
      traktItem(103, showA, 1, 3, "2024-03-01T10:00:00.000Z"),
      traktItem(104, showB, 1, 1, "2024-03-01T10:00:00.000Z"),
    ]);
    await importCsv(
      env.context(),
      a,
      `title,season,episode,watched_at,tmdb_id\nx,2,1,2024-04-01T08:00:00Z,${showA}\nx,1,2,2024-04-02T08:00:00Z,${showB}\n`,
    );
    await markWatched(env.context(), a, {
      showId: showA,
      target: {
        type: "episodes",
        episodes: [
          { season: 2, episode: 2 },
          { season: 1, episode: 1 },
        ],
      },
      watchedAt: "2024-05-01T12:00:00.000Z",
    });
    await markWatched(env.context(), a, { showId: showB, target: { type: "season", season: 1 }, watchedAt: "2024-05-02T12:00:00.000Z" });

    const { items, pages } = await exportAll(a, 2);
    const plays = await historyState(a);
    expect(items).toHaveLength(Object.keys(plays).length);
    expect(items).toHaveLength(5 + 2 + 1 + 3);
    expect(pages).toBe(6);
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    const times = items.map((i) => Date.parse(i.watched_at));
    expect(times).toEqual([...times].sort((x, y) => y - x));
    expect(items.find((i) => i.id === "9007199254740993")).toEqual({
      id: "9007199254740993",
      watched_at: "2024-01-01T10:00:00.000Z",
      action: "checkin",
      type: "episode",
      episode: { season: 1, number: 1, ids: { tmdb: episodeIdFor(showA, 1, 1) } },
      show: { title: "Export Alpha", ids: { tmdb: showA } },
    });
    expect(items.filter((i) => BigInt(i.id) >= 2n ** 62n)).toHaveLength(6);

    expect(await syncHistory(env.context(), b, items)).toEqual({
      added: items.length,
      duplicates: 0,
      skipped: { movies: 0, noTmdbId: 0, invalid: 0 },
      shows: 2,
    });
    expect(await trackingState(b)).toEqual(await trackingState(a));
    // Plays of this backend come back to their own ids and sources, so the history is identical too.
    expect(await historyState(b)).toEqual(plays);
    expect((await exportAll(b, 1000)).items).toEqual(items);
    // Replaying an export into the account it came from adds nothing.
    expect(await syncHistory(env.context(), a, items)).toMatchObject({ added: 0, duplicates: items.length });
  });

  it("ends with a null token, and rejects a token it did not issue", async () => {
    const uid = uniqueId("user");
    expect(await exportHistory(env.context(), uid, {})).toEqual({ items: [], nextPageToken: null });
    const showId = uniqueShowId();
    await syncHistory(env.context(), uid, [
      traktItem(1, showId, 1, 1, "2024-01-01T00:00:00Z"),
      traktItem(2, showId, 1, 2, "2024-01-02T00:00:00Z"),
    ]);
    const first = await exportHistory(env.context(), uid, { limit: 1 });
    expect(first.items.map((i) => i.id)).toEqual(["2"]);
    const second = await exportHistory(env.context(), uid, { limit: 1, pageToken: first.nextPageToken as string });
    expect(second).toMatchObject({ items: [{ id: "1" }], nextPageToken: null });
    expect((await exportHistory(env.context(), uid, { limit: 2 })).nextPageToken).toBeNull();
    await expect(exportHistory(env.context(), uid, { pageToken: "not-a-token" })).rejects.toMatchObject({
      code: "invalid-argument",
      message: expect.stringMatching(/^pageToken/),
    });
  });
});
