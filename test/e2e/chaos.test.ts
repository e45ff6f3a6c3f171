import type { TraktHistoryItem } from "@tvtracker/client";
import { uniqueShowId } from "../support/admin";
import { Timestamp } from "firebase-admin/firestore";
import { sharedFakeTmdb } from "../support/client";
import { useE2eEnv } from "../support/e2e";
import { importThroughClient } from "../support/imports";
import { killFunctionWorkers } from "../support/workers";
import { tvTimeExport } from "../../tools/exports/tvtime";

/**
 * A hostile world against the emulated functions (issue 17): function workers killed mid-call, TMDB
 * failing most requests during a crowd. After each, the state must be as if every request the client
 * retried had been served exactly once: nothing lost, nothing doubled.
 */
const e2e = useE2eEnv();
const fake = sharedFakeTmdb();

const historyItem = (id: number, showId: number, episode: number): TraktHistoryItem => ({
  id,
  watched_at: `2024-02-0${episode}T21:00:00.000Z`,
  action: "watch",
  type: "episode",
  episode: { season: 1, number: episode, ids: {} },
  show: { title: "Chaos", ids: { tmdb: showId } },
});

afterEach(async () => {
  await fake.clearFaults();
});

describe("chaos", () => {
  it("a worker killed in the middle of syncHistory: the client's retry records every play once", async () => {
    const u = await e2e.user();
    const showId = uniqueShowId();
    await fake.setShow(showId, { name: "Chaos", seasons: [{ episodes: 6, airDate: "2020-01-01" }] });
    const items = [1, 2, 3, 4, 5, 6].map((episode) => historyItem(showId * 10 + episode, showId, episode));
    // The enrichment after the plays are recorded reaches TMDB and hangs there: that is when the worker dies.
    await fake.addFault({ path: `/tv/${showId}`, kind: "timeout" });

    const first = u.api.syncHistory({ items });
    const outcome = first.then(
      () => "answered",
      (error: { code?: string }) => error.code ?? "failed",
    );
    await fake.waitForRequest(`/tv/${showId}`);
    expect(killFunctionWorkers("syncHistory")).toBeGreaterThanOrEqual(1);
    expect(await outcome).not.toBe("answered");
    await fake.clearFaults();

    // The client never saw an answer, so it sends the same request again.
    const retried = await u.api.syncHistory({ items });
    expect(retried).toMatchObject({ added: 0, duplicates: 6, shows: 1 });

    const history = await e2e.db.collection(`users/${u.uid}/history`).get();
    expect(history.docs.map((d) => d.id).sort()).toEqual(items.map((i) => `trakt_${i.id}`).sort());
    const tracking = (await e2e.db.doc(`users/${u.uid}/episode_tracking/${showId}`).get()).data() as {
      episodes: Record<string, { watched: boolean; plays?: number }>;
    };
    for (const episode of [1, 2, 3, 4, 5, 6]) expect(tracking.episodes[`1_${episode}`]).toMatchObject({ watched: true, plays: 1 });
    // A third send is still a no-op.
    expect(await u.api.syncHistory({ items })).toMatchObject({ added: 0, duplicates: 6 });
  });

  it("a crowd enriching one show while TMDB fails 4 requests in 5: every user ends enriched, the season fetched once", async () => {
    const showId = uniqueShowId();
    await fake.setShow(showId, {
      name: "Flaky",
      seasons: [
        { episodes: 4, airDate: "2021-01-01" },
        { episodes: 4, airDate: "2022-01-01" },
      ],
    });
    const users = await Promise.all(Array.from({ length: 6 }, () => e2e.user()));
    // Documents as an app wrote them (no TMDB involved yet), for every user of the crowd.
    const watchedAt = Timestamp.fromMillis(Date.parse("2024-03-01T20:00:00Z"));
    for (const u of users) {
      await e2e.db
        .doc(`users/${u.uid}/episode_tracking/${showId}`)
        .set({ episodes: { "1_1": { watched: true, watchedAt }, "2_4": { watched: true, watchedAt } } });
    }
    await fake.addFault({ path: `/tv/${showId}`, kind: "503", times: 4 });

    // Each user calls until enriched, as a client does on `unavailable` or pending seasons (bounded).
    const attempts = await Promise.all(
      users.map(async (u) => {
        for (let attempt = 1; attempt <= 8; attempt++) {
          try {
            const result = await u.api.enrichShow({ showId });
            if (result.pendingSeasons.length === 0) return attempt;
          } catch (error) {
            if ((error as { code?: string }).code !== "functions/unavailable") throw error;
          }
        }
        return Infinity;
      }),
    );
    expect(attempts.every((n) => Number.isFinite(n))).toBe(true);

    for (const u of users) {
      const tracking = (await e2e.db.doc(`users/${u.uid}/episode_tracking/${showId}`).get()).data() as {
        episodes: Record<string, { episodeName?: string; watched: boolean }>;
      };
      expect(tracking.episodes["1_1"]).toMatchObject({ watched: true, episodeName: expect.any(String) });
      expect(tracking.episodes["2_4"]).toMatchObject({ watched: true, episodeName: expect.any(String) });
    }
    // Every TMDB answer that succeeded was the single fetch of the show's seasons: 4 failures, then one success.
    const requests = await fake.requests(`/tv/${showId}`);
    expect(requests.length).toBe(5);
  });

  it("an import task whose worker is killed midway is retried by the queue and ends as an uninterrupted run", async () => {
    const u = await e2e.user();
    const showId = uniqueShowId();
    await fake.setShow(showId, { name: "Killed Import", seasons: [{ episodes: 5, airDate: "2019-01-01" }] });
    const { zip, plays } = tvTimeExport([
      {
        showId,
        name: "Killed Import",
        watched: [
          [1, 1],
          [1, 2],
          [1, 3],
          [1, 4],
        ],
        rewatched: [[1, 1, 1]],
      },
    ]);
    // The task hangs on TMDB while it maps the file's TVDB ids: that is when its worker dies.
    await fake.addFault({ path: "/find/", kind: "timeout" });
    const run = importThroughClient(u, "tvtime-export.zip", zip);
    await fake.waitForRequest("/find/");
    expect(killFunctionWorkers("importTasks")).toBeGreaterThanOrEqual(1);
    await fake.clearFaults();

    // The Cloud Tasks emulator retries the task (the dead worker's lookup locks run out at their lease).
    const { states } = await run;
    expect(states.at(-1)).toMatchObject({ status: "done", error: null, counts: { added: plays, duplicates: 0, unmatched: 0 } });
    expect((await e2e.db.collection(`users/${u.uid}/history`).get()).size).toBe(plays);
    const again = await importThroughClient(u, "tvtime-export.zip", zip);
    expect(again.states.at(-1)).toMatchObject({ status: "done", counts: { added: 0, duplicates: plays } });
  }, 180_000);
});
