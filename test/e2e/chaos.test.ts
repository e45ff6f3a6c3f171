import type { TraktHistoryItem } from "@tvtracker/client";
import { uniqueShowId } from "../support/admin";
import { Timestamp } from "firebase-admin/firestore";
import { sharedFakeTmdb } from "../support/client";
import { useE2eEnv } from "../support/e2e";
import { importThroughClient } from "../support/imports";
import { killFunctionWorkers } from "../support/workers";
import { holdDocuments } from "../support/documentHolder";
import { waitForDoc } from "../support/firestoreWait";
import { deliverTask } from "../support/taskDispatch";
import { importsCollection, jobRef } from "../../functions/src/imports/documents";
import { IMPORT_CHUNK_OPS } from "../../functions/src/imports/pipeline";
import { IMPORT_TASK_FUNCTION, IMPORT_TASK_REGION, importTaskId, type ImportTask } from "../../functions/src/imports/queue";
import { historyCollection } from "../../functions/src/tracking/plays";
import { trackingRef } from "../../functions/src/tracking/trackingDoc";
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
    const [first, second] = [uniqueShowId(), uniqueShowId()];
    await fake.setShow(first, { name: "Killed Import", seasons: [{ episodes: 5, airDate: "2019-01-01" }] });
    await fake.setShow(second, { name: "Held Import", seasons: [{ episodes: 3, airDate: "2020-01-01" }] });
    const watched: Record<number, Array<[number, number]>> = {
      [first]: [
        [1, 1],
        [1, 2],
        [1, 3],
        [1, 4],
      ],
      [second]: [
        [1, 1],
        [1, 2],
        [1, 3],
      ],
    };
    const { zip, plays } = tvTimeExport([
      { showId: first, name: "Killed Import", watched: watched[first], rewatched: [[1, 1, 1]] },
      { showId: second, name: "Held Import", watched: watched[second] },
    ]);
    // One chunk (both shows' plays and their library entries), recorded one show per transaction.
    expect(plays).toBeLessThan(IMPORT_CHUNK_OPS);
    const history = historyCollection(e2e.db, u.uid);

    // Where it dies: mid-chunk. Another request's transaction has read the second show's tracking document
    // (`holdDocuments`), so the task's commit of that show waits on its lock while the first show's plays
    // are committed: kill it then. The task itself holds no cache lock there (its `/find` lookups completed
    // before the chunk), so nothing is left behind to run out a 60 s lease.
    const holder = holdDocuments(e2e.db, [trackingRef(e2e.db, u.uid, second)]);
    await holder.holding;
    const firstRecorded = await waitForDoc(trackingRef(e2e.db, u.uid, first), (d) => d !== undefined);
    const run = importThroughClient(u, "tvtime-export.zip", zip);
    await firstRecorded.reached;
    expect(killFunctionWorkers(IMPORT_TASK_FUNCTION)).toBeGreaterThanOrEqual(1);

    // The chunk is half applied: the first show's plays recorded, the second's not, the cursor not saved.
    const [imported] = (await importsCollection(e2e.db, u.uid).get()).docs;
    const task: ImportTask = { uid: u.uid, importId: imported.id };
    expect(imported.data()).toMatchObject({ status: "running" });
    expect((await jobRef(e2e.db, u.uid, task.importId).get()).data()).toMatchObject({
      cursor: 0,
      chunks: { "0": { existedBefore: 0, attempts: 1 } },
    });
    expect((await history.get()).size).toBe(watched[first].length + 1);
    expect((await trackingRef(e2e.db, u.uid, second).get()).exists).toBe(false);
    // The dead worker's commit of the second show may have been waiting at Firestore for the lock: it may
    // still land once the holder lets go, or not, as with a real crash. The retry must end the same either way.
    await holder.release();

    // The retry: Cloud Tasks redelivers the same payload after the queue's backoff (minBackoffSeconds 10);
    // the test delivers it itself, twice at once (delivery is at-least-once: two runs of one import race
    // through the same chunks and to the finish), then once more after the import has finished. The
    // queue's own redelivery still comes about 10 s after the kill, maybe during another file's tests:
    // one more duplicate of a finished import, which the task skips (it only deletes the deleted staging).
    const deliver = (retryCount: number) =>
      deliverTask(IMPORT_TASK_FUNCTION, task, { taskName: importTaskId(task), retryCount, region: IMPORT_TASK_REGION });
    await Promise.all([deliver(1), deliver(1)]);
    const { states } = await run;
    const ended = { status: "done", error: null, counts: { added: plays, duplicates: 0, unmatched: 0 } };
    expect(states.at(-1)).toMatchObject(ended);
    const importDoc = importsCollection(e2e.db, u.uid).doc(task.importId);
    const finished = await importDoc.get();
    await deliver(2);
    // The late duplicate left the finished import as it was: not rewritten at all.
    const after = await importDoc.get();
    expect(after.data()).toMatchObject(ended);
    expect(after.updateTime?.isEqual(finished.updateTime as Timestamp)).toBe(true);

    // Every play recorded once: the first show's episode 1 twice (watched, then rewatched), every other once.
    expect((await history.get()).size).toBe(plays);
    for (const showId of [first, second]) {
      const tracking = (await trackingRef(e2e.db, u.uid, showId).get()).data() as {
        episodes: Record<string, { watched: boolean; plays?: number }>;
      };
      const expected = Object.fromEntries(
        watched[showId].map(([s, e]) => [`${s}_${e}`, { watched: true, plays: showId === first && e === 1 ? 2 : 1 }]),
      );
      expect(tracking.episodes).toMatchObject(expected);
      expect(Object.keys(tracking.episodes).sort()).toEqual(Object.keys(expected).sort());
    }
    const again = await importThroughClient(u, "tvtime-export.zip", zip);
    expect(again.states.at(-1)).toMatchObject({ status: "done", counts: { added: 0, duplicates: plays } });
    // Usually ~6 s. When the dead worker's waiting commit does not land, the emulator keeps its locks until its
    // transaction timeout and the retry's commits wait for that (seen once in 6 runs: ~70 s): slow, not wrong.
  }, 180_000);
});
